package dev.orchestrator.testkit;

import dev.orchestrator.*;
import dev.orchestrator.spi.*;
import dev.orchestrator.spi.Store;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * End-to-end behaviour of an orchestrator over a real store. Subclasses supply a fresh, empty,
 * isolated store per test; the suite runs in {@code orchestrator-jdbc} on SQLite and PostgreSQL.
 */
public abstract class OrchestratorContractTest {

    /** A fresh, empty store only this test sees. */
    protected abstract Store newStore() throws Exception;

    /** A short name of the database, printed with timings. */
    protected abstract String storeName();

    @TempDir
    protected Path logs;
    protected Store store;
    protected final NoopExecutor noop = new NoopExecutor();
    private final List<Orchestrator> opened = new ArrayList<>();

    @BeforeEach
    void openStore() throws Exception {
        store = newStore();
    }

    @AfterEach
    void closeAll() {
        opened.forEach(Orchestrator::close);
        store.close();
    }

    protected OrchestratorBuilder builder() {
        return Orchestrator.builder()
                .store(store)
                .executor(noop)
                .executorConfig("process", Map.of("logDirectory", logs.toString()))
                .maxConcurrency(32)
                .pollInterval(Duration.ofMillis(200))
                .shutdownTimeout(Duration.ofSeconds(10));
    }

    protected Orchestrator started() {
        Orchestrator o = builder().build();
        opened.add(o);
        o.start();
        return o;
    }

    @Test
    void aThousandTrueTasksSucceedAfterExactlyOneAttemptEach() throws Exception {
        Orchestrator o = started();
        o.register(WorkflowSpec.of("true-1000", StepSpec.process("t", "/bin/true").tasks(1000)));
        long t0 = System.nanoTime();
        RunInfo done = o.trigger("true-1000").await(Duration.ofMinutes(3));
        double seconds = (System.nanoTime() - t0) / 1e9;
        System.out.printf("[%s] 1,000 /bin/true tasks: %.2f s (%.0f tasks/s)%n", storeName(), seconds, 1000 / seconds);

        assertThat(done.status()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(done.succeeded()).isEqualTo(1000);
        assertThat(done.finished()).isEqualTo(1000);
        List<TaskInfo> tasks = o.tasks(done.id());
        assertThat(tasks).hasSize(1000).allSatisfy(t -> {
            assertThat(t.status()).isEqualTo(TaskStatus.SUCCEEDED);
            assertThat(t.attempt()).isEqualTo(1);
            assertThat(t.exitCode()).isEqualTo(0);
        });
        assertThat(tasks.stream().map(TaskInfo::taskIndex).distinct()).hasSize(1000);
        List<AttemptInfo> attempts = o.attempts(tasks.get(500).id());
        assertThat(attempts).singleElement().satisfies(a -> {
            assertThat(a.outcome()).isEqualTo(AttemptOutcome.SUCCEEDED);
            assertThat(a.executionName()).startsWith("pid:");
            assertThat(a.outputRef()).isNotNull();
        });
    }

    @Test
    void tasksThatExitNonZeroFailTheRunWithTheirExitCodesAndOutput() throws Exception {
        Orchestrator o = started();
        o.register(WorkflowSpec.of("some-fail", StepSpec.process("s", "/bin/sh", "-c",
                "echo \"task $ORCHESTRATOR_TASK_INDEX says hi\"; [ $((ORCHESTRATOR_TASK_INDEX % 3)) -ne 0 ] || exit 7")
                .tasks(9)));
        RunInfo done = o.trigger("some-fail").await(Duration.ofMinutes(1));

        assertThat(done.status()).isEqualTo(RunStatus.FAILED);
        assertThat(done.failed()).isEqualTo(3);
        assertThat(done.succeeded()).isEqualTo(6);
        for (TaskInfo t : o.tasks(done.id())) {
            if (t.taskIndex() % 3 == 0) {
                assertThat(t.status()).isEqualTo(TaskStatus.FAILED);
                assertThat(t.exitCode()).isEqualTo(7);
                assertThat(t.error()).contains("exited with code 7");
                assertThat(t.outputTail()).contains("task " + t.taskIndex() + " says hi");
            } else {
                assertThat(t.status()).isEqualTo(TaskStatus.SUCCEEDED);
                assertThat(t.outputTail()).contains("task " + t.taskIndex() + " says hi");
            }
        }
    }

    @Test
    void aReusedIdempotencyKeyReturnsTheFirstRun() throws Exception {
        Orchestrator o = started();
        o.register(WorkflowSpec.of("idem", StepSpec.builder("s", "noop").tasks(3)));
        RunHandle first = o.trigger("idem", TriggerOptions.builder().idempotencyKey("order-42").build());
        RunHandle second = o.trigger("idem", TriggerOptions.builder().idempotencyKey("order-42").build());
        assertThat(first.created()).isTrue();
        assertThat(second.created()).isFalse();
        assertThat(second.id()).isEqualTo(first.id());
        assertThat(first.await(Duration.ofSeconds(30)).status()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(o.runs(RunQuery.builder().workflow("idem").build()).runs()).hasSize(1);
        assertThat(noop.starts.get()).isEqualTo(3);
    }

    @Test
    void aFailedAttemptIsRetriedAndItsHistoryKept() throws Exception {
        Orchestrator o = started();
        o.register(WorkflowSpec.of("retry", StepSpec.process("s", "/bin/sh", "-c",
                        "echo attempt $ORCHESTRATOR_ATTEMPT; [ \"$ORCHESTRATOR_ATTEMPT\" -ge 2 ]")
                .retry(new RetryPolicy(3, Duration.ofMillis(20), Duration.ofMillis(50)))));
        RunInfo done = o.trigger("retry").await(Duration.ofSeconds(30));

        assertThat(done.status()).isEqualTo(RunStatus.SUCCEEDED);
        TaskInfo task = o.tasks(done.id()).getFirst();
        assertThat(task.attempt()).isEqualTo(2);
        List<AttemptInfo> attempts = o.attempts(task.id());
        assertThat(attempts).extracting(AttemptInfo::outcome)
                .containsExactly(AttemptOutcome.FAILED, AttemptOutcome.SUCCEEDED);
        assertThat(attempts.get(0).exitCode()).isEqualTo(1);
        assertThat(attempts.get(0).outputTail()).contains("attempt 1");
        assertThat(attempts.get(1).outputTail()).contains("attempt 2");
    }

    @Test
    void aCommandThatCannotStartFailsItsTaskAndTheSchedulerGoesOn() throws Exception {
        Orchestrator o = started();
        o.register(WorkflowSpec.of("missing", StepSpec.process("s", "/no/such/program-x").tasks(2)));
        Path notExecutable = Files.writeString(logs.resolve("plain.txt"), "not a program");
        o.register(WorkflowSpec.of("not-exec", StepSpec.process("s", notExecutable.toString())));
        o.register(WorkflowSpec.of("fine", StepSpec.process("s", "/bin/true")));

        RunInfo missing = o.trigger("missing").await(Duration.ofSeconds(30));
        RunInfo notExec = o.trigger("not-exec").await(Duration.ofSeconds(30));
        RunInfo fine = o.trigger("fine").await(Duration.ofSeconds(30));

        assertThat(missing.status()).isEqualTo(RunStatus.FAILED);
        assertThat(o.tasks(missing.id())).allSatisfy(t -> {
            assertThat(t.status()).isEqualTo(TaskStatus.FAILED);
            assertThat(t.error()).contains("could not start /no/such/program-x");
        });
        assertThat(o.tasks(notExec.id()).getFirst().error()).contains("could not start").containsIgnoringCase("permission denied");
        assertThat(fine.status()).isEqualTo(RunStatus.SUCCEEDED);
    }

    @Test
    void anAttemptPastItsTimeoutIsStoppedAndRecordedAsTimedOut() throws Exception {
        Orchestrator o = started();
        o.register(WorkflowSpec.of("slow", StepSpec.process("s", "/bin/sleep", "30").timeout(Duration.ofMillis(300))));
        long t0 = System.nanoTime();
        RunInfo done = o.trigger("slow").await(Duration.ofSeconds(20));

        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(20));
        assertThat(done.status()).isEqualTo(RunStatus.FAILED);
        TaskInfo task = o.tasks(done.id()).getFirst();
        assertThat(task.error()).contains("timed out after PT0.3S");
        assertThat(o.attempts(task.id())).singleElement()
                .satisfies(a -> assertThat(a.outcome()).isEqualTo(AttemptOutcome.TIMED_OUT));
    }

    @Test
    void aStepStartsOnlyAfterTheStepsItDependsOnSucceeded() throws Exception {
        Orchestrator o = started();
        o.register(new WorkflowSpec("dag", List.of(
                StepSpec.process("first", "/bin/sleep", "0.2").tasks(3).build(),
                StepSpec.builder("second", "noop").tasks(4).dependsOn("first").build())));
        RunInfo done = o.trigger("dag").await(Duration.ofSeconds(30));

        assertThat(done.status()).isEqualTo(RunStatus.SUCCEEDED);
        List<TaskInfo> tasks = o.tasks(done.id());
        var lastFirst = tasks.stream().filter(t -> t.stepIndex() == 0).map(TaskInfo::finishedAt).max(Comparable::compareTo).orElseThrow();
        assertThat(tasks.stream().filter(t -> t.stepIndex() == 1)).hasSize(4)
                .allSatisfy(t -> assertThat(t.startedAt()).isAfterOrEqualTo(lastFirst));
    }

    @Test
    void aFailedStepSkipsTheStepsThatDependOnIt() throws Exception {
        Orchestrator o = started();
        o.register(new WorkflowSpec("dag-fail", List.of(
                StepSpec.process("first", "/bin/false").build(),
                StepSpec.builder("second", "noop").tasks(2).dependsOn("first").build())));
        RunInfo done = o.trigger("dag-fail").await(Duration.ofSeconds(30));

        assertThat(done.status()).isEqualTo(RunStatus.FAILED);
        assertThat(o.tasks(done.id()).stream().filter(t -> t.stepIndex() == 1))
                .allSatisfy(t -> assertThat(t.status()).isEqualTo(TaskStatus.SKIPPED));
        assertThat(noop.starts.get()).isZero();
    }

    @Test
    void parametersReachTheTaskEnvironmentExactly() throws Exception {
        Orchestrator o = started();
        String value = "it's \"quoted\"; DROP TABLE runs; -- ünïcødé ✓";
        o.register(WorkflowSpec.of("params", StepSpec.process("s", "/bin/sh", "-c",
                "printf '%s|%s' \"$ORCHESTRATOR_PARAM_greeting\" \"$ORCHESTRATOR_TASK_COUNT\"")));
        RunInfo done = o.trigger("params", TriggerOptions.builder().param("greeting", value).build())
                .await(Duration.ofSeconds(30));

        assertThat(done.parameters()).containsExactly(Map.entry("greeting", value));
        assertThat(o.tasks(done.id()).getFirst().outputTail()).isEqualTo(value + "|1");
    }

    @Test
    void namesWithQuotesSemicolonsAndUnicodeAreStoredAndReturnedExactly() throws Exception {
        Orchestrator o = started();
        String name = "wf'; DROP TABLE tasks; --\"ü✓";
        String step = "step \"one\"; ✓";
        o.register(WorkflowSpec.of(name, StepSpec.builder(step, "noop").tasks(2)));
        RunInfo done = o.trigger(name, TriggerOptions.builder().triggeredBy("api:o'brien;✓").build())
                .await(Duration.ofSeconds(30));

        assertThat(o.workflow(name)).get().satisfies(w -> assertThat(w.spec().steps().getFirst().name()).isEqualTo(step));
        assertThat(done.workflow()).isEqualTo(name);
        assertThat(done.triggeredBy()).isEqualTo("api:o'brien;✓");
        assertThat(o.tasks(done.id())).allSatisfy(t -> assertThat(t.stepName()).isEqualTo(step));
    }

    @Test
    void registeringAChangedSpecMakesANewVersionAndRunsKeepTheirs() throws Exception {
        Orchestrator o = builder().build();
        opened.add(o);
        WorkflowInfo v1 = o.register(WorkflowSpec.of("versions", StepSpec.builder("s", "noop").tasks(2)));
        assertThat(o.register(WorkflowSpec.of("versions", StepSpec.builder("s", "noop").tasks(2))).version()).isEqualTo(1);
        RunHandle run = o.trigger("versions");
        WorkflowInfo v2 = o.register(WorkflowSpec.of("versions", StepSpec.builder("s", "noop").tasks(5)));
        assertThat(v1.version()).isEqualTo(1);
        assertThat(v2.version()).isEqualTo(2);
        o.start();
        RunInfo done = run.await(Duration.ofSeconds(30));
        assertThat(done.workflowVersion()).isEqualTo(1);
        assertThat(done.taskCount()).isEqualTo(2);
        assertThat(o.trigger("versions").await(Duration.ofSeconds(30)).taskCount()).isEqualTo(5);
    }

    @Test
    void badInputIsRefusedWithTheFieldAndRuleAndNothingIsWritten() {
        Orchestrator o = builder().build();
        opened.add(o);
        assertThatThrownBy(() -> o.register(WorkflowSpec.of("x", StepSpec.builder("s", "teleport"))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("executor type 'teleport' is unknown").hasMessageContaining("noop")
                .hasMessageContaining("process");
        assertThatThrownBy(() -> o.register(WorkflowSpec.of("x", StepSpec.builder("s", "process"))))
                .hasMessageContaining("command must not be empty");
        assertThatThrownBy(() -> WorkflowSpec.of(" ", StepSpec.process("s", "/bin/true")))
                .hasMessage("workflow name must not be blank");
        assertThatThrownBy(() -> StepSpec.process("s", "/bin/true").tasks(0).build())
                .hasMessageContaining("taskCount must be between 1 and 10000, got 0");
        assertThatThrownBy(() -> StepSpec.process("s", "/bin/true").tasks(10_001).build())
                .hasMessageContaining("taskCount must be between 1 and 10000, got 10001");
        assertThatThrownBy(() -> WorkflowSpec.of("x", StepSpec.process("a", "/bin/true").build(),
                StepSpec.process("a", "/bin/true").build()))
                .hasMessageContaining("step names must be unique, 'a' appears twice");
        assertThatThrownBy(() -> o.trigger("nope")).hasMessage("workflow 'nope' is not registered");
        assertThat(o.workflows()).isEmpty();

        o.register(WorkflowSpec.of("ok", StepSpec.builder("s", "noop")));
        Map<String, String> big = new HashMap<>();
        big.put("blob", "x".repeat(64 * 1024));
        assertThatThrownBy(() -> o.trigger("ok", TriggerOptions.parameters(big)))
                .hasMessageContaining("parameters must be at most 65536 bytes");
        assertThatThrownBy(() -> o.trigger("ok", TriggerOptions.parameters(Map.of("k", "a\0b"))))
                .hasMessage("parameter values must not contain NUL (key 'k')");
        assertThatThrownBy(() -> o.trigger("ok", TriggerOptions.parameters(Map.of("a=b", "v"))))
                .hasMessageContaining("parameter keys must not contain '=' or NUL").hasMessageContaining("(key 'a=b')");
        assertThat(o.runs(RunQuery.all()).runs()).isEmpty();

        RunHandle handle = o.trigger("ok");
        assertThatThrownBy(() -> handle.await(Duration.ofSeconds(-1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("timeout must not be negative");
    }

    @Test
    void outputWithNulBytesIsStoredWithoutThemAndTheNodeGoesOn() throws Exception {
        Orchestrator o = started();
        // printf writes a real NUL byte: PostgreSQL text cannot hold it, SQLite can.
        o.register(WorkflowSpec.of("nul-ok", StepSpec.process("s", "/usr/bin/printf", "a\\0b").tasks(3)));
        o.register(WorkflowSpec.of("nul-fail", StepSpec.process("s", "/bin/sh", "-c", "printf 'x\\0y'; exit 4")));
        RunInfo ok = o.trigger("nul-ok").await(Duration.ofSeconds(60));
        RunInfo failed = o.trigger("nul-fail").await(Duration.ofSeconds(60));

        assertThat(ok.status()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(failed.status()).isEqualTo(RunStatus.FAILED);
        for (TaskInfo t : o.tasks(ok.id())) {
            assertThat(t.outputTail()).isIn("a\0b", "ab");
        }
        TaskInfo f = o.tasks(failed.id()).getFirst();
        assertThat(f.exitCode()).isEqualTo(4);
        assertThat(f.outputTail()).isIn("x\0y", "xy");

        // Later runs on the same node end as usual.
        o.register(WorkflowSpec.of("after", StepSpec.process("s", "/bin/true").tasks(5)));
        assertThat(o.trigger("after").await(Duration.ofSeconds(60)).status()).isEqualTo(RunStatus.SUCCEEDED);
    }

    @Test
    void aTimedOutTaskLeavesNoChildBehindEvenOneThatIgnoresSigterm() throws Exception {
        Orchestrator o = started();
        o.register(WorkflowSpec.of("stubborn", StepSpec.process("s", "/bin/sh", "-c",
                "(trap '' TERM; exec sleep 600) & echo $!; wait").timeout(Duration.ofSeconds(1))));
        RunInfo done = o.trigger("stubborn").await(Duration.ofSeconds(60));

        assertThat(done.status()).isEqualTo(RunStatus.FAILED);
        TaskInfo t = o.tasks(done.id()).getFirst();
        assertThat(o.attempts(t.id()).getFirst().outcome()).isEqualTo(AttemptOutcome.TIMED_OUT);
        long sleepPid = Long.parseLong(t.outputTail().trim());
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (ProcessHandle.of(sleepPid).map(ProcessHandle::isAlive).orElse(false)) {
            assertThat(System.nanoTime()).as("the sleep that ignores SIGTERM is gone").isLessThan(deadline);
            java.util.concurrent.locks.LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
        }
    }

    @Test
    void aTaskThatTouchesItsHeartbeatFileOutlivesItsHeartbeatTimeoutAndASilentOneIsStopped() throws Exception {
        Orchestrator o = started();
        o.register(WorkflowSpec.of("alive", StepSpec.process("s", "/bin/sh", "-c",
                "i=0; while [ $i -lt 25 ]; do touch \"$ORCHESTRATOR_HEARTBEAT_FILE\"; sleep 0.1; i=$((i+1)); done")
                .heartbeatTimeout(Duration.ofSeconds(1))));
        o.register(WorkflowSpec.of("silent", StepSpec.process("s", "/bin/sh", "-c",
                "touch \"$ORCHESTRATOR_HEARTBEAT_FILE\"; exec sleep 60").heartbeatTimeout(Duration.ofSeconds(1))));

        assertThat(o.trigger("alive").await(Duration.ofSeconds(60)).status()).isEqualTo(RunStatus.SUCCEEDED);
        long t0 = System.nanoTime();
        RunInfo silent = o.trigger("silent").await(Duration.ofSeconds(60));
        long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - t0);
        assertThat(silent.status()).isEqualTo(RunStatus.FAILED);
        AttemptInfo a = o.attempts(o.tasks(silent.id()).getFirst().id()).getFirst();
        assertThat(a.outcome()).isEqualTo(AttemptOutcome.TIMED_OUT);
        assertThat(a.error()).startsWith("no heartbeat for PT1S");
        assertThat(seconds).as("stopped within the timeout plus a second or so").isLessThan(5);
    }

    @Test
    void awaitTimesOutWhileNothingRunsTheRun() {
        Orchestrator o = builder().build(); // not started: nothing executes
        opened.add(o);
        o.register(WorkflowSpec.of("idle", StepSpec.builder("s", "noop")));
        RunHandle handle = o.trigger("idle");
        assertThatThrownBy(() -> handle.await(Duration.ofMillis(100)))
                .isInstanceOf(TimeoutException.class).hasMessageContaining("status PENDING");
    }

    @Test
    void aRunTriggeredBeforeStartRunsOnceStarted() throws Exception {
        Orchestrator client = builder().build();
        opened.add(client);
        client.register(WorkflowSpec.of("early", StepSpec.builder("s", "noop").tasks(10)));
        RunHandle run = client.trigger("early");
        Orchestrator worker = started();
        assertThat(worker.run(run.id()).orElseThrow().await(Duration.ofSeconds(30)).status()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(noop.starts.get()).isEqualTo(10);
    }

    @Test
    void severalNodesOnOneStoreRunEveryTaskExactlyOnce() throws Exception {
        List<Orchestrator> nodes = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            Orchestrator node = builder().nodeId("node-" + i).maxConcurrency(16).batchSize(64).build();
            opened.add(node);
            nodes.add(node);
        }
        nodes.getFirst().register(WorkflowSpec.of("shared", StepSpec.builder("s", "noop").tasks(2000)));
        List<RunHandle> runs = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            runs.add(nodes.get(i).trigger("shared"));
        }
        nodes.forEach(Orchestrator::start);
        for (RunHandle run : runs) {
            assertThat(run.await(Duration.ofMinutes(2)).status()).isEqualTo(RunStatus.SUCCEEDED);
        }
        assertThat(noop.overlapSeen).as("a task had two live attempts").isFalse();
        assertThat(noop.starts.get()).as("every task started exactly once").isEqualTo(6000);
        for (RunHandle run : runs) {
            assertThat(nodes.getFirst().tasks(run.id())).hasSize(2000)
                    .allSatisfy(t -> assertThat(t.attempt()).isEqualTo(1));
        }
    }
}
