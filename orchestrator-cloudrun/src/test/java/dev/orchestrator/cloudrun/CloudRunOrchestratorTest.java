package dev.orchestrator.cloudrun;

import com.google.cloud.run.v2.EnvVar;
import com.google.cloud.run.v2.RunJobRequest;
import dev.orchestrator.AttemptInfo;
import dev.orchestrator.AttemptOutcome;
import dev.orchestrator.JobSpec;
import dev.orchestrator.Orchestrator;
import dev.orchestrator.RunHandle;
import dev.orchestrator.RunInfo;
import dev.orchestrator.RunStatus;
import dev.orchestrator.StepSpec;
import dev.orchestrator.TaskInfo;
import dev.orchestrator.TaskStatus;
import dev.orchestrator.TriggerOptions;
import dev.orchestrator.WorkflowSpec;
import dev.orchestrator.jdbc.JdbcStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * End to end through the public {@link Orchestrator} API: a SQLite store in a temporary
 * directory, the real Cloud Run clients, and the fake Cloud Run.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class CloudRunOrchestratorTest {

    static final String JOB = "projects/demo/locations/europe-west1/jobs/worker";
    static final Duration WAIT = Duration.ofSeconds(20);

    @TempDir
    Path dir;

    FakeCloudRun fake;
    /** Everything the host owns, closed in reverse order: orchestrators, executors, stores. */
    final Deque<AutoCloseable> owned = new ArrayDeque<>();

    @BeforeEach
    void startFake() throws Exception {
        fake = FakeCloudRun.inProcess();
    }

    @AfterEach
    void closeAll() throws Exception {
        while (!owned.isEmpty()) {
            owned.pop().close();
        }
        fake.close();
    }

    <T extends AutoCloseable> T own(T resource) {
        owned.push(resource);
        return resource;
    }

    static void await(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime() < deadline).as("timed out waiting for: " + what).isTrue();
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
        }
    }

    static Map<String, String> env(RunJobRequest r) {
        return r.getOverrides().getContainerOverrides(0).getEnvList().stream()
                .collect(Collectors.toMap(EnvVar::getName, EnvVar::getValue));
    }

    static WorkflowSpec cloudRunWorkflow(String name, int tasks) {
        return WorkflowSpec.of(name, StepSpec.builder("render", "cloudrun")
                .job(new JobSpec(List.of("--quality", "high"), Map.of("BUCKET", "frames"), null, Map.of("job", JOB)))
                .tasks(tasks));
    }

    @Test
    void aBigCloudRunStepRunsAsAHandfulOfExecutionsAndEveryTaskGetsItsOwnOutcome() throws Exception {
        int tasks = 2500;
        int failing = 1234;
        fake.script(failing, FakeCloudRun.Script.fail(3));
        JdbcStore store = own(JdbcStore.sqlite(dir.resolve("orchestrator.db")));
        CloudRunExecutor executor = own(fake.executorBuilder().build());
        // Every attempt in flight takes one slot, so a big Cloud Run step needs as many slots as tasks
        // to be started in a few claims (each claim of up to batchSize tasks becomes one execution).
        Orchestrator orchestrator = own(Orchestrator.builder()
                .store(store)
                .executor(executor)
                .nodeId("solo")
                .maxConcurrency(tasks)
                .batchSize(512)
                .pollInterval(Duration.ofMillis(200))
                .build());
        orchestrator.start();
        orchestrator.register(cloudRunWorkflow("render-movie", tasks));

        RunHandle run = orchestrator.trigger("render-movie", TriggerOptions.parameters(Map.of("scene", "42")));
        RunInfo done = run.await(WAIT);

        assertThat(done.status()).isEqualTo(RunStatus.FAILED);
        assertThat(done.taskCount()).isEqualTo(tasks);
        assertThat(done.finished()).isEqualTo(tasks);
        assertThat(done.succeeded()).isEqualTo(tasks - 1);
        assertThat(done.failed()).isEqualTo(1);

        // A handful of RunJob calls, one per claim of up to 512 contiguous tasks; never one per task.
        var calls = fake.runJobCalls();
        assertThat(calls).allSatisfy(c -> assertThat(c.answer().isOk()).isTrue());
        assertThat(calls).hasSizeBetween(5, 10);
        assertThat(calls.stream().mapToInt(c -> c.request().getOverrides().getTaskCount()).sum()).isEqualTo(tasks);
        RunJobRequest first = calls.get(0).request();
        assertThat(first.getName()).isEqualTo(JOB);
        assertThat(first.getOverrides().getContainerOverrides(0).getArgsList()).containsExactly("--quality", "high");
        assertThat(env(first)).containsEntry("ORCHESTRATOR_RUN_ID", Long.toString(run.id()))
                .containsEntry("ORCHESTRATOR_ATTEMPT", "1")
                .containsEntry("ORCHESTRATOR_TASK_COUNT", Integer.toString(tasks))
                .containsEntry("ORCHESTRATOR_WORKFLOW", "render-movie")
                .containsEntry("ORCHESTRATOR_STEP", "render")
                .containsEntry("BUCKET", "frames")
                .containsEntry("ORCHESTRATOR_PARAM_scene", "42")
                .containsKey("ORCHESTRATOR_TASK_INDEX_OFFSET");

        // Every task has its own status and exit code in the store, and the execution it ran in.
        List<TaskInfo> infos = orchestrator.tasks(run.id());
        assertThat(infos).hasSize(tasks);
        Set<String> executionNames = new HashSet<>();
        for (TaskInfo t : infos) {
            assertThat(t.executionName()).as("execution of task %d", t.taskIndex()).startsWith(JOB + "/executions/");
            executionNames.add(t.executionName());
            assertThat(t.attempt()).isEqualTo(1);
            assertThat(t.finishedAt()).isNotNull();
            if (t.taskIndex() == failing) {
                assertThat(t.status()).isEqualTo(TaskStatus.FAILED);
                assertThat(t.exitCode()).isEqualTo(3);
                assertThat(t.error()).contains("exit code 3").contains(t.executionName());
            } else {
                assertThat(t.status()).as("task %d: %s", t.taskIndex(), t).isEqualTo(TaskStatus.SUCCEEDED);
                assertThat(t.exitCode()).as("exit code of task %d", t.taskIndex()).isZero();
                assertThat(t.error()).isNull();
            }
        }
        assertThat(executionNames).hasSize(calls.size());

        // Each execution covers one contiguous range [offset, offset + taskCount), and the ranges tile the step.
        Map<String, List<Integer>> indexesByExecution = infos.stream().collect(Collectors.groupingBy(
                TaskInfo::executionName, Collectors.mapping(TaskInfo::taskIndex, Collectors.toList())));
        Set<Integer> covered = new HashSet<>();
        for (var call : calls) {
            int offset = Integer.parseInt(env(call.request()).get("ORCHESTRATOR_TASK_INDEX_OFFSET"));
            int count = call.request().getOverrides().getTaskCount();
            for (int i = offset; i < offset + count; i++) {
                assertThat(covered.add(i)).as("index %d in two executions", i).isTrue();
            }
        }
        assertThat(covered).hasSize(tasks);
        assertThat(indexesByExecution.values()).allSatisfy(indexes -> {
            int min = indexes.stream().mapToInt(Integer::intValue).min().orElseThrow();
            int max = indexes.stream().mapToInt(Integer::intValue).max().orElseThrow();
            assertThat(max - min + 1).as("execution's indexes are contiguous").isEqualTo(indexes.size());
        });

        // The attempt history of the failing task.
        TaskInfo failed = infos.stream().filter(t -> t.taskIndex() == failing).findFirst().orElseThrow();
        List<AttemptInfo> attempts = orchestrator.attempts(failed.id());
        assertThat(attempts).singleElement().satisfies(a -> {
            assertThat(a.outcome()).isEqualTo(AttemptOutcome.FAILED);
            assertThat(a.exitCode()).isEqualTo(3);
            assertThat(a.node()).isEqualTo("solo");
            assertThat(a.executionName()).isEqualTo(failed.executionName());
            assertThat(a.finishedAt()).isNotNull();
        });
    }

    @Test
    void aSecondOrchestratorAdoptsTheExecutionOfAClosedOneWithoutStartingANewOne() throws Exception {
        int tasks = 20;
        Path db = dir.resolve("shared.db");
        Duration heartbeat = Duration.ofMillis(100);
        Duration lease = Duration.ofMillis(500);

        // Node A starts the run; its execution stays running in the fake until released.
        fake.pause();
        JdbcStore storeA = own(JdbcStore.sqlite(db));
        CloudRunExecutor executorA = own(fake.executorBuilder().build());
        Orchestrator a = own(Orchestrator.builder()
                .store(storeA)
                .executor(executorA)
                .nodeId("a")
                .heartbeatInterval(heartbeat)
                .nodeLease(lease)
                .shutdownTimeout(Duration.ZERO)
                .build());
        a.start();
        a.register(cloudRunWorkflow("nightly", tasks));
        long runId = a.trigger("nightly").id();
        await("A's tasks RUNNING with an execution name", () -> {
            List<TaskInfo> ts = a.tasks(runId);
            return ts.size() == tasks && ts.stream().allMatch(t -> t.status() == TaskStatus.RUNNING
                    && t.executionName() != null && "a".equals(t.owner()));
        });
        assertThat(fake.runJobCalls()).hasSize(1);
        String execution = a.tasks(runId).get(0).executionName();
        assertThat(a.tasks(runId)).allSatisfy(t -> assertThat(t.executionName()).isEqualTo(execution));

        // Close A with its tasks still in flight: they stay RUNNING, owned by "a", and A's node row
        // stays, so another node must wait for A's lease to expire.
        a.close();
        executorA.close();
        // A closed orchestrator still reads the store (its host still has it open).
        assertThat(a.run(runId).orElseThrow().status()).isEqualTo(RunStatus.RUNNING);
        assertThat(a.tasks(runId)).allSatisfy(t -> {
            assertThat(t.status()).isEqualTo(TaskStatus.RUNNING);
            assertThat(t.owner()).isEqualTo("a");
        });
        storeA.close();

        // The execution completes in Cloud Run while no orchestrator follows it.
        fake.resume();
        await("the execution completed", () -> fake.execution(execution).hasCompletionTime());
        int pollsBeforeB = fake.getExecutionCalls(execution);

        // Node B, on the same database and the same Cloud Run, takes over after the lease and adopts.
        JdbcStore storeB = own(JdbcStore.sqlite(db));
        CloudRunExecutor executorB = own(fake.executorBuilder().build());
        assertThat(executorB.canAdopt()).isTrue();
        Orchestrator b = own(Orchestrator.builder()
                .store(storeB)
                .executor(executorB)
                .nodeId("b")
                .heartbeatInterval(heartbeat)
                .nodeLease(lease)
                .pollInterval(Duration.ofMillis(200))
                .build());
        long startedB = System.nanoTime();
        b.start();
        RunInfo done = b.run(runId).orElseThrow().await(WAIT);

        assertThat(done.status()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(done.succeeded()).isEqualTo(tasks);
        assertThat(System.nanoTime() - startedB).as("B waited for no more than a few leases")
                .isLessThan(TimeUnit.SECONDS.toNanos(10));
        assertThat(fake.runJobCalls()).as("no new execution was started").hasSize(1);
        assertThat(fake.getExecutionCalls(execution)).as("B followed the existing execution").isGreaterThan(pollsBeforeB);
        assertThat(fake.cancelCalls()).isEmpty();

        for (TaskInfo t : b.tasks(runId)) {
            assertThat(t.status()).isEqualTo(TaskStatus.SUCCEEDED);
            assertThat(t.exitCode()).isZero();
            assertThat(t.attempt()).isEqualTo(1);
            assertThat(t.executionName()).isEqualTo(execution);
            List<AttemptInfo> attempts = b.attempts(t.id());
            // One attempt: A's claim created it; B took over the task and ended that same attempt.
            // The attempt row keeps the node that claimed it.
            assertThat(attempts).as("attempts of task %d", t.taskIndex()).singleElement().satisfies(at -> {
                assertThat(at.attempt()).isEqualTo(1);
                assertThat(at.outcome()).isEqualTo(AttemptOutcome.SUCCEEDED);
                assertThat(at.exitCode()).isZero();
                assertThat(at.executionName()).isEqualTo(execution);
                assertThat(at.node()).isEqualTo("a");
                assertThat(at.finishedAt()).isNotNull();
            });
        }
        assertThat(b.tasks(runId).stream().flatMap(t -> b.attempts(t.id()).stream()))
                .noneMatch(at -> at.outcome() == AttemptOutcome.LOST);
    }

    /**
     * A step's timeout bounds an attempt from its claim ({@link StepSpec#timeout()}: "longest an attempt may
     * run"), also when another node adopted the attempt. Exposes a bug: {@code Scheduler.inFlight} computes the
     * deadline as {@code now + step.timeout()} for taken-over tasks too, so an adopted attempt gets a fresh full
     * timeout from the take-over instead of keeping its original deadline.
     */
    @Test
    void anAdoptedAttemptKeepsTheTimeoutCountedFromItsClaim() throws Exception {
        Path db = dir.resolve("timeout.db");
        Duration timeout = Duration.ofSeconds(3);
        Duration heartbeat = Duration.ofMillis(100);
        Duration lease = Duration.ofMillis(500);
        fake.pause();
        JdbcStore storeA = own(JdbcStore.sqlite(db));
        CloudRunExecutor executorA = own(fake.executorBuilder().build());
        Orchestrator a = own(Orchestrator.builder().store(storeA).executor(executorA).nodeId("a")
                .heartbeatInterval(heartbeat).nodeLease(lease).shutdownTimeout(Duration.ZERO).build());
        a.start();
        a.register(WorkflowSpec.of("slow", StepSpec.builder("render", "cloudrun")
                .job(JobSpec.options(Map.of("job", JOB))).tasks(2).timeout(timeout)));
        long runId = a.trigger("slow").id();
        await("A's tasks RUNNING", () -> a.tasks(runId).stream()
                .allMatch(t -> t.status() == TaskStatus.RUNNING && t.executionName() != null));
        java.time.Instant claimed = a.tasks(runId).get(0).startedAt();
        // A runs the attempt for most of its timeout, then goes away with it in flight.
        await("most of the timeout spent on A",
                () -> java.time.Instant.now().isAfter(claimed.plus(timeout).minusMillis(300)));
        a.close();
        executorA.close();

        JdbcStore storeB = own(JdbcStore.sqlite(db));
        CloudRunExecutor executorB = own(fake.executorBuilder().build());
        Orchestrator b = own(Orchestrator.builder().store(storeB).executor(executorB).nodeId("b")
                .heartbeatInterval(heartbeat).nodeLease(lease).build());
        b.start();
        RunInfo done = b.run(runId).orElseThrow().await(WAIT);

        assertThat(done.status()).isEqualTo(RunStatus.FAILED);
        assertThat(fake.runJobCalls()).hasSize(1);
        assertThat(fake.cancelCalls()).isNotEmpty();
        for (TaskInfo t : b.tasks(runId)) {
            AttemptInfo at = b.attempts(t.id()).getFirst();
            assertThat(at.outcome()).isEqualTo(AttemptOutcome.TIMED_OUT);
            // The deadline had passed when B adopted the attempt (after about one lease), so B should have
            // stopped it at once: it ran about timeout + lease (+ the 500 ms limit check), not 2 x timeout.
            Duration ran = Duration.between(at.startedAt(), at.finishedAt());
            assertThat(ran).as("attempt of task %d ran %s for a timeout of %s", t.taskIndex(), ran, timeout)
                    .isLessThan(timeout.plus(lease).plusMillis(1500));
        }
    }

    @Test
    void parametersThatNoCloudRunTaskCouldStartWithAreRefusedAtTriggerAndNothingIsWritten() throws Exception {
        JdbcStore store = own(JdbcStore.sqlite(dir.resolve("params.db")));
        Orchestrator orchestrator = own(Orchestrator.builder().store(store)
                .executor(own(fake.executorBuilder().build())).build());
        orchestrator.register(cloudRunWorkflow("render", 2));

        assertThatThrownBy(() -> orchestrator.trigger("render",
                TriggerOptions.parameters(Map.of("scene", "42", "script", "x".repeat(40_000)))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("step 'render' (cloudrun)")
                .hasMessageContaining("parameter 'script'")
                .hasMessageContaining("ORCHESTRATOR_PARAM_script is 40000 bytes long")
                .hasMessageContaining("at most 32768 bytes");
        Map<String, String> many = new java.util.HashMap<>();
        for (int i = 0; i < 1_000; i++) {
            many.put("p" + i, "v");
        }
        assertThatThrownBy(() -> orchestrator.trigger("render", TriggerOptions.parameters(many)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("1000 parameters are too many for a Cloud Run task")
                .hasMessageContaining("1008 environment variables").hasMessageContaining("at most 1000");
        assertThat(orchestrator.runs(dev.orchestrator.RunQuery.all()).runs()).as("nothing written").isEmpty();
        assertThat(fake.runJobCalls()).isEmpty();

        // At the limit, the run is created.
        assertThat(orchestrator.trigger("render", TriggerOptions.parameters(Map.of("script", "x".repeat(32_768))))
                .id()).isPositive();
    }
}
