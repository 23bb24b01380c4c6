package dev.orchestrator.internal;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

class ClaimPacerTest {

    private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");

    private static ClaimPacer pacer() {
        return new ClaimPacer(20, 512, Duration.ofMillis(500), Duration.ofSeconds(5));
    }

    @Test
    void beforeAnyAttemptEndedItClaimsOneTaskASlotAhead() {
        ClaimPacer p = pacer();
        assertThat(p.prefetchLimit()).isEqualTo(20);
        assertThat(p.limit(NOW, 0)).as("free slots and one task a slot ahead").isEqualTo(40);
    }

    @Test
    void shortAttemptsDeepenThePrefetchUpToABatch() {
        ClaimPacer p = pacer();
        for (int i = 0; i < 200; i++) {
            p.attemptEnded(Duration.ofNanos(50_000));
        }
        assertThat(p.prefetchLimit()).isEqualTo(512);
        assertThat(p.limit(NOW, 0)).as("a claim is at most a batch").isEqualTo(512);
    }

    @Test
    void theSlotsFinishThePrefetchWithinTheHorizon() {
        ClaimPacer p = pacer();
        for (int i = 0; i < 400; i++) {
            p.attemptEnded(Duration.ofMillis(10));
        }
        // 20 slots finish 10 tasks each in 100 ms.
        assertThat(p.prefetchLimit()).isBetween(195, 205);
    }

    @Test
    void longAttemptsKeepItAtOneTaskASlot() {
        ClaimPacer p = pacer();
        for (int i = 0; i < 200; i++) {
            p.attemptEnded(Duration.ofNanos(50_000));
        }
        for (int i = 0; i < 400; i++) {
            p.attemptEnded(Duration.ofSeconds(2));
        }
        assertThat(p.prefetchLimit()).as("tasks of seconds are not held back from other nodes").isEqualTo(20);
        assertThat(p.limit(NOW, 40)).as("nothing more while the slots and the prefetch are full").isZero();
    }
}
