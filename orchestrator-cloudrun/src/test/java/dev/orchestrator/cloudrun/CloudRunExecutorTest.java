package dev.orchestrator.cloudrun;

import com.google.cloud.run.v2.EnvVar;
import com.google.cloud.run.v2.RunJobRequest;
import dev.orchestrator.JobSpec;
import dev.orchestrator.spi.Dispatch;
import dev.orchestrator.spi.StatusUpdate;
import dev.orchestrator.spi.TaskContext;
import io.grpc.Status;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/** Drives the executor through the SPI against the real clients and a fake Cloud Run. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class CloudRunExecutorTest {

    static final String JOB = "projects/demo/locations/europe-west1/jobs/worker";
    static final JobSpec SPEC = new JobSpec(List.of("--mode", "resize"), Map.of("BUCKET", "images"), null,
            Map.of("job", JOB, "timeout", "600"));
    static final Duration WAIT = Duration.ofSeconds(30);

    FakeCloudRun fake;
    final List<CloudRunExecutor> executors = new ArrayList<>();

    @BeforeEach
    void startFake() throws Exception {
        fake = FakeCloudRun.inProcess();
    }

    @AfterEach
    void stop() throws Exception {
        executors.forEach(CloudRunExecutor::close);
        fake.close();
    }

    CloudRunExecutor executor(CloudRunExecutorBuilder builder) {
        var e = builder.build();
        executors.add(e);
        return e;
    }

    static TaskContext task(long runId, int index, int count, JobSpec job) {
        return new TaskContext(runId * 1_000_000 + index, runId, "images", "resize", 0, index, count, 1,
                Map.of("date", "2024-05-01"), job, null, null);
    }

    static TaskContext withExecution(TaskContext t, String executionName) {
        return new TaskContext(t.taskId(), t.runId(), t.workflow(), t.step(), t.stepIndex(), t.taskIndex(),
                t.taskCount(), t.attempt(), t.parameters(), t.job(), t.deadline(), executionName);
    }

    /** Tasks {@code [from, to)} of a step of {@code count} tasks, each with its own sink. */
    static List<Dispatch> dispatches(long runId, int from, int to, int count) {
        return IntStream.range(from, to).mapToObj(i -> new Dispatch(task(runId, i, count, SPEC), new RecordingSink()))
                .collect(Collectors.toCollection(ArrayList::new));
    }

    static RecordingSink sink(Dispatch d) {
        return (RecordingSink) d.sink();
    }

    static void awaitEnded(List<Dispatch> ds) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        for (Dispatch d : ds) {
            long left = Math.max(1, deadline - System.nanoTime());
            assertThat(sink(d).awaitEnd(Duration.ofNanos(left)))
                    .as("task %d ended; updates %s", d.task().taskIndex(), sink(d).updates).isTrue();
        }
    }

    static void awaitRunning(List<Dispatch> ds) throws InterruptedException {
        for (Dispatch d : ds) {
            assertThat(sink(d).awaitRunning(WAIT)).as("task %d running", d.task().taskIndex()).isTrue();
        }
    }

    static void await(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime() < deadline).as("timed out waiting for: " + what).isTrue();
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
        }
    }

    static Map<String, String> env(RunJobRequest r) {
        return r.getOverrides().getContainerOverrides(0).getEnvList().stream()
                .collect(Collectors.toMap(EnvVar::getName, EnvVar::getValue));
    }

    @Test
    void bigStepRunsAsAHandfulOfExecutionsAndEveryTaskGetsItsOwnOutcome() throws Exception {
        fake.script(1234, FakeCloudRun.Script.fail(3));
        var executor = executor(fake.executorBuilder());
        var all = dispatches(7, 0, 2500, 2500);

        for (int from = 0; from < all.size(); from += 512) {
            executor.startAll(all.subList(from, Math.min(all.size(), from + 512)));
        }
        awaitEnded(all);

        var calls = fake.acceptedRunJobCalls();
        assertThat(fake.runJobCalls()).hasSize(5);
        assertThat(calls).extracting(c -> c.request().getOverrides().getTaskCount())
                .containsExactlyInAnyOrder(512, 512, 512, 512, 452);
        assertThat(calls).extracting(c -> env(c.request()).get("ORCHESTRATOR_TASK_INDEX_OFFSET"))
                .containsExactlyInAnyOrder("0", "512", "1024", "1536", "2048");
        RunJobRequest first = calls.get(0).request();
        assertThat(first.getName()).isEqualTo(JOB);
        assertThat(first.getOverrides().getTimeout().getSeconds()).isEqualTo(600);
        assertThat(first.getOverrides().getContainerOverrides(0).getArgsList()).containsExactly("--mode", "resize");
        assertThat(env(first)).containsEntry("ORCHESTRATOR_RUN_ID", "7").containsEntry("ORCHESTRATOR_ATTEMPT", "1")
                .containsEntry("ORCHESTRATOR_TASK_COUNT", "2500").containsEntry("ORCHESTRATOR_PARAM_date", "2024-05-01")
                .containsEntry("BUCKET", "images");

        var names = new HashSet<String>();
        for (Dispatch d : all) {
            RecordingSink s = sink(d);
            assertThat(s.updates.get(0).kind()).isEqualTo(StatusUpdate.Kind.RUNNING);
            names.add(s.executionName());
            StatusUpdate end = s.end();
            assertThat(s.count(StatusUpdate.Kind.SUCCEEDED) + s.count(StatusUpdate.Kind.FAILED)).isEqualTo(1);
            if (d.task().taskIndex() == 1234) {
                assertThat(end.kind()).isEqualTo(StatusUpdate.Kind.FAILED);
                assertThat(end.exitCode()).isEqualTo(3);
                assertThat(end.error()).contains("exit code 3").contains(s.executionName());
            } else {
                assertThat(end.kind()).as("task %d: %s", d.task().taskIndex(), end).isEqualTo(StatusUpdate.Kind.SUCCEEDED);
                assertThat(end.exitCode()).isZero();
            }
        }
        assertThat(names).hasSize(5);
        // Tasks 1024..1535 share one execution; 1234 is its Cloud Run task 210.
        assertThat(sink(all.get(1234)).end().error()).contains("task 210 of");
    }

    @Test
    void aFailingIndexFailsJustThatTask() throws Exception {
        fake.script(27, FakeCloudRun.Script.fail(42));
        var executor = executor(fake.executorBuilder());
        var ds = dispatches(3, 20, 30, 30);

        executor.startAll(ds);
        awaitEnded(ds);

        assertThat(fake.runJobCalls()).hasSize(1);
        for (Dispatch d : ds) {
            StatusUpdate end = sink(d).end();
            if (d.task().taskIndex() == 27) {
                assertThat(end.kind()).isEqualTo(StatusUpdate.Kind.FAILED);
                assertThat(end.exitCode()).isEqualTo(42);
                assertThat(end.error()).contains("task 7 of").contains("exit code 42");
            } else {
                assertThat(end.kind()).isEqualTo(StatusUpdate.Kind.SUCCEEDED);
            }
        }
    }

    @Test
    void oneTaskPerExecutionModeStartsAnExecutionPerTask() throws Exception {
        var executor = executor(fake.executorBuilder().batching(false));
        var ds = dispatches(4, 0, 4, 4);

        executor.startAll(ds);
        awaitEnded(ds);

        assertThat(fake.runJobCalls()).hasSize(4);
        assertThat(fake.runJobCalls()).allSatisfy(c -> assertThat(c.request().getOverrides().getTaskCount()).isEqualTo(1));
        assertThat(fake.runJobCalls()).extracting(c -> env(c.request()).get("ORCHESTRATOR_TASK_INDEX_OFFSET"))
                .containsExactlyInAnyOrder("0", "1", "2", "3");
        assertThat(ds).allSatisfy(d -> assertThat(sink(d).end().kind()).isEqualTo(StatusUpdate.Kind.SUCCEEDED));
    }

    @Test
    void withoutOptionsTimeoutTheAttemptDeadlineBecomesTheTaskTimeout() throws Exception {
        var executor = executor(fake.executorBuilder());
        var spec = JobSpec.options(Map.of("job", JOB));
        var t = task(16, 0, 1, spec);
        var withDeadline = new TaskContext(t.taskId(), t.runId(), t.workflow(), t.step(), t.stepIndex(), t.taskIndex(),
                t.taskCount(), t.attempt(), t.parameters(), spec, java.time.Instant.now().plusSeconds(90), null);
        var sink = new RecordingSink();

        executor.start(withDeadline, sink);

        assertThat(sink.awaitEnd(WAIT)).isTrue();
        var overrides = fake.runJobCalls().get(0).request().getOverrides();
        assertThat(overrides.getTimeout().getSeconds()).isBetween(80L, 90L);
        assertThat(overrides.getContainerOverrides(0).getArgsList()).isEmpty();
    }

    @Test
    void throttledRunJobIsRetriedAndTheRateLimitIsNeverExceeded() throws Exception {
        int permits = 3;
        Duration window = Duration.ofMillis(400);
        fake.throttleRunJob(4);
        var executor = executor(fake.executorBuilder().batching(false).runJobRate(permits, window));
        var ds = dispatches(5, 0, 8, 8);

        executor.startAll(ds);
        awaitEnded(ds);

        var calls = fake.runJobCalls();
        assertThat(calls).hasSize(12);
        assertThat(calls).filteredOn(c -> c.answer().getCode() == Status.Code.RESOURCE_EXHAUSTED).hasSize(4);
        assertThat(ds).allSatisfy(d -> assertThat(sink(d).end().kind()).isEqualTo(StatusUpdate.Kind.SUCCEEDED));
        long tolerance = TimeUnit.MILLISECONDS.toNanos(40);
        for (int i = 0; i + permits < calls.size(); i++) {
            long gap = calls.get(i + permits).nanoTime() - calls.get(i).nanoTime();
            assertThat(gap).as("calls %d and %d are %d ms apart", i, i + permits, gap / 1_000_000)
                    .isGreaterThanOrEqualTo(window.toNanos() - tolerance);
        }
    }

    @Test
    void transientPollErrorsAreRetriedAndRunningTasksGetHeartbeats() throws Exception {
        fake.script(0, FakeCloudRun.Script.HANG);
        fake.failGetExecution(3);
        var executor = executor(fake.executorBuilder().heartbeatInterval(Duration.ofMillis(30)));
        var ds = dispatches(15, 0, 2, 2);
        executor.startAll(ds);
        awaitRunning(ds);
        String name = sink(ds.get(0)).executionName();

        await("two heartbeats", () -> sink(ds.get(0)).count(StatusUpdate.Kind.HEARTBEAT) >= 2);
        assertThat(fake.getExecutionCalls(name)).isGreaterThan(3);
        executor.cancel(ds.get(0).task());
        awaitEnded(ds);

        assertThat(sink(ds.get(0)).end().error()).startsWith("cancelled: detached from Cloud Run execution " + name);
        assertThat(sink(ds.get(1)).end().kind()).as("task 1 had finished before the cancel")
                .isEqualTo(StatusUpdate.Kind.SUCCEEDED);
        await("the execution cancelled: only the detached task still ran", () -> fake.cancelCalls().contains(name));
    }

    @Test
    void cancelThroughTheExecutorCancelsTheExecution() throws Exception {
        for (int i = 0; i < 4; i++) {
            fake.script(i, FakeCloudRun.Script.HANG);
        }
        var executor = executor(fake.executorBuilder());
        var ds = dispatches(6, 0, 4, 4);
        executor.startAll(ds);
        awaitRunning(ds);
        String name = sink(ds.get(0)).executionName();

        for (Dispatch d : ds) {
            executor.cancel(d.task());
        }
        awaitEnded(ds);

        await("CancelExecution", () -> !fake.cancelCalls().isEmpty());
        assertThat(fake.cancelCalls()).containsExactly(name);
        await("the execution cancelled, after its CANCELLING phase",
                () -> fake.execution(name).getCancelledCount() == 4);
        assertThat(ds).allSatisfy(d -> {
            assertThat(sink(d).end().kind()).isEqualTo(StatusUpdate.Kind.FAILED);
            assertThat(sink(d).end().error()).containsIgnoringCase("cancelled");
        });
    }

    @Test
    void anAttemptCancelledWhileWaitingForASlotNeverStarts() throws Exception {
        fake.script(0, FakeCloudRun.Script.HANG);
        var executor = executor(fake.executorBuilder().maxRunningExecutions(1));
        var first = dispatches(8, 0, 1, 2);
        var second = dispatches(9, 1, 2, 2);
        executor.startAll(first);
        awaitRunning(first);
        executor.startAll(second);

        executor.cancel(second.get(0).task());
        executor.cancel(first.get(0).task());
        awaitEnded(second);
        awaitEnded(first);

        assertThat(fake.runJobCalls()).hasSize(1);
        assertThat(sink(second.get(0)).end().error()).contains("cancelled before its Cloud Run execution started");
        assertThat(sink(second.get(0)).count(StatusUpdate.Kind.RUNNING)).isZero();
    }

    @Test
    void aSecondExecutorAdoptsAnExecutionStartedByAClosedOne() throws Exception {
        fake.script(5, FakeCloudRun.Script.fail(9));
        fake.pause();
        var first = executor(fake.executorBuilder());
        var started = dispatches(11, 0, 100, 100);
        first.startAll(started);
        awaitRunning(started);
        String name = sink(started.get(0)).executionName();
        first.close();
        int pollsBefore = fake.getExecutionCalls(name);

        var second = executor(fake.executorBuilder());
        var adopted = new ArrayList<Dispatch>();
        for (Dispatch d : started) {
            adopted.add(new Dispatch(withExecution(d.task(), sink(d).executionName()), new RecordingSink()));
        }
        assertThat(second.canAdopt()).isTrue();
        for (Dispatch d : adopted) {
            second.adopt(d.task(), d.sink());
        }
        fake.resume();
        awaitEnded(adopted);

        assertThat(fake.runJobCalls()).hasSize(1);
        assertThat(fake.getExecutionCalls(name) - pollsBefore).as("polls of the adopted execution").isLessThan(10);
        // One listing for the tasks' own start times (an adopted execution's tasks started before
        // this executor saw them: the core's timeout counts from there), one for the outcomes.
        assertThat(fake.listTasksCalls()).isEqualTo(2);
        assertThat(adopted).allSatisfy(d -> assertThat(sink(d).count(StatusUpdate.Kind.STARTED)).isEqualTo(1));
        for (Dispatch d : adopted) {
            StatusUpdate end = sink(d).end();
            if (d.task().taskIndex() == 5) {
                assertThat(end.kind()).isEqualTo(StatusUpdate.Kind.FAILED);
                assertThat(end.exitCode()).isEqualTo(9);
            } else {
                assertThat(end.kind()).isEqualTo(StatusUpdate.Kind.SUCCEEDED);
            }
        }
        assertThat(started).allSatisfy(d -> assertThat(sink(d).end()).isNull());
    }

    @Test
    void permissionDeniedFailsTheTasksAtOnceWithTheApiMessage() throws Exception {
        fake.failRunJob(Status.PERMISSION_DENIED.withDescription(
                "Permission 'run.jobs.runWithOverrides' denied on resource '" + JOB + "'"));
        var executor = executor(fake.executorBuilder());
        var ds = dispatches(12, 0, 3, 3);

        executor.startAll(ds);
        awaitEnded(ds);

        assertThat(fake.runJobCalls()).hasSize(1);
        assertThat(ds).allSatisfy(d -> {
            StatusUpdate end = sink(d).end();
            assertThat(end.kind()).isEqualTo(StatusUpdate.Kind.FAILED);
            assertThat(end.exitCode()).isNull();
            assertThat(end.error()).isEqualTo("RunJob for " + JOB + " failed: PERMISSION_DENIED: Permission "
                    + "'run.jobs.runWithOverrides' denied on resource '" + JOB + "'");
            assertThat(sink(d).count(StatusUpdate.Kind.RUNNING)).isZero();
        });
    }

    @Test
    void adoptingAnUnknownExecutionFailsClearly() throws Exception {
        var executor = executor(fake.executorBuilder());
        String missing = JOB + "/executions/worker-gone";
        var sink = new RecordingSink();

        executor.adopt(withExecution(task(13, 0, 1, SPEC), missing), sink);

        assertThat(sink.awaitEnd(WAIT)).isTrue();
        assertThat(sink.end().error()).contains("NOT_FOUND").contains(missing);
    }

    @Test
    void aBadJobSpecFailsItsTaskWithoutCallingTheApi() throws Exception {
        var executor = executor(fake.executorBuilder());
        var sink = new RecordingSink();

        executor.start(task(14, 0, 1, JobSpec.options(Map.of("job", "worker"))), sink);

        assertThat(sink.awaitEnd(WAIT)).isTrue();
        assertThat(sink.end().error()).contains("options.job");
        assertThat(fake.runJobCalls()).isEmpty();
    }
}
