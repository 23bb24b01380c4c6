package dev.orchestrator;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The retry decision is a pure function of the policy, the attempt, the end time and the jitter. */
class RetryPolicyTest {

    private static final Instant END = Instant.parse("2026-03-01T12:00:00Z");
    private final RetryPolicy policy = new RetryPolicy(4, Duration.ofSeconds(10), Duration.ofSeconds(30));

    @Test
    void backoffDoublesFromTheInitialUpToTheCap() {
        assertThat(policy.retryAt(1, END, 0)).isEqualTo(END.plusSeconds(10));
        assertThat(policy.retryAt(2, END, 0)).isEqualTo(END.plusSeconds(20));
        assertThat(policy.retryAt(3, END, 0)).isEqualTo(END.plusSeconds(30));
    }

    @Test
    void jitterShortensTheBackoffByUpToAFifth() {
        assertThat(policy.retryAt(1, END, 0.5)).isEqualTo(END.plusSeconds(9));
        assertThat(policy.retryAt(1, END, 0.999)).isAfter(END.plusSeconds(8));
    }

    @Test
    void noRetryOnceTheAttemptsAreUsed() {
        assertThat(policy.retryAt(4, END, 0)).isNull();
        assertThat(RetryPolicy.NONE.retryAt(1, END, 0)).isNull();
    }

    @Test
    void badArgumentsAreNamed() {
        assertThatThrownBy(() -> policy.retryAt(0, END, 0)).hasMessage("failedAttempt must be at least 1, got 0");
        assertThatThrownBy(() -> policy.retryAt(1, END, 1.0)).hasMessage("jitter must be in [0, 1), got 1.0");
    }
}
