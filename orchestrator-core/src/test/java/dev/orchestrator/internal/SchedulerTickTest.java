package dev.orchestrator.internal;

import dev.orchestrator.AttemptOutcome;
import dev.orchestrator.JobSpec;
import dev.orchestrator.OrchestratorListener;
import dev.orchestrator.RetryPolicy;
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
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The scheduler's retry, timeout and take-over decisions, one {@link Scheduler#tick} at a time
 * on a clock the test moves: no threads, no waiting.
 */
class SchedulerTickTest {

    private static final Instant T0 = Instant.parse("2026-03-01T12:00:00Z");
    private static final Duration HEARTBEAT = Duration.ofSeconds(5);
    private static final Duration LEASE = Duration.ofSeconds(15);

    private final MutableClock clock = new MutableClock(T0);
    private final ScriptedStore store = new ScriptedStore();
    private final ScriptedExecutor executor = new ScriptedExecutor();

    private Scheduler scheduler(StepSpec.Builder step) {
        store.saveWorkflow("wf", SpecCodec.toJson(WorkflowSpec.of("wf", step)), T0);
        var config = new OrchestratorConfig(store, null, Map.of("scripted", executor), Map.of(), 4, 8,
                Duration.ofSeconds(1), Duration.ofSeconds(60), HEARTBEAT, LEASE, Duration.ofSeconds(1), Duration.ofSeconds(1), clock, "node-a",
                getClass().getClassLoader(), new OrchestratorListener() { }, null);
        var registry = new ExecutorRegistry(config.executors(), config.executorConfig(), config.classLoader(),
                java.util.Optional::empty);
        return new Scheduler(config, store, registry, new SpecCache(store), new RunWaiters(), Runnable::run, () -> 0.0,
                () -> clock.instant().toEpochMilli() * 1_000_000L);
    }

    private static StepSpec.Builder step() {
        return StepSpec.builder("s", "scripted").job(JobSpec.command("work"));
    }

    private static ClaimedTask task(long id, int attempt, String executionName, Instant startedAt) {
        return new ClaimedTask(id, 1, 1, 0, (int) id, attempt, executionName == null ? TaskStatus.DISPATCHED
                : TaskStatus.RUNNING, executionName, Map.of(), T0, startedAt);
    }

    private Scheduler.Tick tickAt(Duration sinceT0) {
        clock.set(T0.plus(sinceT0));
        return scheduler.tick(clock.instant());
    }

    /** Ticks once a second up to {@code sinceT0}, as a live loop would (heartbeats keep the lease). */
    private void runUntil(Duration sinceT0) {
        Instant end = T0.plus(sinceT0);
        while (clock.instant().plusSeconds(1).isBefore(end)) {
            tickAt(Duration.between(T0, clock.instant().plusSeconds(1)));
        }
        tickAt(sinceT0);
    }

    private Scheduler scheduler;

    @Test
    void aFailedAttemptWithAttemptsLeftIsRequeuedAfterItsBackoff() {
        scheduler = scheduler(step().retry(new RetryPolicy(3, Duration.ofSeconds(2), Duration.ofMinutes(1))));
        store.claimable.add(task(1, 1, null, null));
        tickAt(Duration.ZERO);
        assertThat(executor.started).containsKey(1L);

        executor.sinks.get(1L).report(StatusUpdate.failed(1, "boom", "tail"));
        tickAt(Duration.ofMillis(10));

        TaskUpdate ended = store.written(TaskUpdate.Kind.ENDED).getFirst();
        assertThat(ended.outcome()).isEqualTo(AttemptOutcome.FAILED);
        assertThat(ended.error()).isEqualTo("boom");
        assertThat(ended.retryAt()).isEqualTo(T0.plusMillis(10).plusSeconds(2));
    }

    @Test
    void theLastAllowedAttemptEndsTheTaskWithoutRetry() {
        scheduler = scheduler(step().retry(new RetryPolicy(3, Duration.ofSeconds(2), Duration.ofMinutes(1))));
        store.claimable.add(task(1, 3, null, null));
        tickAt(Duration.ZERO);
        executor.sinks.get(1L).report(StatusUpdate.failed(1, "boom", null));
        tickAt(Duration.ofSeconds(1));

        assertThat(store.written(TaskUpdate.Kind.ENDED)).singleElement()
                .satisfies(u -> assertThat(u.retryAt()).isNull());
    }

    @Test
    void aRetryDueLaterIsClaimedWhenItIsDueWithoutBeingAsked() {
        scheduler = scheduler(step().retry(new RetryPolicy(2, Duration.ofSeconds(30), Duration.ofMinutes(1))));
        store.claimable.add(task(1, 1, null, null));
        tickAt(Duration.ZERO);
        executor.sinks.get(1L).report(StatusUpdate.failed(1, "boom", null));
        tickAt(Duration.ofSeconds(1));
        int claimsAfterWrite = store.claims;
        // The write of an ended attempt asks for one claim; after it, nothing is due until the poll.
        tickAt(Duration.ofSeconds(1));
        tickAt(Duration.ofMillis(1_500));
        assertThat(store.claims).isEqualTo(claimsAfterWrite + 1);

        runUntil(Duration.ofSeconds(30)); // idle polls back off: the next one is not due at 31 s
        int claimsBefore = store.claims;
        store.claimable.add(task(1, 2, null, null));
        tickAt(Duration.ofSeconds(31));
        assertThat(store.claims).isEqualTo(claimsBefore + 1);
        assertThat(executor.started.get(1L).attempt()).isEqualTo(2);
    }

    @Test
    void anAttemptPastItsTimeoutIsCancelledAndRecordedAsTimedOut() {
        scheduler = scheduler(step().timeout(Duration.ofSeconds(10)));
        store.claimable.add(task(1, 1, null, null));
        tickAt(Duration.ZERO);

        tickAt(Duration.ofSeconds(10));
        assertThat(executor.cancelled).isEmpty();

        tickAt(Duration.ofSeconds(11)); // past the deadline: the executor is asked to stop, and reports
        assertThat(executor.cancelled).hasSize(1);
        tickAt(Duration.ofSeconds(12));
        TaskUpdate ended = store.written(TaskUpdate.Kind.ENDED).getFirst();
        assertThat(ended.outcome()).isEqualTo(AttemptOutcome.TIMED_OUT);
        assertThat(ended.error()).isEqualTo("timed out after PT10S; terminated");
        assertThat(ended.exitCode()).isEqualTo(143);
    }

    @Test
    void anAttemptTheExecutorDoesNotStopIsEndedAfterTheCancelGrace() {
        executor.stopsWhenCancelled = false;
        scheduler = scheduler(step().timeout(Duration.ofSeconds(10)));
        store.claimable.add(task(1, 1, null, null));
        tickAt(Duration.ZERO);
        tickAt(Duration.ofSeconds(11));
        assertThat(executor.cancelled).hasSize(1);
        assertThat(executor.graces).containsExactly(Duration.ofSeconds(1));

        // The cancel grace (1 s here) and then the report slack pass before the loop gives up on the executor.
        runUntil(Duration.ofSeconds(12).plus(Timers.CANCEL_GRACE));
        assertThat(store.written(TaskUpdate.Kind.ENDED)).isEmpty();
        tickAt(Duration.ofSeconds(13).plus(Timers.CANCEL_GRACE));
        TaskUpdate ended = store.written(TaskUpdate.Kind.ENDED).getFirst();
        assertThat(ended.outcome()).isEqualTo(AttemptOutcome.TIMED_OUT);
        assertThat(ended.error()).isEqualTo("timed out after PT10S; the executor did not stop it within PT31S");
    }

    @Test
    void anAttemptSilentLongerThanItsHeartbeatTimeoutIsStopped() {
        scheduler = scheduler(step().heartbeatTimeout(Duration.ofSeconds(3)));
        store.claimable.add(task(1, 1, null, null));
        tickAt(Duration.ZERO);
        executor.sinks.get(1L).report(StatusUpdate.heartbeat());
        tickAt(Duration.ofSeconds(2)); // the loop takes the heartbeat at 2 s
        tickAt(Duration.ofSeconds(4)); // 2 s after the heartbeat: alive
        assertThat(executor.cancelled).isEmpty();

        tickAt(Duration.ofMillis(5_500)); // 3.5 s after it
        assertThat(executor.cancelled).hasSize(1);
        tickAt(Duration.ofSeconds(6));
        assertThat(store.written(TaskUpdate.Kind.ENDED).getFirst().error()).startsWith("no heartbeat for PT3S");
    }

    @Test
    void heartbeatsFollowTheIntervalAndTakeOverLooksOneLeaseBack() {
        scheduler = scheduler(step());
        tickAt(Duration.ZERO);
        tickAt(Duration.ofSeconds(4));
        tickAt(Duration.ofSeconds(5));
        assertThat(store.heartbeats).containsExactly(T0, T0.plusSeconds(5));
        assertThat(store.takeOverCutoffs).containsExactly(T0.minus(LEASE), T0.plusSeconds(5).minus(LEASE));
    }

    @Test
    void aTakenOverAttemptWithAnExecutionIsAdoptedAndKeepsItsDeadlineFromItsClaim() {
        scheduler = scheduler(step().timeout(Duration.ofSeconds(60)));
        Instant claimedAt = T0.minusSeconds(40);
        store.orphans.add(task(7, 2, "exec-7", claimedAt));
        tickAt(Duration.ZERO);

        assertThat(executor.adopted).singleElement().satisfies(ctx -> {
            assertThat(ctx.executionName()).isEqualTo("exec-7");
            assertThat(ctx.attempt()).isEqualTo(2);
            assertThat(ctx.deadline()).isEqualTo(claimedAt.plusSeconds(60));
        });
        assertThat(store.written(TaskUpdate.Kind.ENDED)).isEmpty();
        executor.sinks.get(7L).report(StatusUpdate.succeeded(0, null));
        tickAt(Duration.ofSeconds(1));
        assertThat(store.written(TaskUpdate.Kind.ENDED)).singleElement()
                .satisfies(u -> assertThat(u.outcome()).isEqualTo(AttemptOutcome.SUCCEEDED));
    }

    private static ClaimedTask running(long id, int attempt, int lostAttempts) {
        return new ClaimedTask(id, 1, 1, 0, (int) id, attempt, TaskStatus.RUNNING, null, Map.of(), T0, T0.minusSeconds(40),
                lostAttempts);
    }

    @Test
    void aTakenOverAttemptWithoutAnExecutionIsRecordedLostAndRunsAgainAtOnce() {
        scheduler = scheduler(step());
        store.orphans.add(running(8, 1, 0));
        tickAt(Duration.ZERO);

        TaskUpdate lost = store.written(TaskUpdate.Kind.ENDED).getFirst();
        assertThat(lost.taskId()).isEqualTo(8);
        assertThat(lost.outcome()).isEqualTo(AttemptOutcome.LOST);
        assertThat(lost.retryAt()).isEqualTo(T0);
        assertThat(executor.adopted).isEmpty();
    }

    @Test
    void aTaskWhoseNodeDiedMoreOftenThanItsBudgetFailsSayingSo() {
        scheduler = scheduler(step().maxLostAttempts(2));
        store.orphans.add(running(8, 3, 2));
        tickAt(Duration.ZERO);

        TaskUpdate lost = store.written(TaskUpdate.Kind.ENDED).getFirst();
        assertThat(lost.outcome()).isEqualTo(AttemptOutcome.LOST);
        assertThat(lost.retryAt()).as("no further attempt").isNull();
        assertThat(lost.error()).contains("3 times").contains("maxLostAttempts (2)").contains("the node died every time");
    }

    @Test
    void tasksTheStoreSaysThisNodeOwnsAndItDoesNotKnowAreReleasedOrRecovered() {
        scheduler = scheduler(step());
        // A claim whose answer was lost: the store says this node owns them.
        store.owned.add(task(21, 1, null, null));
        store.owned.add(running(22, 1, 0));
        tickAt(Duration.ZERO);

        assertThat(store.written(TaskUpdate.Kind.RELEASED)).extracting(TaskUpdate::taskId).containsExactly(21L);
        assertThat(store.written(TaskUpdate.Kind.ENDED)).singleElement().satisfies(u -> {
            assertThat(u.taskId()).isEqualTo(22L);
            assertThat(u.outcome()).isEqualTo(AttemptOutcome.LOST);
        });
    }

    @Test
    void aNodeDeclaredDeadByOthersFencesItselfAtItsNextHeartbeat() {
        scheduler = scheduler(step());
        store.claimable.add(task(1, 1, null, null));
        tickAt(Duration.ZERO);
        assertThat(executor.started).containsOnlyKeys(1L);

        store.declaredDead.add("node-a");
        tickAt(Duration.ofSeconds(5));
        assertThat(executor.cancelled).extracting(ctx -> ctx.taskId()).containsExactly(1L);
        assertThat(scheduler.nodeId()).isEqualTo("node-a~1");
    }

    @Test
    void aStoreErrorWhilePreparingAClaimedTaskHandsItBack() {
        scheduler = scheduler(step());
        store.failVersionReads = true;
        store.claimable.add(new ClaimedTask(5, 1, 99, 0, 0, 1, TaskStatus.DISPATCHED, null, Map.of(), T0, null));
        tickAt(Duration.ZERO);
        tickAt(Duration.ofMillis(1));
        assertThat(store.written(TaskUpdate.Kind.RELEASED)).extracting(TaskUpdate::taskId).containsExactly(5L);
        assertThat(store.written(TaskUpdate.Kind.ENDED)).isEmpty();
    }

    @Test
    void aClaimedTaskOfAnUnknownExecutorFailsWithTheReasonAndTheLoopGoesOn() {
        scheduler = scheduler(step());
        store.saveWorkflow("other", SpecCodec.toJson(WorkflowSpec.of("other",
                StepSpec.builder("x", "missing").job(JobSpec.command("x")))), T0);
        store.claimable.add(new ClaimedTask(2, 1, 2, 0, 0, 1, TaskStatus.DISPATCHED, null, Map.of(), T0, null));
        store.claimable.add(task(3, 1, null, null));
        tickAt(Duration.ZERO);
        tickAt(Duration.ofMillis(1));

        assertThat(store.written(TaskUpdate.Kind.ENDED)).singleElement().satisfies(u -> {
            assertThat(u.taskId()).isEqualTo(2);
            assertThat(u.error()).startsWith("could not dispatch: ").contains("missing");
        });
        assertThat(executor.started).containsOnlyKeys(3L);
    }

    @Test
    void anUpdateTheDatabaseRejectsIsWrittenSanitisedAndTheRestOfTheBatchAsItIs() {
        store.rejects = u -> (u.error() != null && u.error().indexOf('\0') >= 0)
                || (u.outputTail() != null && u.outputTail().indexOf('\0') >= 0);
        scheduler = scheduler(step());
        for (long id = 1; id <= 5; id++) {
            store.claimable.add(task(id, 1, null, null));
        }
        tickAt(Duration.ZERO);
        for (long id = 1; id <= 5; id++) {
            executor.sinks.get(id).report(id == 3 ? StatusUpdate.failed(1, "bad\0error", "a\0b")
                    : StatusUpdate.succeeded(0, "ok"));
        }
        tickAt(Duration.ofSeconds(1));

        List<TaskUpdate> ended = store.written(TaskUpdate.Kind.ENDED);
        assertThat(ended).extracting(TaskUpdate::taskId).containsExactlyInAnyOrder(1L, 2L, 3L, 4L, 5L);
        TaskUpdate bad = ended.stream().filter(u -> u.taskId() == 3).findFirst().orElseThrow();
        assertThat(bad.outcome()).isEqualTo(AttemptOutcome.FAILED);
        assertThat(bad.outputTail()).isEqualTo("ab");
        assertThat(bad.error()).isEqualTo("baderror [orchestrator: NUL characters removed so that the database "
                + "accepts this result]");

        // The node goes on: a later task's result is written at once.
        store.claimable.add(task(6, 1, null, null));
        tickAt(Duration.ofSeconds(2));
        executor.sinks.get(6L).report(StatusUpdate.succeeded(0, null));
        tickAt(Duration.ofSeconds(3));
        assertThat(store.written(TaskUpdate.Kind.ENDED)).extracting(TaskUpdate::taskId).contains(6L);
    }

    @Test
    void aConnectionFailureKeepsTheBatchAndWritesItWhole() {
        scheduler = scheduler(step());
        store.claimable.add(task(1, 1, null, null));
        store.claimable.add(task(2, 1, null, null));
        tickAt(Duration.ZERO);
        executor.sinks.get(1L).report(StatusUpdate.succeeded(0, null));
        executor.sinks.get(2L).report(StatusUpdate.failed(1, "no", null));
        store.outages = 1;
        tickAt(Duration.ofMillis(100));
        assertThat(store.written(TaskUpdate.Kind.ENDED)).isEmpty();

        tickAt(Duration.ofMillis(600)); // within the store retry pause: no write
        assertThat(store.written(TaskUpdate.Kind.ENDED)).isEmpty();
        tickAt(Duration.ofMillis(1_200));
        assertThat(store.written(TaskUpdate.Kind.ENDED)).extracting(TaskUpdate::taskId).containsExactly(1L, 2L);
    }

    @Test
    void eachRenewalTellsTheExecutorsHowLongTheLeaseHolds() {
        scheduler = scheduler(step());
        tickAt(Duration.ZERO);
        // A fifth of the 15 s lease is kept as a safety margin.
        assertThat(executor.renewals).containsExactly(Duration.ofSeconds(12));
    }

    @Test
    void aFailedHeartbeatIsRetriedWithinASecondNotAnIntervalLater() {
        scheduler = scheduler(step());
        tickAt(Duration.ZERO);
        store.heartbeatsFail = true;
        tickAt(Duration.ofSeconds(5));
        store.heartbeatsFail = false;
        tickAt(Duration.ofSeconds(5).plusMillis(500));
        assertThat(store.heartbeats).containsExactly(T0);
        tickAt(Duration.ofSeconds(6));
        assertThat(store.heartbeats).containsExactly(T0, T0.plusSeconds(6));
    }

    @Test
    void afterAnOutageNoTakeOverUntilEveryNodeHadAFullLeaseToRenew() {
        scheduler = scheduler(step());
        tickAt(Duration.ZERO);
        store.heartbeatsFail = true;
        runUntil(Duration.ofSeconds(8));
        store.heartbeatsFail = false;
        int takeOvers = store.takeOverCutoffs.size();
        runUntil(Duration.ofSeconds(8 + 14));
        assertThat(store.takeOverCutoffs).hasSize(takeOvers);
        runUntil(Duration.ofSeconds(8 + 16));
        assertThat(store.takeOverCutoffs).hasSizeGreaterThan(takeOvers);
    }

    @Test
    void aNodeThatCouldNotRenewItsLeaseFencesItselfAndRejoinsAsANewIncarnation() {
        scheduler = scheduler(step());
        store.claimable.add(task(1, 1, null, null));
        tickAt(Duration.ZERO);
        assertThat(executor.started).containsOnlyKeys(1L);

        // The JVM is frozen (or the database unreachable) past the lease, less its safety margin.
        store.heartbeatsFail = true;
        runUntil(Duration.ofSeconds(11));
        assertThat(executor.cancelled).isEmpty();
        store.claimable.add(task(2, 1, null, null));
        tickAt(Duration.ofSeconds(12));

        assertThat(executor.cancelled).extracting(ctx -> ctx.taskId()).containsExactly(1L);
        assertThat(executor.started).containsOnlyKeys(1L); // nothing starts without a lease
        assertThat(scheduler.nodeId()).isEqualTo("node-a~1");
        executor.sinks.get(1L).report(StatusUpdate.failed(143, "terminated", null));

        store.heartbeatsFail = false;
        tickAt(Duration.ofSeconds(13));
        assertThat(store.heartbeatNodes.getLast()).isEqualTo("node-a~1");
        assertThat(executor.started).containsKey(2L);
        // The fenced attempt's late report is dropped: other nodes own that task now.
        assertThat(store.written(TaskUpdate.Kind.ENDED)).extracting(TaskUpdate::taskId).doesNotContain(1L);
    }

    /** A clock the test sets. */
    static final class MutableClock extends Clock {
        private Instant now;

        MutableClock(Instant now) {
            this.now = now;
        }

        void set(Instant now) {
            this.now = now;
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }
    }
}
