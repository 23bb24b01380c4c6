package dev.orchestrator.internal;

import dev.orchestrator.JobSpec;
import dev.orchestrator.NodeStatus;
import dev.orchestrator.OrchestratorListener;
import dev.orchestrator.StepSpec;
import dev.orchestrator.TaskStatus;
import dev.orchestrator.WorkflowSpec;
import dev.orchestrator.spi.ClaimedTask;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link Scheduler#status}, the source of {@code Orchestrator.nodeStatus()}, one tick at a time
 * on a clock the test moves: held, fenced, rejoined.
 */
class NodeStatusTest {

    private static final Instant T0 = Instant.parse("2026-03-01T12:00:00Z");
    private static final Duration HEARTBEAT = Duration.ofSeconds(5);
    private static final Duration LEASE = Duration.ofSeconds(15);

    private final SchedulerTickTest.MutableClock clock = new SchedulerTickTest.MutableClock(T0);
    private final ScriptedStore store = new ScriptedStore();
    private final ScriptedExecutor executor = new ScriptedExecutor();
    private Scheduler scheduler;

    private Scheduler scheduler() {
        store.saveWorkflow("wf", SpecCodec.toJson(WorkflowSpec.of("wf",
                StepSpec.builder("s", "scripted").job(JobSpec.command("work")))), T0);
        var config = new OrchestratorConfig(store, null, Map.of("scripted", executor), Map.of(), 4, 8,
                Duration.ofSeconds(1), Duration.ofSeconds(60), HEARTBEAT, LEASE, Duration.ofSeconds(1), Duration.ofSeconds(1), clock, "node-a",
                getClass().getClassLoader(), new OrchestratorListener() { }, null);
        var registry = new ExecutorRegistry(config.executors(), config.executorConfig(), config.classLoader(),
                java.util.Optional::empty);
        return new Scheduler(config, store, registry, new SpecCache(store), new RunWaiters(), Runnable::run, () -> 0.0,
                () -> clock.instant().toEpochMilli() * 1_000_000L);
    }

    private void tickAt(Duration sinceT0) {
        clock.set(T0.plus(sinceT0));
        scheduler.tick(clock.instant());
    }

    @Test
    void aNodeThatHasNotRenewedYetHoldsNoLeaseAndIsNotFenced() {
        scheduler = scheduler();
        NodeStatus s = scheduler.status(false);
        assertThat(s.nodeId()).isEqualTo("node-a");
        assertThat(s.scheduling()).isFalse();
        assertThat(s.leaseHeld()).isFalse();
        assertThat(s.fenced()).isFalse();
        assertThat(s.lastHeartbeat()).isNull();
        assertThat(s.heartbeatAge()).isNull();
        assertThat(s.lastTick()).isNull();
        assertThat(s.schedulerAlive()).isFalse();
        assertThat(s.lease()).isEqualTo(LEASE);
    }

    @Test
    void aNodeThatRenewedReportsItsHeartbeatItsAgeAndItsLease() {
        scheduler = scheduler();
        tickAt(Duration.ZERO);
        tickAt(Duration.ofSeconds(3));
        NodeStatus s = scheduler.status(true);
        assertThat(s.scheduling()).isTrue();
        assertThat(s.leaseHeld()).isTrue();
        assertThat(s.fenced()).isFalse();
        assertThat(s.incarnation()).isZero();
        assertThat(s.lastHeartbeat()).isEqualTo(T0);
        assertThat(s.heartbeatAge()).isEqualTo(Duration.ofSeconds(3));
        assertThat(s.heartbeatFailingSince()).isNull();
        assertThat(s.lastTick()).isEqualTo(T0.plusSeconds(3));
        assertThat(s.at()).isEqualTo(T0.plusSeconds(3));
    }

    @Test
    void aNodeWhoseLeaseRanOutIsReportedFencedUntilItRenewsAsItsNextIncarnation() {
        scheduler = scheduler();
        store.claimable.add(new ClaimedTask(1, 1, 1, 0, 1, 1, TaskStatus.DISPATCHED, null, Map.of(), T0, null));
        tickAt(Duration.ZERO);
        store.heartbeatsFail = true;
        for (int s = 1; s <= 11; s++) {
            tickAt(Duration.ofSeconds(s));
        }
        NodeStatus failing = scheduler.status(true);
        assertThat(failing.fenced()).isFalse();
        assertThat(failing.leaseHeld()).isTrue();
        assertThat(failing.heartbeatFailingSince()).isEqualTo(T0.plusSeconds(5));

        tickAt(Duration.ofSeconds(12)); // the lease (15 s less a fifth) ran out
        NodeStatus fenced = scheduler.status(true);
        assertThat(fenced.fenced()).isTrue();
        assertThat(fenced.leaseHeld()).isFalse();
        assertThat(fenced.lastFencedAt()).isEqualTo(T0.plusSeconds(12));
        assertThat(fenced.incarnation()).isEqualTo(1);
        assertThat(fenced.nodeId()).isEqualTo("node-a~1");
        assertThat(fenced.lastHeartbeat()).isEqualTo(T0);
        assertThat(fenced.heartbeatAge()).isEqualTo(Duration.ofSeconds(12));

        store.heartbeatsFail = false;
        tickAt(Duration.ofSeconds(13));
        NodeStatus rejoined = scheduler.status(true);
        assertThat(rejoined.fenced()).isFalse();
        assertThat(rejoined.leaseHeld()).isTrue();
        assertThat(rejoined.lastFencedAt()).isEqualTo(T0.plusSeconds(12));
        assertThat(rejoined.nodeId()).isEqualTo("node-a~1");
        assertThat(rejoined.heartbeatFailingSince()).isNull();
    }

    @Test
    void aNodeDeclaredDeadByAnotherIsReportedFenced() {
        scheduler = scheduler();
        tickAt(Duration.ZERO);
        store.declaredDead.add("node-a");
        tickAt(Duration.ofSeconds(5));
        NodeStatus s = scheduler.status(true);
        assertThat(s.fenced()).isTrue();
        assertThat(s.nodeId()).isEqualTo("node-a~1");
        assertThat(s.lastFencedAt()).isEqualTo(T0.plusSeconds(5));
    }
}
