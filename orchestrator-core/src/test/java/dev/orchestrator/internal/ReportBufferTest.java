package dev.orchestrator.internal;

import dev.orchestrator.JobSpec;
import dev.orchestrator.OrchestratorListener;
import dev.orchestrator.StepSpec;
import dev.orchestrator.TaskStatus;
import dev.orchestrator.WorkflowSpec;
import dev.orchestrator.spi.ClaimedTask;
import dev.orchestrator.spi.StatusSink;
import dev.orchestrator.spi.StatusUpdate;
import dev.orchestrator.spi.TaskUpdate;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * While writes fail (the database is away), what a node keeps to write is bounded by its
 * attempts in flight: an attempt's repeated heartbeats are merged, in the inbox and in the
 * updates not yet written. One tick at a time, on a clock the test moves.
 */
class ReportBufferTest {

    private static final Instant T0 = Instant.parse("2026-03-01T12:00:00Z");

    private final SchedulerTickTest.MutableClock clock = new SchedulerTickTest.MutableClock(T0);
    private final ScriptedStore store = new ScriptedStore();
    private final ScriptedExecutor executor = new ScriptedExecutor();
    private final List<Integer> batches = new ArrayList<>();
    private final List<Integer> depths = new ArrayList<>();

    private Scheduler scheduler() {
        store.saveWorkflow("wf", SpecCodec.toJson(WorkflowSpec.of("wf",
                StepSpec.builder("s", "scripted").job(JobSpec.command("work")))), T0);
        OrchestratorListener listener = new OrchestratorListener() {
            @Override
            public void written(int updates, Duration latency, int queueDepth) {
                batches.add(updates);
                depths.add(queueDepth);
            }
        };
        var config = new OrchestratorConfig(store, null, Map.of("scripted", executor), Map.of(), 4, 8,
                Duration.ofSeconds(1), Duration.ofSeconds(60), Duration.ofSeconds(5), Duration.ofSeconds(60),
                Duration.ofSeconds(1), Duration.ofSeconds(1), clock, "node-a", getClass().getClassLoader(), listener,
                null);
        var registry = new ExecutorRegistry(config.executors(), config.executorConfig(), config.classLoader(),
                java.util.Optional::empty);
        return new Scheduler(config, store, registry, new SpecCache(store), new RunWaiters(), Runnable::run, () -> 0.0,
                () -> clock.instant().toEpochMilli() * 1_000_000L);
    }

    @Test
    void anAttemptsHeartbeatsDuringAnOutageAreKeptAsOneAndWrittenOnceTheDatabaseIsBack() {
        Scheduler scheduler = scheduler();
        store.claimable.add(new ClaimedTask(1, 1, 1, 0, 1, 1, TaskStatus.DISPATCHED, null, Map.of(), T0, null));
        store.claimable.add(new ClaimedTask(2, 1, 1, 0, 2, 1, TaskStatus.DISPATCHED, null, Map.of(), T0, null));
        scheduler.tick(T0);
        assertThat(executor.started).containsOnlyKeys(1L, 2L);
        scheduler.tick(T0); // their RUNNING reports written
        store.outages = Integer.MAX_VALUE;
        for (int s = 1; s <= 30; s++) {
            for (StatusSink sink : executor.sinks.values()) {
                for (int i = 0; i < 100; i++) {
                    sink.report(StatusUpdate.heartbeat());
                }
            }
            clock.set(T0.plusSeconds(s));
            scheduler.tick(clock.instant());
        }
        executor.sinks.get(1L).report(StatusUpdate.succeeded(0, null));
        store.outages = 0;
        clock.set(T0.plusSeconds(31));
        scheduler.tick(clock.instant());

        // 6,000 heartbeats reported in 30 s of failed writes: one per attempt written, and the end.
        assertThat(store.written(TaskUpdate.Kind.HEARTBEAT)).extracting(TaskUpdate::taskId).containsExactlyInAnyOrder(1L, 2L);
        assertThat(store.written(TaskUpdate.Kind.ENDED)).extracting(TaskUpdate::taskId).containsExactly(1L);
        assertThat(batches.getLast()).isEqualTo(3);
        assertThat(depths.getLast()).isZero();
    }

    @Test
    void heartbeatsAfterAWriteAreWrittenAgain() {
        Scheduler scheduler = scheduler();
        store.claimable.add(new ClaimedTask(1, 1, 1, 0, 1, 1, TaskStatus.DISPATCHED, null, Map.of(), T0, null));
        scheduler.tick(T0);
        StatusSink sink = executor.sinks.get(1L);
        sink.report(StatusUpdate.heartbeat());
        sink.report(StatusUpdate.heartbeat());
        scheduler.tick(T0.plusSeconds(1));
        sink.report(StatusUpdate.heartbeat());
        scheduler.tick(T0.plusSeconds(2));
        assertThat(store.written(TaskUpdate.Kind.HEARTBEAT)).hasSize(2);
    }
}
