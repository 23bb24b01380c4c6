package dev.orchestrator.testkit;

import dev.orchestrator.AttemptInfo;
import dev.orchestrator.AttemptOutcome;
import dev.orchestrator.CancelResult;
import dev.orchestrator.Orchestrator;
import dev.orchestrator.OrchestratorBuilder;
import dev.orchestrator.RunHandle;
import dev.orchestrator.RunInfo;
import dev.orchestrator.RunQuery;
import dev.orchestrator.RunStatus;
import dev.orchestrator.StepSpec;
import dev.orchestrator.TaskInfo;
import dev.orchestrator.TaskStatus;
import dev.orchestrator.TriggerOptions;
import dev.orchestrator.WorkflowSpec;
import dev.orchestrator.spi.Store;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Cancel, re-run, pause and clean shutdown through the public API over a real store, judged
 * also by the task processes' own pids. Subclasses in {@code orchestrator-jdbc} run it on
 * SQLite and PostgreSQL.
 */
public abstract class RunControlContractTest {

    /** A fresh, empty store only this test sees. */
    protected abstract Store newStore() throws Exception;

    @TempDir
    protected Path dir;
    protected Store store;
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
        return Orchestrator.builder().store(store)
                .executorConfig("process", Map.of("logDirectory", dir.resolve("logs").toString(), "killGraceMillis", "1000"))
                .pollInterval(Duration.ofMillis(200))
                .shutdownTimeout(Duration.ofSeconds(10));
    }

    private Orchestrator open(OrchestratorBuilder b, boolean start) {
        Orchestrator o = b.build();
        opened.add(o);
        if (start) {
            o.start();
        }
        return o;
    }

    private static long pid(TaskInfo t) {
        return Long.parseLong(t.executionName().substring("pid:".length()));
    }

    private static boolean alive(long pid) {
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }

    protected static void await(String what, Duration timeout, BooleanSupplier condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("waiting for " + what).isLessThan(deadline);
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
        }
    }

    private List<TaskInfo> running(Orchestrator o, long runId) {
        return o.tasks(runId).stream().filter(t -> t.status() == TaskStatus.RUNNING).toList();
    }

    @Test
    void cancellingARunOfFiveHundredRunningTasksEndsItAndLeavesNoProcess() throws Exception {
        Orchestrator o = open(builder().maxConcurrency(500).batchSize(500), true);
        o.register(WorkflowSpec.of("long", StepSpec.process("s", "/bin/sleep", "600").tasks(500)));
        RunHandle run = o.trigger("long");
        await("500 running tasks", Duration.ofSeconds(120), () -> running(o, run.id()).size() == 500);
        List<Long> pids = running(o, run.id()).stream().map(RunControlContractTest::pid).toList();

        long t0 = System.nanoTime();
        CancelResult result = run.cancel();
        RunInfo done = run.await(Duration.ofSeconds(30));
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
        System.out.printf("[run control] cancel of 500 running tasks: run ended %s after %d ms%n", done.status(), millis);

        assertThat(result.changed()).isTrue();
        assertThat(result.stoppingTasks()).isEqualTo(500);
        assertThat(done.status()).isEqualTo(RunStatus.CANCELLED);
        assertThat(millis).as("ended within 5 s").isLessThan(5_000);
        await("every task process gone", Duration.ofSeconds(10), () -> pids.stream().noneMatch(RunControlContractTest::alive));
        for (TaskInfo t : o.tasks(run.id())) {
            assertThat(t.status()).isEqualTo(TaskStatus.CANCELLED);
            assertThat(o.attempts(t.id())).singleElement()
                    .satisfies(a -> assertThat(a.outcome()).isEqualTo(AttemptOutcome.CANCELLED));
        }
        CancelResult again = o.cancel(run.id());
        assertThat(again.changed()).isFalse();
        assertThat(again.message()).contains("had already ended CANCELLED");
    }

    @Test
    void aCancelledTaskThatIgnoresSigtermIsKilledAfterTheOrchestratorsCancelGrace() throws Exception {
        // The executor's own grace is a minute: only the orchestrator's 300 ms grace, passed
        // through Executor.cancel(task, grace), can end this run within the test's deadline.
        Path terms = dir.resolve("terms");
        Orchestrator o = open(Orchestrator.builder().store(store)
                .executorConfig("process", Map.of("logDirectory", dir.resolve("logs").toString(),
                        "killGraceMillis", "60000"))
                .cancelGrace(Duration.ofMillis(300))
                .pollInterval(Duration.ofMillis(200)), true);
        o.register(WorkflowSpec.of("stubborn", StepSpec.process("s", "/bin/sh", "-c",
                "trap 'echo term >> " + terms + "' TERM; while :; do sleep 0.05; done")));
        RunHandle run = o.trigger("stubborn");
        await("the task running", Duration.ofSeconds(30), () -> running(o, run.id()).size() == 1);
        long pid = pid(running(o, run.id()).get(0));

        run.cancel();
        RunInfo done = run.await(Duration.ofSeconds(20));

        assertThat(done.status()).isEqualTo(RunStatus.CANCELLED);
        assertThat(Files.readString(terms)).as("SIGTERM came first").contains("term");
        await("the process gone", Duration.ofSeconds(5), () -> !alive(pid));
    }

    @Test
    void aCancelIssuedThroughAnotherOrchestratorReachesTheNodeThatRunsTheTasks() throws Exception {
        Orchestrator node = open(builder().maxConcurrency(20), true);
        Orchestrator client = open(builder(), false);
        node.register(WorkflowSpec.of("long", StepSpec.process("s", "/bin/sleep", "600").tasks(20)));
        RunHandle run = client.trigger("long");
        await("20 running tasks", Duration.ofSeconds(60), () -> running(node, run.id()).size() == 20);
        List<Long> pids = running(node, run.id()).stream().map(RunControlContractTest::pid).toList();

        long t0 = System.nanoTime();
        client.cancel(run.id());
        RunInfo done = run.await(Duration.ofSeconds(30));
        System.out.printf("[run control] cancel through a second orchestrator: ended after %d ms%n",
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0));
        assertThat(done.status()).isEqualTo(RunStatus.CANCELLED);
        assertThat(System.nanoTime() - t0).isLessThan(TimeUnit.SECONDS.toNanos(5));
        await("every task process gone", Duration.ofSeconds(10), () -> pids.stream().noneMatch(RunControlContractTest::alive));
    }

    @Test
    void aRetryRunsExactlyTheFailedTasksAgainAndTheRunSucceeds() throws Exception {
        Orchestrator o = open(builder().maxConcurrency(16), true);
        Path marker = dir.resolve("fixed");
        o.register(WorkflowSpec.of("flaky", StepSpec.process("s", "/bin/sh", "-c",
                "case $ORCHESTRATOR_TASK_INDEX in 3|50|97) [ -e " + marker + " ] || exit 1;; esac").tasks(100)));
        RunHandle run = o.trigger("flaky");
        RunInfo first = run.await(Duration.ofSeconds(120));
        assertThat(first.status()).isEqualTo(RunStatus.FAILED);
        assertThat(first.failed()).isEqualTo(3);

        Files.writeString(marker, "");
        assertThat(o.retry(run.id())).isEqualTo(3);
        RunInfo second = run.await(Duration.ofSeconds(120));

        assertThat(second.status()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(second.succeeded()).isEqualTo(100);
        for (TaskInfo t : o.tasks(run.id())) {
            List<AttemptInfo> attempts = o.attempts(t.id());
            if (List.of(3, 50, 97).contains(t.taskIndex())) {
                assertThat(attempts).extracting(AttemptInfo::outcome)
                        .containsExactly(AttemptOutcome.FAILED, AttemptOutcome.SUCCEEDED);
            } else {
                assertThat(attempts).singleElement().satisfies(a -> assertThat(a.outcome()).isEqualTo(AttemptOutcome.SUCCEEDED));
            }
        }
        assertThat(o.retry(run.id())).as("nothing left to run again").isZero();
        assertThatThrownBy(() -> o.retry(999_999)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("run 999999 does not exist");
        assertThatThrownBy(() -> o.cancel(999_999)).hasMessage("run 999999 does not exist");
    }

    @Test
    void aRerunStartsAFreshRunWithTheSameParameters() throws Exception {
        Orchestrator o = open(builder(), true);
        o.register(WorkflowSpec.of("echo", StepSpec.process("s", "/bin/sh", "-c", "echo $ORCHESTRATOR_PARAM_city")));
        RunInfo first = o.trigger("echo", TriggerOptions.parameters(Map.of("city", "Zürich"))).await(Duration.ofSeconds(60));
        RunInfo rerun = o.trigger("echo", TriggerOptions.builder().rerunOf(first.id()).build()).await(Duration.ofSeconds(60));

        assertThat(rerun.id()).isNotEqualTo(first.id());
        assertThat(rerun.parameters()).isEqualTo(Map.of("city", "Zürich"));
        assertThat(o.tasks(rerun.id()).getFirst().outputTail()).isEqualTo("Zürich\n");
        assertThatThrownBy(() -> o.trigger("echo", TriggerOptions.builder().rerunOf(999_999).build()))
                .hasMessage("rerunOf: run 999999 does not exist");
    }

    @Test
    void aPausedWorkflowRefusesTriggersUntilResumed() throws Exception {
        Orchestrator o = open(builder(), true);
        o.register(WorkflowSpec.of("w", StepSpec.process("s", "/bin/true")));
        assertThat(o.pauseWorkflow("w")).isTrue();
        assertThat(o.isPaused("w")).isTrue();
        assertThatThrownBy(() -> o.trigger("w")).isInstanceOf(IllegalStateException.class)
                .hasMessage("workflow 'w' is paused; resume it to trigger runs");
        assertThatThrownBy(() -> o.pauseWorkflow("nope")).isInstanceOf(IllegalArgumentException.class);
        assertThat(o.resumeWorkflow("w")).isTrue();
        assertThat(o.trigger("w").await(Duration.ofSeconds(60)).status()).isEqualTo(RunStatus.SUCCEEDED);
    }

    @Test
    void aTriggerSeesAnotherNodesNewVersionPauseAndDeleteAtOnce() {
        Orchestrator here = open(builder(), false);
        Orchestrator there = open(builder(), false);
        here.register(WorkflowSpec.of("w", StepSpec.process("s", "/bin/true")));
        assertThat(here.trigger("w").info().workflowVersion()).isEqualTo(1);
        assertThat(here.trigger("w").info().workflowVersion()).as("remembered").isEqualTo(1);

        there.register(WorkflowSpec.of("w", StepSpec.process("s", "/bin/true").tasks(2)));
        RunInfo afterNewVersion = here.trigger("w").info();
        assertThat(afterNewVersion.workflowVersion()).isEqualTo(2);
        assertThat(afterNewVersion.taskCount()).as("the new version's steps").isEqualTo(2);

        there.pauseWorkflow("w");
        assertThatThrownBy(() -> here.trigger("w")).isInstanceOf(IllegalStateException.class)
                .hasMessage("workflow 'w' is paused; resume it to trigger runs");
        there.resumeWorkflow("w");
        assertThat(here.trigger("w").info().workflowVersion()).isEqualTo(2);

        there.deleteWorkflow("w");
        assertThatThrownBy(() -> here.trigger("w")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("workflow 'w' is not registered");
        assertThat(here.runs(RunQuery.builder().workflow("w").build()).runs()).hasSize(4);
    }

    @Test
    void closeHandsBackClaimedTasksStopsTheRunningOnesAndAnotherNodeFinishesTheRun() throws Exception {
        Path release = dir.resolve("release");
        Orchestrator first = open(builder().maxConcurrency(10).batchSize(50).shutdownTimeout(Duration.ofSeconds(1)), true);
        first.register(WorkflowSpec.of("slow", StepSpec.process("s", "/bin/sh", "-c",
                "[ -e " + release + " ] && exit 0; exec sleep 600").tasks(60)));
        RunHandle run = first.trigger("slow");
        await("10 running tasks", Duration.ofSeconds(60), () -> running(first, run.id()).size() == 10);
        List<Long> pids = running(first, run.id()).stream().map(RunControlContractTest::pid).toList();
        long claimedAhead = first.tasks(run.id()).stream().filter(t -> t.status() == TaskStatus.DISPATCHED).count();

        long t0 = System.nanoTime();
        first.close();
        long closeMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
        System.out.printf("[run control] close with 10 running and %d claimed: %d ms%n", claimedAhead, closeMillis);

        await("the stopped processes are gone", Duration.ofSeconds(10), () -> pids.stream().noneMatch(RunControlContractTest::alive));
        Orchestrator reader = open(builder(), false);
        for (TaskInfo t : reader.tasks(run.id())) {
            assertThat(t.status()).as("task " + t.taskIndex()).isEqualTo(TaskStatus.PENDING);
            assertThat(reader.attempts(t.id())).as("no attempt used").isEmpty();
        }
        Files.writeString(release, "");
        Orchestrator second = open(builder().maxConcurrency(16), true);
        RunInfo done = second.run(run.id()).orElseThrow().await(Duration.ofSeconds(120));
        assertThat(done.status()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(done.succeeded()).isEqualTo(60);
    }

    @Test
    void retentionDeletesOldRunsAndTheirLogsAndKeepsNewerOnes() throws Exception {
        MutableClock clock = new MutableClock(java.time.Instant.parse("2026-05-01T08:00:00Z"));
        Orchestrator first = open(builder().clock(clock), true);
        first.register(WorkflowSpec.of("w", StepSpec.process("s", "/bin/echo", "hi")));
        RunInfo old = first.trigger("w").await(Duration.ofSeconds(60));
        clock.set(clock.instant().plus(Duration.ofHours(2)));
        RunInfo recent = first.trigger("w").await(Duration.ofSeconds(60));
        first.close();
        Path logs = dir.resolve("logs");
        assertThat(logs.resolve("run-" + old.id())).isDirectory();

        clock.set(clock.instant().plus(Duration.ofMinutes(30)));
        Orchestrator pruning = open(builder().clock(clock).retention(Duration.ofHours(1)), true);
        await("the old run is deleted", Duration.ofSeconds(30), () -> pruning.run(old.id()).isEmpty());
        assertThat(pruning.run(recent.id())).isPresent();
        assertThat(pruning.tasks(recent.id())).hasSize(1);
        await("its logs are deleted", Duration.ofSeconds(10), () -> !Files.exists(logs.resolve("run-" + old.id())));
        assertThat(logs.resolve("run-" + recent.id())).isDirectory();
        assertThatThrownBy(() -> Orchestrator.builder().retention(Duration.ofSeconds(59)))
                .hasMessage("retention must be at least PT1M, got PT59S");
    }

    /** A clock the test moves. */
    static final class MutableClock extends java.time.Clock {
        private volatile java.time.Instant now;

        MutableClock(java.time.Instant now) {
            this.now = now;
        }

        void set(java.time.Instant now) {
            this.now = now;
        }

        @Override
        public java.time.Instant instant() {
            return now;
        }

        @Override
        public java.time.ZoneId getZone() {
            return java.time.ZoneOffset.UTC;
        }

        @Override
        public java.time.Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }
}
