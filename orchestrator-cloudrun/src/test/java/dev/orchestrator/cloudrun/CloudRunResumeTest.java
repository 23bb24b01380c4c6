package dev.orchestrator.cloudrun;

import com.google.protobuf.util.Timestamps;
import dev.orchestrator.JobSpec;
import dev.orchestrator.Orchestrator;
import dev.orchestrator.RunInfo;
import dev.orchestrator.RunStatus;
import dev.orchestrator.StepSpec;
import dev.orchestrator.TaskStatus;
import dev.orchestrator.WorkflowSpec;
import dev.orchestrator.jdbc.JdbcStore;
import dev.orchestrator.spi.Dispatch;
import dev.orchestrator.spi.StatusUpdate;
import dev.orchestrator.spi.TaskContext;
import io.grpc.Status;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static dev.orchestrator.cloudrun.CloudRunExecutorTest.SPEC;
import static dev.orchestrator.cloudrun.CloudRunExecutorTest.WAIT;
import static dev.orchestrator.cloudrun.CloudRunExecutorTest.awaitEnded;
import static dev.orchestrator.cloudrun.CloudRunExecutorTest.awaitRunning;
import static dev.orchestrator.cloudrun.CloudRunExecutorTest.dispatches;
import static dev.orchestrator.cloudrun.CloudRunExecutorTest.env;
import static dev.orchestrator.cloudrun.CloudRunExecutorTest.sink;
import static dev.orchestrator.cloudrun.CloudRunExecutorTest.task;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the executor tells the core beyond running and ending (issue 12, items 1, 2, 4 and 11):
 * the launch key stored with each attempt and used to adopt, each task's real start, the lookup
 * of an execution whose name was never recorded, and lost attempts. Against the fake.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class CloudRunResumeTest {

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

    /** {@code t} as a take-over hands it over: with the execution name and state stored with it. */
    static TaskContext stored(TaskContext t, int attempt, String executionName, String executorState) {
        return new TaskContext(t.taskId(), t.runId(), t.workflow(), t.step(), t.stepIndex(), t.taskIndex(),
                t.taskCount(), attempt, t.parameters(), t.job(), t.deadline(), executionName, executorState);
    }

    @Test
    void adoptionMatchesTasksByTheLaunchKeyStoredWithTheAttemptNotByReadingOverridesBack() throws Exception {
        fake.pause();
        fake.script(5, FakeCloudRun.Script.fail(3));
        var first = executor(fake.executorBuilder());
        var started = dispatches(61, 4, 7, 10);
        first.startAll(started);
        awaitRunning(started);
        String name = sink(started.get(0)).executionName();
        String state = sink(started.get(0)).executorState();
        assertThat(state).as("the launch id, which holds the offset")
                .isEqualTo(env(fake.runJobCalls().get(0).request()).get(CloudRunExecutor.LAUNCH_ID));
        assertThat(LaunchKey.parse(state)).satisfies(k -> {
            assertThat(k.offset()).isEqualTo(4);
            assertThat(k.count()).isEqualTo(3);
        });
        assertThat(started).allSatisfy(d -> assertThat(sink(d).executorState()).isEqualTo(state));
        first.close();

        // Cloud Run's execution no longer shows the overrides: only the stored state says task 0 is index 4.
        fake.hideOverridesOnGet();
        fake.resume();
        var second = executor(fake.executorBuilder());
        var adopted = new ArrayList<Dispatch>();
        for (Dispatch d : started) {
            var sink = new RecordingSink();
            adopted.add(new Dispatch(stored(d.task(), 1, name, state), sink));
            second.adopt(adopted.getLast().task(), sink);
        }
        awaitEnded(adopted);

        assertThat(sink(adopted.get(0)).end().kind()).isEqualTo(StatusUpdate.Kind.SUCCEEDED);
        assertThat(sink(adopted.get(1)).end().exitCode()).isEqualTo(3);
        assertThat(sink(adopted.get(2)).end().kind()).isEqualTo(StatusUpdate.Kind.SUCCEEDED);
        assertThat(fake.runJobCalls()).hasSize(1);
    }

    @Test
    void tasksQueuedBehindTheJobsParallelismReportTheirStartWhenTheyLeavePending() throws Exception {
        // Two tasks at a time, 300 ms each: tasks 2-3 start after 300 ms, tasks 4-5 after 600 ms.
        fake.job(CloudRunExecutorTest.JOB, new FakeCloudRun.FakeJob(2, 1, 0, 600, 0, List.of("worker")));
        fake.taskDuration(Duration.ofMillis(300));
        var executor = executor(fake.executorBuilder());
        var ds = dispatches(62, 0, 6, 6);

        executor.startAll(ds);
        awaitEnded(ds);

        Instant created = Instant.ofEpochMilli(Timestamps.toMillis(fake.executions().get(0).getCreateTime()));
        for (Dispatch d : ds) {
            RecordingSink s = sink(d);
            assertThat(s.count(StatusUpdate.Kind.STARTED)).as("task %d: %s", d.task().taskIndex(), s.updates)
                    .isEqualTo(1);
            int started = -1;
            for (int i = 0; i < s.updates.size() && started < 0; i++) {
                started = s.updates.get(i).kind() == StatusUpdate.Kind.STARTED ? i : -1;
            }
            assertThat(started).as("started before it ended").isLessThan(s.updates.indexOf(s.end()));
            int wave = d.task().taskIndex() / 2;
            assertThat(s.startedAt).as("task %d reported started no earlier than Cloud Run started it",
                    d.task().taskIndex()).isAfterOrEqualTo(created.plusMillis(300L * wave));
        }
        assertAllSucceeded(ds);
    }

    @Test
    void aStepTimeoutShorterThanTheQueueOfItsBatchTimesOutNoTaskThatKeepsIt(@TempDir Path dir) throws Exception {
        // 8 tasks in one execution, 2 at a time, 400 ms each: the last pair starts 1.2 s after
        // dispatch and the execution ends after 1.6 s, yet each task keeps the step's 1.5 s timeout
        // counted from its own start (the first pair's success is read before the execution ends).
        fake.job(CloudRunExecutorTest.JOB, new FakeCloudRun.FakeJob(2, 1, 0, 600, 0, List.of("worker")));
        fake.taskDuration(Duration.ofMillis(400));
        try (JdbcStore store = JdbcStore.sqlite(dir.resolve("queued.db"));
             CloudRunExecutor executor = fake.executorBuilder().build();
             Orchestrator o = Orchestrator.builder().store(store).executor(executor).maxConcurrency(64).batchSize(8)
                     .build()) {
            o.start();
            o.register(WorkflowSpec.of("queued", StepSpec.builder("render", "cloudrun")
                    .job(JobSpec.options(java.util.Map.of("job", CloudRunExecutorTest.JOB))).tasks(8)
                    .timeout(Duration.ofMillis(1500))));

            RunInfo done = o.trigger("queued").await(WAIT);

            assertThat(o.tasks(done.id())).allSatisfy(t -> assertThat(t.status()).as("%s", t)
                    .isEqualTo(TaskStatus.SUCCEEDED));
            assertThat(done.status()).isEqualTo(RunStatus.SUCCEEDED);
            assertThat(fake.executions()).hasSize(1);
        }
    }

    @Test
    void aDispatchedAttemptWhoseNodeDiedBeforeRecordingTheNameIsFoundByItsLaunchKey() throws Exception {
        fake.pause();
        var first = executor(fake.executorBuilder());
        var started = dispatches(63, 0, 3, 3);
        first.startAll(started);
        awaitRunning(started);
        String name = sink(started.get(0)).executionName();
        first.close(); // the node dies; the store never heard of the execution

        var second = executor(fake.executorBuilder());
        var found = new RecordingSink();
        second.adopt(stored(task(63, 1, 3, SPEC), 1, null, null), found);
        var never = new RecordingSink(); // attempt 2 of the same task was never launched
        second.adopt(stored(task(63, 2, 3, SPEC), 2, null, null), never);
        assertThat(found.awaitRunning(WAIT)).isTrue();
        assertThat(never.awaitEnd(WAIT)).isTrue();
        fake.resume();

        assertThat(found.awaitEnd(WAIT)).isTrue();
        assertThat(found.executionName()).isEqualTo(name);
        assertThat(LaunchKey.parse(found.executorState()).offset()).isZero();
        assertThat(found.end().kind()).isEqualTo(StatusUpdate.Kind.SUCCEEDED);
        assertThat(never.end().kind()).isEqualTo(StatusUpdate.Kind.RELEASED);
        assertThat(fake.runJobCalls()).as("no second execution").hasSize(1);
        assertThat(fake.calls(FakeCloudRun.Method.LIST_EXECUTIONS)).as("one listing serves both lookups")
                .isEqualTo(1);
    }

    @Test
    void aFollowThatMustGiveUpCancelsTheExecutionAndReportsItsAttemptsLost() throws Exception {
        fake.pause();
        fake.fail(FakeCloudRun.Method.GET_EXECUTION, Status.PERMISSION_DENIED.withDescription("revoked"), 1);
        var executor = executor(fake.executorBuilder());
        var ds = dispatches(64, 0, 2, 2);

        executor.startAll(ds);
        awaitEnded(ds);

        assertThat(ds).allSatisfy(d -> {
            assertThat(sink(d).end().kind()).isEqualTo(StatusUpdate.Kind.LOST);
            assertThat(sink(d).end().error()).startsWith("lost: could not follow Cloud Run execution")
                    .contains("revoked").contains("the execution was cancelled");
        });
        assertThat(fake.cancelCalls()).hasSize(1);
    }

    static void assertAllSucceeded(List<Dispatch> ds) {
        CloudRunApiRulesTest.assertAllSucceeded(ds);
    }
}
