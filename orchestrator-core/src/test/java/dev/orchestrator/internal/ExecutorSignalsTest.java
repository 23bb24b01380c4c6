package dev.orchestrator.internal;

import dev.orchestrator.AttemptOutcome;
import dev.orchestrator.JobSpec;
import dev.orchestrator.OrchestratorListener;
import dev.orchestrator.StepSpec;
import dev.orchestrator.TaskStatus;
import dev.orchestrator.WorkflowSpec;
import dev.orchestrator.spi.ClaimedTask;
import dev.orchestrator.spi.StatusUpdate;
import dev.orchestrator.spi.TaskUpdate;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the scheduler does with the executor reports beyond running and ending: the real start of
 * a queued task ({@code STARTED}), a lost attempt ({@code LOST}), an attempt handed back
 * ({@code RELEASED}), and the executor state stored with the execution name. One
 * {@link Scheduler#tick} at a time on a clock the test moves.
 */
class ExecutorSignalsTest {

    private static final Instant T0 = Instant.parse("2026-03-01T12:00:00Z");

    private final MutableClock clock = new MutableClock();
    private final ScriptedStore store = new ScriptedStore();
    private final ScriptedExecutor executor = new ScriptedExecutor();
    private Scheduler scheduler;

    private void schedulerFor(StepSpec.Builder step) {
        store.saveWorkflow("wf", SpecCodec.toJson(WorkflowSpec.of("wf", step)), T0);
        var config = new OrchestratorConfig(store, null, Map.of("scripted", executor), Map.of(), 4, 8,
                Duration.ofSeconds(1), Duration.ofSeconds(60), Duration.ofSeconds(5), Duration.ofSeconds(15),
                Duration.ofSeconds(1), Duration.ofSeconds(1), clock, "node-a", getClass().getClassLoader(),
                new OrchestratorListener() { }, null);
        var registry = new ExecutorRegistry(config.executors(), config.executorConfig(), config.classLoader(),
                java.util.Optional::empty);
        scheduler = new Scheduler(config, store, registry, new SpecCache(store), new RunWaiters(), Runnable::run,
                () -> 0.0, () -> clock.instant().toEpochMilli() * 1_000_000L);
    }

    private static StepSpec.Builder step() {
        return StepSpec.builder("s", "scripted").job(JobSpec.command("work"));
    }

    private static ClaimedTask claimed(long id) {
        return new ClaimedTask(id, 1, 1, 0, (int) id, 1, TaskStatus.DISPATCHED, null, Map.of(), T0, null);
    }

    private static ClaimedTask running(long id, int lostAttempts, String executorState) {
        return new ClaimedTask(id, 1, 1, 0, (int) id, 1, TaskStatus.RUNNING, "exec-" + id, Map.of(), T0,
                T0.minusSeconds(40), lostAttempts, executorState);
    }

    /** Ticks once a second up to {@code sinceT0}, as a live loop would (heartbeats keep the lease), then at it. */
    private void tickAt(Duration sinceT0) {
        Instant end = T0.plus(sinceT0);
        while (clock.now.plusSeconds(1).isBefore(end)) {
            clock.now = clock.now.plusSeconds(1);
            scheduler.tick(clock.now);
        }
        clock.now = end;
        scheduler.tick(clock.now);
    }

    @Test
    void theTimeoutOfAnExecutorThatReportsStartsCountsFromTheStartNotFromDispatch() {
        executor.reportsStart = true;
        schedulerFor(step().timeout(Duration.ofSeconds(10)));
        store.claimable.add(claimed(1));
        tickAt(Duration.ZERO);

        tickAt(Duration.ofSeconds(30)); // queued in the backend for longer than the timeout
        assertThat(executor.cancelled).as("no deadline before the task really starts").isEmpty();

        executor.sinks.get(1L).report(StatusUpdate.started());
        tickAt(Duration.ofSeconds(31));
        tickAt(Duration.ofSeconds(41));
        assertThat(executor.cancelled).as("10 s after the start, not yet past it").isEmpty();

        tickAt(Duration.ofMillis(41_600));
        assertThat(executor.cancelled).hasSize(1);
        tickAt(Duration.ofSeconds(42));
        assertThat(store.written(TaskUpdate.Kind.ENDED)).singleElement()
                .satisfies(u -> assertThat(u.outcome()).isEqualTo(AttemptOutcome.TIMED_OUT));
    }

    @Test
    void aStartReportRestartsTheTimeoutAndHeartbeatClocksOfAnyExecutor() {
        schedulerFor(step().timeout(Duration.ofSeconds(10)).heartbeatTimeout(Duration.ofSeconds(8)));
        store.claimable.add(claimed(1));
        tickAt(Duration.ZERO);
        tickAt(Duration.ofSeconds(6));
        executor.sinks.get(1L).report(StatusUpdate.started());
        tickAt(Duration.ofMillis(6_100)); // clocks restart here: deadline 16.1 s, heartbeat due by 14.1 s

        tickAt(Duration.ofSeconds(12));
        assertThat(executor.cancelled).as("neither the dispatch deadline (10 s) nor heartbeat (8 s) applies").isEmpty();
        executor.sinks.get(1L).report(StatusUpdate.heartbeat());
        tickAt(Duration.ofSeconds(13));
        tickAt(Duration.ofSeconds(16));
        assertThat(executor.cancelled).isEmpty();

        tickAt(Duration.ofMillis(16_700));
        assertThat(executor.cancelled).hasSize(1);
    }

    @Test
    void aStartTheBackendDatesEarlierCountsFromThatTimeAndTheHeartbeatFromTheReport() {
        executor.reportsStart = true;
        schedulerFor(step().timeout(Duration.ofSeconds(10)).heartbeatTimeout(Duration.ofSeconds(8)));
        store.orphans.add(running(7, 0, null)); // adopted: the task started long before this node saw it
        tickAt(Duration.ZERO);
        executor.sinks.get(7L).report(StatusUpdate.started(T0.minusSeconds(4)));
        tickAt(Duration.ofSeconds(1));

        tickAt(Duration.ofMillis(5_900));
        assertThat(executor.cancelled).isEmpty();
        tickAt(Duration.ofMillis(6_500)); // 10 s after the task's own start; 5.5 s after the report
        assertThat(executor.cancelled).singleElement().satisfies(ctx -> assertThat(ctx.taskId()).isEqualTo(7L));
    }

    @Test
    void aStartReportedAfterATimeoutDoesNotReviveTheDeadline() {
        schedulerFor(step().timeout(Duration.ofSeconds(10)));
        executor.stopsWhenCancelled = false;
        store.claimable.add(claimed(1));
        tickAt(Duration.ZERO);
        tickAt(Duration.ofSeconds(11));
        assertThat(executor.cancelled).hasSize(1);

        executor.sinks.get(1L).report(StatusUpdate.started());
        tickAt(Duration.ofSeconds(12));
        executor.sinks.get(1L).report(StatusUpdate.failed(null, "stopped", null));
        tickAt(Duration.ofSeconds(13));
        assertThat(store.written(TaskUpdate.Kind.ENDED)).singleElement()
                .satisfies(u -> assertThat(u.outcome()).isEqualTo(AttemptOutcome.TIMED_OUT));
    }

    @Test
    void aLostReportRunsTheTaskAgainAtOnceWithinTheLostBudgetNotTheRetryPolicy() {
        schedulerFor(step()); // no retries: a FAILED would end the task
        store.claimable.add(claimed(1));
        tickAt(Duration.ZERO);

        executor.sinks.get(1L).report(StatusUpdate.lost("lost: the execution vanished"));
        tickAt(Duration.ofSeconds(1));

        assertThat(store.written(TaskUpdate.Kind.ENDED)).singleElement().satisfies(u -> {
            assertThat(u.outcome()).isEqualTo(AttemptOutcome.LOST);
            assertThat(u.error()).isEqualTo("lost: the execution vanished");
            assertThat(u.retryAt()).isEqualTo(T0.plusSeconds(1));
        });
    }

    @Test
    void aLostReportBeyondTheLostBudgetFailsTheTaskSayingSo() {
        schedulerFor(step().maxLostAttempts(2));
        store.orphans.add(running(7, 2, null));
        tickAt(Duration.ZERO);
        assertThat(executor.adopted).hasSize(1);

        executor.sinks.get(7L).report(StatusUpdate.lost("lost: deleted by retention"));
        tickAt(Duration.ofSeconds(1));

        assertThat(store.written(TaskUpdate.Kind.ENDED)).singleElement().satisfies(u -> {
            assertThat(u.outcome()).isEqualTo(AttemptOutcome.LOST);
            assertThat(u.retryAt()).as("no further attempt").isNull();
            assertThat(u.error()).startsWith("lost: deleted by retention").contains("lost 3 times")
                    .contains("maxLostAttempts (2)");
        });
    }

    @Test
    void lostReportsOfFreshClaimsCannotRunATaskForever() {
        schedulerFor(step().maxLostAttempts(3)); // one attempt allowed to fail: attempts 2.. follow losses
        store.claimable.add(new ClaimedTask(1, 1, 1, 0, 1, 5, TaskStatus.DISPATCHED, null, Map.of(), T0, null));
        tickAt(Duration.ZERO);

        executor.sinks.get(1L).report(StatusUpdate.lost("lost: gave up following"));
        tickAt(Duration.ofSeconds(1));

        assertThat(store.written(TaskUpdate.Kind.ENDED)).singleElement().satisfies(u -> {
            assertThat(u.outcome()).isEqualTo(AttemptOutcome.LOST);
            assertThat(u.retryAt()).as("attempt 5 implies 4 earlier losses: over the budget of 3").isNull();
            assertThat(u.error()).contains("lost 5 times").contains("maxLostAttempts (3)");
        });
    }

    @Test
    void aLostReportOfAUserCancelledAttemptEndsItCancelled() {
        schedulerFor(step());
        executor.stopsWhenCancelled = false;
        store.claimable.add(claimed(1));
        tickAt(Duration.ZERO);
        store.cancelRequests.put(1L, 1);
        tickAt(Duration.ofSeconds(1));
        assertThat(executor.cancelled).hasSize(1);

        executor.sinks.get(1L).report(StatusUpdate.lost("lost"));
        tickAt(Duration.ofSeconds(2));
        assertThat(store.written(TaskUpdate.Kind.ENDED)).singleElement()
                .satisfies(u -> assertThat(u.outcome()).isEqualTo(AttemptOutcome.CANCELLED));
    }

    @Test
    void aReleasedReportHandsTheAttemptBackUnused() {
        schedulerFor(step());
        store.claimable.add(claimed(1));
        tickAt(Duration.ZERO);

        executor.sinks.get(1L).report(StatusUpdate.released());
        tickAt(Duration.ofSeconds(1));

        assertThat(store.written(TaskUpdate.Kind.RELEASED)).singleElement().satisfies(u -> {
            assertThat(u.taskId()).isEqualTo(1L);
            assertThat(u.owner()).isEqualTo("node-a");
        });
        assertThat(store.written(TaskUpdate.Kind.ENDED)).isEmpty();
    }

    @Test
    void theExecutorStateReportedWithRunningIsWrittenAndHandedToTheAdopter() {
        schedulerFor(step());
        store.orphans.add(running(7, 0, "r1.s0.a1.i7.n3.abc"));
        tickAt(Duration.ZERO);
        assertThat(executor.adopted).singleElement()
                .satisfies(ctx -> assertThat(ctx.executorState()).isEqualTo("r1.s0.a1.i7.n3.abc"));

        store.claimable.add(claimed(2));
        tickAt(Duration.ofSeconds(1));
        executor.sinks.get(2L).report(StatusUpdate.running("exec-2", null, "state-2"));
        tickAt(Duration.ofSeconds(2));
        assertThat(store.written(TaskUpdate.Kind.RUNNING)).filteredOn(u -> u.taskId() == 2L)
                .extracting(TaskUpdate::executorState).contains("state-2");
    }

    @Test
    void aDispatchedAttemptWithoutAnExecutionIsHandedToAnExecutorThatAdoptsUnnamedOnes() {
        executor.adoptsUnnamed = true;
        schedulerFor(step());
        // A dead node's dispatched attempt, and this node's own whose claim it lost track of: each
        // may have started an execution whose name was never recorded.
        store.orphans.add(claimed(20));
        store.owned.add(claimed(21));
        tickAt(Duration.ZERO);

        assertThat(store.written(TaskUpdate.Kind.RELEASED)).isEmpty();
        assertThat(executor.adopted).extracting(ctx -> ctx.taskId()).containsExactlyInAnyOrder(20L, 21L);
        assertThat(executor.adopted).allSatisfy(ctx -> assertThat(ctx.executionName()).isNull());
        // One was found: it runs on under this node.
        executor.sinks.get(20L).report(StatusUpdate.running("exec-20", null, "r1.s0.a1.i20.n1.x"));
        // Nothing was found: the executor hands it back.
        executor.sinks.get(21L).report(StatusUpdate.released());
        tickAt(Duration.ofSeconds(1));
        assertThat(store.written(TaskUpdate.Kind.RELEASED)).extracting(TaskUpdate::taskId).containsExactly(21L);
        assertThat(store.written(TaskUpdate.Kind.RUNNING)).extracting(TaskUpdate::taskId).containsExactly(20L);
    }

    @Test
    void aDispatchedAttemptIsReleasedWhenItsExecutorDoesNotAdoptUnnamedOnes() {
        schedulerFor(step());
        store.orphans.add(claimed(20));
        store.owned.add(claimed(21));
        tickAt(Duration.ZERO);

        assertThat(store.written(TaskUpdate.Kind.RELEASED)).extracting(TaskUpdate::taskId)
                .containsExactlyInAnyOrder(20L, 21L);
        assertThat(executor.adopted).isEmpty();
    }

    private static final class MutableClock extends Clock {
        Instant now = T0;

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
