package dev.orchestrator.cloudrun;

import dev.orchestrator.spi.Dispatch;
import dev.orchestrator.spi.StatusUpdate;
import io.grpc.Status;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static dev.orchestrator.cloudrun.CloudRunExecutorTest.awaitEnded;
import static dev.orchestrator.cloudrun.CloudRunExecutorTest.awaitRunning;
import static dev.orchestrator.cloudrun.CloudRunExecutorTest.dispatches;
import static dev.orchestrator.cloudrun.CloudRunExecutorTest.sink;
import static dev.orchestrator.cloudrun.CloudRunExecutorTest.task;
import static dev.orchestrator.cloudrun.CloudRunExecutorTest.withExecution;
import static org.assertj.core.api.Assertions.assertThat;

/** The real API's rules (issue 12), each against a fake that keeps them. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class CloudRunApiRulesTest {

    FakeCloudRun fake;
    final List<CloudRunExecutor> executors = new ArrayList<>();

    @BeforeEach
    void startFake() throws Exception {
        fake = FakeCloudRun.inProcess();
    }

    @AfterEach
    void stop() {
        executors.forEach(CloudRunExecutor::close);
        fake.close();
    }

    CloudRunExecutor executor(CloudRunExecutorBuilder builder) {
        var e = builder.build();
        executors.add(e);
        return e;
    }

    static void assertAllSucceeded(List<Dispatch> ds) {
        assertThat(ds).allSatisfy(d -> assertThat(sink(d).end().kind()).as("%s", sink(d).updates)
                .isEqualTo(StatusUpdate.Kind.SUCCEEDED));
    }

    // ---- 3: every call has a deadline

    @Test
    void aHungPollFailsAtItsDeadlineAndIsRetried() throws Exception {
        fake.hang(FakeCloudRun.Method.GET_EXECUTION, 1);
        var executor = executor(fake.executorBuilder().readTimeout(Duration.ofMillis(200)));
        var ds = dispatches(31, 0, 3, 3);

        executor.startAll(ds);
        awaitEnded(ds);

        assertAllSucceeded(ds);
        assertThat(fake.calls(FakeCloudRun.Method.GET_EXECUTION)).isGreaterThan(1);
    }

    @Test
    void aHungListTasksFailsAtItsDeadlineAndIsRetried() throws Exception {
        fake.script(1, FakeCloudRun.Script.fail(4));
        fake.hang(FakeCloudRun.Method.LIST_TASKS, 1);
        var executor = executor(fake.executorBuilder().readTimeout(Duration.ofMillis(200)));
        var ds = dispatches(32, 0, 3, 3);

        executor.startAll(ds);
        awaitEnded(ds);

        assertThat(sink(ds.get(1)).end().exitCode()).isEqualTo(4);
        assertThat(sink(ds.get(0)).end().kind()).isEqualTo(StatusUpdate.Kind.SUCCEEDED);
    }

    @Test
    void aHungRunJobFailsAtItsDeadlineAndIsTriedAgain() throws Exception {
        fake.hang(FakeCloudRun.Method.RUN_JOB, 1);
        var executor = executor(fake.executorBuilder().runJobTimeout(Duration.ofMillis(200)));
        var ds = dispatches(38, 0, 2, 2);

        executor.startAll(ds);
        awaitEnded(ds);

        assertAllSucceeded(ds);
        assertThat(fake.runJobCalls()).hasSize(2);
        assertThat(fake.executions()).hasSize(1);
    }

    // ---- 2: RunJob is not idempotent

    @Test
    void aRunJobThatStartedItsExecutionButAnsweredUnavailableIsFoundNotRepeated() throws Exception {
        fake.startThenFailRunJob(1);
        var executor = executor(fake.executorBuilder());
        var ds = dispatches(39, 0, 3, 3);

        executor.startAll(ds);
        awaitEnded(ds);

        assertAllSucceeded(ds);
        assertThat(fake.executions()).as("executions started").hasSize(1);
        assertThat(fake.runJobCalls()).hasSize(1);
        assertThat(fake.calls(FakeCloudRun.Method.LIST_EXECUTIONS)).isGreaterThanOrEqualTo(1);
        String launchId = CloudRunExecutorTest.env(fake.runJobCalls().get(0).request()).get(CloudRunExecutor.LAUNCH_ID);
        assertThat(launchId).isNotBlank();
        assertThat(sink(ds.get(0)).executionName()).isEqualTo(fake.executions().get(0).getName());
    }

    @Test
    void aRunJobThatFailedWithoutStartingIsTriedAgainAfterTheLookup() throws Exception {
        fake.fail(FakeCloudRun.Method.RUN_JOB, Status.UNAVAILABLE.withDescription("reset"), 1);
        var executor = executor(fake.executorBuilder());
        var ds = dispatches(40, 0, 2, 2);

        executor.startAll(ds);
        awaitEnded(ds);

        assertAllSucceeded(ds);
        assertThat(fake.runJobCalls()).hasSize(2);
        assertThat(fake.executions()).hasSize(1);
        assertThat(fake.calls(FakeCloudRun.Method.LIST_EXECUTIONS)).isEqualTo(1);
    }

    // ---- 4: reads are retried; ListTasks only when needed

    @Test
    void internalUnknownAndAbortedOnReadsAreRetried() throws Exception {
        fake.script(2, FakeCloudRun.Script.fail(5));
        fake.fail(FakeCloudRun.Method.GET_EXECUTION, Status.INTERNAL.withDescription("oops"), 2);
        fake.fail(FakeCloudRun.Method.GET_EXECUTION, Status.ABORTED.withDescription("conflict"), 1);
        fake.fail(FakeCloudRun.Method.LIST_TASKS, Status.UNKNOWN.withDescription("?"), 2);
        var executor = executor(fake.executorBuilder());
        var ds = dispatches(33, 0, 4, 4);

        executor.startAll(ds);
        awaitEnded(ds);

        for (Dispatch d : ds) {
            StatusUpdate end = sink(d).end();
            if (d.task().taskIndex() == 2) {
                assertThat(end.exitCode()).isEqualTo(5);
            } else {
                assertThat(end.kind()).as("%s", end).isEqualTo(StatusUpdate.Kind.SUCCEEDED);
            }
        }
    }

    @Test
    void anExecutionWhoseTasksAllSucceededIsNotListed() throws Exception {
        var executor = executor(fake.executorBuilder());
        var ds = dispatches(34, 0, 50, 50);

        executor.startAll(ds);
        awaitEnded(ds);

        assertAllSucceeded(ds);
        assertThat(fake.listTasksCalls()).isZero();
    }

    @Test
    void taskStatesThatLagTheCountsAreReadAgain() throws Exception {
        fake.script(3, FakeCloudRun.Script.fail(7));
        fake.lag(true, 1);
        var executor = executor(fake.executorBuilder());
        var ds = dispatches(35, 0, 5, 5);

        executor.startAll(ds);
        awaitEnded(ds);

        StatusUpdate failed = sink(ds.get(3)).end();
        assertThat(failed.exitCode()).as("%s", failed).isEqualTo(7);
        assertThat(failed.error()).contains("exit code 7");
        assertThat(ds).filteredOn(d -> d.task().taskIndex() != 3).allSatisfy(d ->
                assertThat(sink(d).end().kind()).isEqualTo(StatusUpdate.Kind.SUCCEEDED));
    }

    @Test
    void anExecutionThatFailsBeforeAnyTaskStartsFailsItsTasksWithTheReason() throws Exception {
        fake.failBeforeStart("Image 'example/worker' not found.");
        var executor = executor(fake.executorBuilder());
        var ds = dispatches(36, 0, 3, 3);

        executor.startAll(ds);
        awaitEnded(ds);

        assertThat(ds).allSatisfy(d -> {
            assertThat(sink(d).end().kind()).isEqualTo(StatusUpdate.Kind.FAILED);
            assertThat(sink(d).end().error()).contains("Image 'example/worker' not found.");
        });
    }

    // ---- 1 and 10: a cancel or a timeout detaches one task, never its siblings

    @Test
    void anOverdueQueuedTaskIsDetachedAndItsSiblingsFinish() throws Exception {
        // Cloud Run runs 2 of the 6 tasks at once; the core's deadline of the last one passes
        // while it still waits in Cloud Run's queue, and the core cancels it.
        fake.job(CloudRunExecutorTest.JOB, new FakeCloudRun.FakeJob(2, 1, 0, 600, 0, List.of("worker")));
        fake.taskDuration(Duration.ofMillis(150));
        var executor = executor(fake.executorBuilder());
        var ds = dispatches(41, 0, 6, 6);
        executor.startAll(ds);
        awaitRunning(ds);
        String name = sink(ds.get(0)).executionName();

        executor.cancel(ds.get(5).task());
        awaitEnded(ds);

        assertThat(fake.cancelCalls()).isEmpty();
        assertThat(sink(ds.get(5)).end().error()).startsWith("cancelled: detached from Cloud Run execution " + name)
                .contains("task 5 may still run");
        assertAllSucceeded(ds.subList(0, 5));
        assertThat(fake.execution(name).getSucceededCount()).isEqualTo(6);
    }

    @Test
    void eachTaskTimeoutCountsFromThatTasksOwnStartInCloudRun() throws Exception {
        // One task at a time, 600 ms each: the last starts 1.2 s after the execution, yet none
        // passes its own 1 s timeout; a task that hangs fails at its own timeout, alone.
        fake.job(CloudRunExecutorTest.JOB, new FakeCloudRun.FakeJob(1, 1, 0, 600, 0, List.of("worker")));
        fake.taskDuration(Duration.ofMillis(600));
        fake.script(3, FakeCloudRun.Script.HANG);
        var executor = executor(fake.executorBuilder());
        var spec = dev.orchestrator.JobSpec.options(java.util.Map.of("job", CloudRunExecutorTest.JOB, "timeout", "1"));
        var ds = new ArrayList<Dispatch>();
        for (int i = 0; i < 4; i++) {
            ds.add(new Dispatch(task(57, i, 4, spec), new RecordingSink()));
        }

        executor.startAll(ds);
        awaitEnded(ds);

        assertThat(fake.runJobCalls().get(0).request().getOverrides().getTimeout().getSeconds()).isEqualTo(1);
        assertAllSucceeded(ds.subList(0, 3));
        assertThat(sink(ds.get(3)).end().error()).contains("Task timed out after 1s");
    }

    @Test
    void theExecutionIsCancelledOnceEveryAttemptWaitingForItIsCancelled() throws Exception {
        for (int i = 0; i < 3; i++) {
            fake.script(i, FakeCloudRun.Script.HANG);
        }
        var executor = executor(fake.executorBuilder());
        var ds = dispatches(42, 0, 3, 3);
        executor.startAll(ds);
        awaitRunning(ds);
        String name = sink(ds.get(0)).executionName();

        executor.cancel(ds.get(0).task());
        executor.cancel(ds.get(1).task());
        awaitEnded(ds.subList(0, 2));
        Thread.sleep(100);
        assertThat(fake.cancelCalls()).as("task 2 still runs").isEmpty();
        executor.cancel(ds.get(2).task());
        awaitEnded(ds);

        CloudRunExecutorTest.await("one CancelExecution", () -> fake.cancelCalls().size() == 1);
        assertThat(fake.cancelCalls()).containsExactly(name);
        assertThat(ds).allSatisfy(d -> assertThat(sink(d).end().error()).startsWith("cancelled: detached"));
    }

    @Test
    void aCancelBeforeTheStartLeavesTheOtherTasksOfTheLaunchToRun() throws Exception {
        var executor = executor(fake.executorBuilder().maxRunningExecutions(1));
        fake.script(100, FakeCloudRun.Script.HANG);
        var blocker = dispatches(43, 100, 101, 101);
        executor.startAll(blocker);
        awaitRunning(blocker);
        var ds = dispatches(44, 0, 3, 3);
        executor.startAll(ds);

        executor.cancel(ds.get(1).task());
        executor.cancel(blocker.get(0).task());
        awaitEnded(ds);

        assertThat(sink(ds.get(1)).end().error()).isEqualTo("cancelled before its Cloud Run execution started");
        assertThat(sink(ds.get(1)).count(StatusUpdate.Kind.RUNNING)).isZero();
        assertThat(sink(ds.get(0)).end().kind()).isEqualTo(StatusUpdate.Kind.SUCCEEDED);
        assertThat(sink(ds.get(2)).end().kind()).isEqualTo(StatusUpdate.Kind.SUCCEEDED);
    }

    // ---- 5, 6, 8, 12: the job is read once, and what Cloud Run would refuse fails at once

    static FakeCloudRun.FakeJob job(int parallelism, int maxRetries, int envCount, List<String> containers) {
        return new FakeCloudRun.FakeJob(parallelism, 1, maxRetries, 600, envCount, containers);
    }

    @Test
    void aJobWhoseParallelismExceedsTheTaskCountFailsAtOnceSayingWhatToSet() throws Exception {
        fake.job(CloudRunExecutorTest.JOB, job(5, 0, 0, List.of("worker")));
        var executor = executor(fake.executorBuilder());
        var tail = dispatches(45, 10, 13, 13);
        var big = dispatches(46, 0, 8, 8);

        executor.startAll(tail);
        executor.startAll(big);
        awaitEnded(tail);
        awaitEnded(big);

        assertThat(tail).allSatisfy(d -> assertThat(sink(d).end().error())
                .contains("has parallelism 5, more than the 3 task(s)").contains("set the job's parallelism to 0"));
        assertAllSucceeded(big);
        assertThat(fake.runJobCalls()).hasSize(1);
        assertThat(fake.calls(FakeCloudRun.Method.GET_JOB)).isEqualTo(1);
    }

    @Test
    void cloudRunsOwnRetriesAreRefusedWhenTheSettingSaysSo() throws Exception {
        fake.job(CloudRunExecutorTest.JOB, job(0, 3, 0, List.of("worker")));
        var strict = executor(fake.executorBuilder().requireZeroMaxRetries(true));
        var lenient = executor(fake.executorBuilder());
        var refused = dispatches(47, 0, 2, 2);
        var warned = dispatches(48, 0, 2, 2);

        strict.startAll(refused);
        lenient.startAll(warned);
        awaitEnded(refused);
        awaitEnded(warned);

        assertThat(refused).allSatisfy(d -> assertThat(sink(d).end().error())
                .contains("retries each failed task 3 time(s) (max_retries)").contains("set the job's max_retries to 0"));
        assertAllSucceeded(warned);
        assertThat(fake.runJobCalls()).hasSize(1);
    }

    @Test
    void aFailingTaskIsRetriedByCloudRunAsItsJobSays() throws Exception {
        fake.job(CloudRunExecutorTest.JOB, job(0, 2, 0, List.of("worker")));
        fake.script(1, FakeCloudRun.Script.fail(3));
        var executor = executor(fake.executorBuilder());
        var ds = dispatches(49, 0, 2, 2);

        executor.startAll(ds);
        awaitEnded(ds);

        assertThat(sink(ds.get(1)).end().error()).contains("(after 2 retries)");
    }

    @Test
    void aJobWithSeveralContainersNeedsOptionsContainer() throws Exception {
        fake.job(CloudRunExecutorTest.JOB, job(0, 0, 0, List.of("worker", "proxy")));
        var executor = executor(fake.executorBuilder());
        var ds = dispatches(50, 0, 2, 2);
        var named = new RecordingSink();
        var spec = dev.orchestrator.JobSpec.options(java.util.Map.of("job", CloudRunExecutorTest.JOB,
                "container", "worker"));

        executor.startAll(ds);
        executor.start(task(51, 0, 1, spec), named);
        awaitEnded(ds);

        assertThat(sink(ds.get(0)).end().error()).contains("has 2 containers [worker, proxy]")
                .contains("set options.container");
        assertThat(named.awaitEnd(CloudRunExecutorTest.WAIT)).isTrue();
        assertThat(named.end().kind()).isEqualTo(StatusUpdate.Kind.SUCCEEDED);
        assertThat(fake.runJobCalls()).hasSize(1);
    }

    @Test
    void environmentLimitsFailTheTaskNamingTheVariable() throws Exception {
        var executor = executor(fake.executorBuilder());
        var big = new RecordingSink();
        var base = task(52, 0, 1, CloudRunExecutorTest.SPEC);
        var withBigParameter = new dev.orchestrator.spi.TaskContext(base.taskId(), base.runId(), base.workflow(),
                base.step(), base.stepIndex(), base.taskIndex(), base.taskCount(), base.attempt(),
                java.util.Map.of("blob", "x".repeat(40_000)), base.job(), null, null);

        executor.start(withBigParameter, big);

        assertThat(big.awaitEnd(CloudRunExecutorTest.WAIT)).isTrue();
        assertThat(big.end().error()).contains("ORCHESTRATOR_PARAM_blob is 40000 bytes long")
                .contains("at most 32768 bytes");
        assertThat(fake.runJobCalls()).isEmpty();
    }

    @Test
    void tooManyVariablesWithTheJobsOwnFailTheTask() throws Exception {
        fake.job(CloudRunExecutorTest.JOB, job(0, 0, 995, List.of("worker")));
        var executor = executor(fake.executorBuilder());
        var ds = dispatches(53, 0, 1, 1);

        executor.startAll(ds);
        awaitEnded(ds);

        assertThat(sink(ds.get(0)).end().error()).contains("995 of the job itself").contains("at most 1000");
        assertThat(fake.runJobCalls()).isEmpty();
    }

    @Test
    void reservedVariablesAreRefusedWhenTheWorkflowIsRegistered() {
        var executor = executor(fake.executorBuilder());
        var spec = new dev.orchestrator.JobSpec(List.of(), java.util.Map.of("PORT", "8080"), null,
                java.util.Map.of("job", CloudRunExecutorTest.JOB));

        org.assertj.core.api.Assertions.assertThatThrownBy(() -> executor.validate(spec))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("environment: environment variable PORT is reserved by Cloud Run (CLOUD_RUN_* and PORT)");
    }

    // ---- 7: quotas

    @Test
    void pollsOfManyExecutionsShareOneReadLimiterAndStayWithinTheReadQuota() throws Exception {
        fake.quotas(Integer.MAX_VALUE, 40, Duration.ofSeconds(1));
        fake.taskDuration(Duration.ofMillis(1500));
        var executor = executor(fake.executorBuilder().batching(false).readRate(30, Duration.ofSeconds(1)));
        var ds = dispatches(54, 0, 20, 20);

        executor.startAll(ds);
        awaitEnded(ds);

        assertAllSucceeded(ds);
        assertThat(fake.readQuotaRefusals()).as("reads refused by the quota").isZero();
    }

    @Test
    void resourceExhaustedOnRunJobPausesEveryStartOfTheNode() throws Exception {
        fake.throttleRunJob(1);
        Duration pause = Duration.ofMillis(400);
        var executor = executor(fake.executorBuilder().batching(false).retryBackoff(pause, Duration.ofSeconds(1)));
        var first = dispatches(55, 0, 1, 1);
        executor.startAll(first);
        // The fake records the call before the executor reads the answer: wait until it has paused.
        CloudRunExecutorTest.await("the first RunJob refused and starts paused", executor::startsPaused);
        long refusedAt = fake.runJobCalls().get(0).nanoTime();
        var later = dispatches(56, 0, 3, 3);
        executor.startAll(later);
        awaitEnded(first);
        awaitEnded(later);

        assertThat(fake.runJobCalls().get(0).answer().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
        assertAllSucceeded(later);
        assertThat(fake.runJobCalls()).hasSize(5);
        // Every start of the node waits for the whole pause, not only the launch that was refused.
        assertThat(fake.runJobCalls().subList(1, 5)).allSatisfy(c ->
                assertThat(c.nanoTime() - refusedAt).isGreaterThanOrEqualTo(pause.toNanos() - 20_000_000L));
    }

    // ---- 9: retention deletes

    @Test
    void adoptingADeletedExecutionReportsItLostNotFailed() throws Exception {
        fake.pause();
        var first = executor(fake.executorBuilder());
        var started = dispatches(37, 0, 2, 2);
        first.startAll(started);
        awaitRunning(started);
        String name = sink(started.get(0)).executionName();
        first.close();
        fake.delete(name);

        var second = executor(fake.executorBuilder());
        var adopted = new RecordingSink();
        second.adopt(withExecution(task(37, 0, 2, CloudRunExecutorTest.SPEC), name), adopted);

        assertThat(adopted.awaitEnd(CloudRunExecutorTest.WAIT)).isTrue();
        assertThat(adopted.end().kind()).isEqualTo(StatusUpdate.Kind.LOST);
        assertThat(adopted.end().error()).startsWith("lost: ").contains(name).contains("NOT_FOUND")
                .contains("1,000 completed executions");
    }
}
