package dev.orchestrator.spring;

import dev.orchestrator.NodeStatus;
import org.junit.jupiter.api.Test;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;

import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

/** How a running scheduling node's {@link NodeStatus} maps to UP or DOWN, with the reason. */
class OrchestratorHealthIndicatorTest {

    private static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");
    private static final Duration LEASE = Duration.ofSeconds(90);

    private static NodeStatus status(boolean fenced, boolean loopAlive, boolean heartbeatAlive, Duration age) {
        return new NodeStatus(fenced ? "n~1" : "n", fenced ? 1 : 0, true, NOW.minus(age), age, LEASE, !fenced,
                fenced ? NOW.minusSeconds(100) : null, fenced, fenced ? NOW.minusSeconds(5) : null, loopAlive,
                NOW, heartbeatAlive, NOW);
    }

    private static Health health(NodeStatus s) {
        Health.Builder b = new Health.Builder();
        OrchestratorHealthIndicator.node(b, s);
        return b.build();
    }

    @Test
    void aNodeHoldingItsLeaseWithLiveThreadsIsUp() {
        Health h = health(status(false, true, true, Duration.ofSeconds(3)));
        assertThat(h.getStatus()).isEqualTo(Status.UP);
        assertThat(h.getDetails()).containsEntry("fenced", false).containsEntry("leaseHeld", true)
                .containsEntry("heartbeatAgeMillis", 3_000L).containsEntry("leaseMillis", 90_000L)
                .containsEntry("incarnation", 0).doesNotContainKey("reason");
    }

    @Test
    void aFencedNodeIsDown() {
        Health h = health(status(true, true, true, Duration.ofSeconds(100)));
        assertThat(h.getStatus()).isEqualTo(Status.DOWN);
        assertThat(h.getDetails()).containsEntry("fenced", true).containsEntry("incarnation", 1)
                .containsEntry("lastFencedAt", NOW.minusSeconds(5).toString());
        assertThat((String) h.getDetails().get("reason")).startsWith("fenced");
    }

    @Test
    void aDeadSchedulerLoopOrHeartbeatThreadIsDown() {
        Health loop = health(status(false, false, true, Duration.ofSeconds(1)));
        assertThat(loop.getStatus()).isEqualTo(Status.DOWN);
        assertThat(loop.getDetails()).containsEntry("reason", "the scheduler loop has stopped");
        Health beat = health(status(false, true, false, Duration.ofSeconds(1)));
        assertThat(beat.getStatus()).isEqualTo(Status.DOWN);
        assertThat(beat.getDetails()).containsEntry("reason", "the heartbeat thread has stopped");
    }

    @Test
    void aHeartbeatOlderThanTheLeaseIsDown() {
        Health h = health(status(false, true, true, LEASE.plusSeconds(1)));
        assertThat(h.getStatus()).isEqualTo(Status.DOWN);
        assertThat((String) h.getDetails().get("reason")).contains("91000 ms old");
    }
}
