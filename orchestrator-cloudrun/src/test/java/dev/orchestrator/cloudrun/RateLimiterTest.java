package dev.orchestrator.cloudrun;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RateLimiterTest {

    /** A clock that only moves when the limiter sleeps. */
    static final class FakeTime {
        long now;
        final List<Long> sleeps = new ArrayList<>();

        void sleep(long nanos) {
            sleeps.add(nanos);
            now += nanos;
        }
    }

    @Test
    void allowsAtMostPermitsInAnySlidingWindow() throws InterruptedException {
        var time = new FakeTime();
        var limiter = new RateLimiter(3, Duration.ofNanos(1000), () -> time.now, time::sleep);
        var grants = new ArrayList<Long>();
        for (int i = 0; i < 10; i++) {
            limiter.acquire();
            grants.add(time.now);
            time.now += 10; // each call takes a little time
        }
        assertThat(grants.subList(0, 3)).containsExactly(0L, 10L, 20L);
        for (int i = 0; i + 3 < grants.size(); i++) {
            assertThat(grants.get(i + 3) - grants.get(i)).isGreaterThanOrEqualTo(1000);
        }
        assertThat(grants.get(3)).isEqualTo(1000L);
    }

    @Test
    void rejectsBadArguments() {
        assertThatThrownBy(() -> new RateLimiter(0, Duration.ofSeconds(1))).hasMessageContaining("permits");
        assertThatThrownBy(() -> new RateLimiter(1, Duration.ZERO)).hasMessageContaining("window");
    }

    @Test
    void backoffGrowsWithJitterAndIsCapped() {
        var b = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(1));
        for (int i = 0; i < 200; i++) {
            assertThat(b.delay(0)).isBetween(Duration.ofMillis(50), Duration.ofMillis(100));
            assertThat(b.delay(2)).isBetween(Duration.ofMillis(200), Duration.ofMillis(400));
            assertThat(b.delay(40)).isBetween(Duration.ofMillis(500), Duration.ofSeconds(1));
        }
    }
}
