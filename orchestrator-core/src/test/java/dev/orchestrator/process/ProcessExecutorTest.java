package dev.orchestrator.process;

import dev.orchestrator.JobSpec;
import dev.orchestrator.spi.StatusUpdate;
import dev.orchestrator.spi.TaskContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ProcessExecutorTest {

    @TempDir
    Path logs;

    private final LinkedBlockingQueue<StatusUpdate> updates = new LinkedBlockingQueue<>();

    private TaskContext task(JobSpec job) {
        return new TaskContext(11, 7, "wf", "step", 0, 3, 5, 2, Map.of("city", "Zürich; \"x\""), job, null, null);
    }

    private StatusUpdate next() throws InterruptedException {
        StatusUpdate u = updates.poll(20, TimeUnit.SECONDS);
        assertThat(u).as("an update within 20 s").isNotNull();
        return u;
    }

    @Test
    void theTaskSeesItsCoordinatesAndParametersAndItsOutputIsLogged() throws Exception {
        ProcessExecutor ex = ProcessExecutor.builder().logDirectory(logs).tailBytes(4096).killGrace(Duration.ofSeconds(1)).build();
        ex.start(task(JobSpec.command("/bin/sh", "-c",
                "echo $ORCHESTRATOR_RUN_ID $ORCHESTRATOR_TASK_INDEX $ORCHESTRATOR_TASK_COUNT $ORCHESTRATOR_ATTEMPT "
                        + "\"$ORCHESTRATOR_PARAM_city\" $ORCHESTRATOR_STEP $MINE").withEnvironment(Map.of("MINE", "mine"))),
                updates::add);
        StatusUpdate running = next();
        assertThat(running.kind()).isEqualTo(StatusUpdate.Kind.RUNNING);
        assertThat(running.executionName()).startsWith("pid:");
        StatusUpdate done = next();
        assertThat(done.kind()).isEqualTo(StatusUpdate.Kind.SUCCEEDED);
        assertThat(done.outputTail()).isEqualTo("7 3 5 2 Zürich; \"x\" step mine\n");
        assertThat(Files.readString(Path.of(running.outputRef()))).isEqualTo(done.outputTail());
        assertThat(running.outputRef()).endsWith("run-7/step0-task3-attempt2.log");
    }

    @Test
    void argumentsAreNeverInterpretedByAShell() throws Exception {
        ProcessExecutor ex = ProcessExecutor.builder().logDirectory(logs).tailBytes(4096).killGrace(Duration.ofSeconds(1)).build();
        ex.start(task(JobSpec.command("/bin/echo", "$HOME; rm -rf / `x`")), updates::add);
        next();
        assertThat(next().outputTail()).isEqualTo("$HOME; rm -rf / `x`\n");
    }

    @Test
    void onlyTheLastTailBytesOfOutputAreKept() throws Exception {
        ProcessExecutor ex = ProcessExecutor.builder().logDirectory(logs).tailBytes(10).killGrace(Duration.ofSeconds(1)).build();
        ex.start(task(JobSpec.command("/bin/sh", "-c", "printf 'aaaaaaaaaaaaaaaaaaaa0123456789'; exit 3")), updates::add);
        next();
        StatusUpdate done = next();
        assertThat(done.kind()).isEqualTo(StatusUpdate.Kind.FAILED);
        assertThat(done.exitCode()).isEqualTo(3);
        assertThat(done.outputTail()).isEqualTo("0123456789");
    }

    @Test
    void cancelTerminatesTheProcessAndItsChildren() throws Exception {
        ProcessExecutor ex = ProcessExecutor.builder().logDirectory(logs).tailBytes(4096).killGrace(Duration.ofMillis(200)).build();
        // The shell ignores SIGTERM, so only the kill after the grace period ends it; its child sleeps.
        TaskContext t = task(JobSpec.command("/bin/sh", "-c", "trap '' TERM; /bin/sleep 60 & wait"));
        ex.start(t, updates::add);
        StatusUpdate running = next();
        long pid = Long.parseLong(running.executionName().substring(4));
        ProcessHandle shell = ProcessHandle.of(pid).orElseThrow();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (shell.children().findAny().isEmpty()) {
            assertThat(System.nanoTime()).as("child started within 10 s").isLessThan(deadline);
            Thread.onSpinWait();
        }
        ProcessHandle child = shell.children().findFirst().orElseThrow();
        ex.cancel(t);
        StatusUpdate done = next();
        assertThat(done.kind()).isEqualTo(StatusUpdate.Kind.FAILED);
        assertThat(done.error()).startsWith("stopped on cancel (exit code ");
        assertThat(child.onExit().get(10, TimeUnit.SECONDS).isAlive()).isFalse();
    }

    @Test
    void aMissingProgramIsAFailedAttemptWithTheReason() throws Exception {
        ProcessExecutor.builder().logDirectory(logs).tailBytes(4096).killGrace(Duration.ofSeconds(1)).build()
                .start(task(JobSpec.command("/definitely/not/here")), updates::add);
        StatusUpdate u = next();
        assertThat(u.kind()).isEqualTo(StatusUpdate.Kind.FAILED);
        assertThat(u.error()).startsWith("could not start /definitely/not/here").contains("No such file");
    }

    @Test
    void validateRefusesAnEmptyCommand() {
        ProcessExecutor ex = ProcessExecutor.builder().build();
        assertThatThrownBy(() -> ex.validate(JobSpec.command(List.of())))
                .hasMessage("command must not be empty for a process step");
        assertThatThrownBy(() -> ex.validate(JobSpec.command(List.of(" "))))
                .hasMessage("command[0] (the program) must not be blank");
    }

    @Test
    void theProviderRefusesUnknownSettings() {
        assertThatThrownBy(() -> new ProcessExecutorProvider().create(Map.of("logDir", "/x")))
                .hasMessageContaining("process executor setting 'logDir' is unknown");
        assertThatThrownBy(() -> new ProcessExecutorProvider().create(Map.of("tailBytes", "lots")))
                .hasMessage("process executor setting 'tailBytes' must be an integer, got 'lots'");
    }

    @Test
    void aTaskInheritsOnlyTheListedVariablesOfTheNode() throws Exception {
        String hostOnly = System.getenv().keySet().stream()
                .filter(k -> !k.equals("PATH") && !k.startsWith("LC_") && !k.startsWith("ORCHESTRATOR_")
                        && !List.of("HOME", "USER", "LOGNAME", "SHELL", "LANG", "LANGUAGE", "TZ", "TMPDIR", "TERM").contains(k))
                .findFirst().orElseThrow();
        ProcessExecutor ex = ProcessExecutor.builder().logDirectory(logs).build();
        ex.start(task(JobSpec.command("/usr/bin/env")), updates::add);
        next();
        String env = next().outputTail();
        assertThat(env).contains("PATH=").doesNotContain("\n" + hostOnly + "=");
        assertThat(env).contains("ORCHESTRATOR_HEARTBEAT_FILE=");

        ProcessExecutor all = ProcessExecutor.builder().logDirectory(logs).inheritEnvironment(List.of("*")).build();
        all.start(task(JobSpec.command("/usr/bin/env")), updates::add);
        next();
        assertThat(next().outputTail()).contains(hostOnly + "=");
        assertThatThrownBy(() -> ProcessExecutor.builder().inheritEnvironment(List.of("A=B")))
                .hasMessage("inheritEnvironment entries must be variable names or prefixes ending in '*', got 'A=B'");
    }

    @Test
    void aStepEnvironmentWithABadNameIsRefusedAtValidation() {
        ProcessExecutor ex = ProcessExecutor.builder().logDirectory(logs).build();
        assertThatThrownBy(() -> ex.validate(JobSpec.command("/bin/true").withEnvironment(Map.of("BAD=NAME", "x"))))
                .hasMessage("environment variable names must not be empty or contain '=' or NUL, got 'BAD=NAME'");
    }

    @Test
    void touchingTheHeartbeatFileReportsHeartbeats() throws Exception {
        ProcessExecutor ex = ProcessExecutor.builder().logDirectory(logs).build();
        ex.start(task(JobSpec.command("/bin/sh", "-c",
                "for i in 1 2 3 4 5 6 7 8 9 10; do touch \"$ORCHESTRATOR_HEARTBEAT_FILE\"; sleep 0.1; done")), updates::add);
        assertThat(next().kind()).isEqualTo(StatusUpdate.Kind.RUNNING);
        int heartbeats = 0;
        StatusUpdate u;
        while ((u = next()).kind() == StatusUpdate.Kind.HEARTBEAT) {
            heartbeats++;
        }
        assertThat(u.kind()).isEqualTo(StatusUpdate.Kind.SUCCEEDED);
        assertThat(heartbeats).as("heartbeats over about a second of touching").isBetween(2, 12);
    }

    @Test
    void aLargeLogKeepsItsHeadAndTailAndOnlyItsOwnerReadsIt() throws Exception {
        ProcessExecutor ex = ProcessExecutor.builder().logDirectory(logs).maxLogBytes(8192).build();
        ex.start(task(JobSpec.command("/bin/sh", "-c", "echo FIRST; head -c 100000 /dev/zero | tr '\\0' x; echo; echo LAST")),
                updates::add);
        String logFile = next().outputRef();
        assertThat(next().kind()).isEqualTo(StatusUpdate.Kind.SUCCEEDED);
        String content = Files.readString(Path.of(logFile));
        assertThat(content).startsWith("FIRST").endsWith("LAST\n").contains("output cut by the orchestrator");
        assertThat(Files.size(Path.of(logFile))).isLessThan(8192 + 100);
        assertThat(java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(Path.of(logFile))))
                .isEqualTo("rw-------");
    }
}
