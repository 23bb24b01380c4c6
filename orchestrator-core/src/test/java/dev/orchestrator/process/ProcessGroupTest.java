package dev.orchestrator.process;

import dev.orchestrator.JobSpec;
import dev.orchestrator.spi.StatusUpdate;
import dev.orchestrator.spi.TaskContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Task processes stop with their whole process group: on cancel, when the node stops renewing
 * its lease, and when the node's JVM is killed. Judged by the pids the tasks' processes had.
 */
class ProcessGroupTest {

    @TempDir
    Path logs;

    private final LinkedBlockingQueue<StatusUpdate> updates = new LinkedBlockingQueue<>();

    private static TaskContext task(long id, JobSpec job) {
        return new TaskContext(id, 1, "wf", "step", 0, (int) id, 100, 1, Map.of(), job, null, null);
    }

    private StatusUpdate next() throws InterruptedException {
        StatusUpdate u = updates.poll(20, TimeUnit.SECONDS);
        assertThat(u).as("an update within 20 s").isNotNull();
        return u;
    }

    @Test
    void aCancelStopsAChildThatIgnoresSigtermInTheBackground() throws Exception {
        ProcessExecutor ex = ProcessExecutor.builder().logDirectory(logs).tailBytes(4096).killGrace(Duration.ofMillis(500)).build();
        try {
            TaskContext t = task(1, JobSpec.command("/bin/sh", "-c", "(trap '' TERM; exec sleep 600) & wait"));
            ex.start(t, updates::add);
            long shell = Long.parseLong(next().executionName().substring(4));
            awaitCondition("the background sleep", () -> descendants(shell).size() == 1);
            long sleep = descendants(shell).getFirst();

            ex.cancel(t);
            assertThat(next().kind()).isEqualTo(StatusUpdate.Kind.FAILED);
            awaitCondition("the sleep that ignored SIGTERM is killed", () -> !alive(sleep));
        } finally {
            ex.close();
        }
    }

    @Test
    void tasksStopWhenTheLeaseIsNotRenewedInTime() throws Exception {
        ProcessExecutor ex = ProcessExecutor.builder().logDirectory(logs).tailBytes(4096).killGrace(Duration.ofMillis(500)).build();
        try {
            // Long enough for the watchdog to start on a loaded machine: a task starts only under a lease.
            ex.leaseRenewed(Duration.ofSeconds(30));
            List<Long> pids = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                ex.start(task(i, JobSpec.command("/bin/sleep", "30")), updates::add);
                pids.add(Long.parseLong(next().executionName().substring(4)));
            }
            ex.leaseRenewed(Duration.ofSeconds(1)); // still renewed while the node is healthy
            long renewedAt = System.nanoTime();
            awaitCondition("every task process stopped", () -> pids.stream().noneMatch(ProcessGroupTest::alive));
            assertThat(System.nanoTime() - renewedAt).as("not before the lease ran out")
                    .isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(900));
            for (int i = 0; i < 3; i++) {
                assertThat(next().kind()).isEqualTo(StatusUpdate.Kind.FAILED);
            }
        } finally {
            ex.close();
        }
    }

    @Test
    void tasksStopAtTheLeaseEndEvenWhenTheWatchdogIsGone() throws Exception {
        ProcessExecutor ex = ProcessExecutor.builder().logDirectory(logs).tailBytes(4096).killGrace(Duration.ofMillis(500)).build();
        try {
            ex.leaseRenewed(Duration.ofSeconds(30));
            List<Long> pids = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                ex.start(task(i, JobSpec.command("/bin/sleep", "30")), updates::add);
                pids.add(Long.parseLong(next().executionName().substring(4)));
            }
            List<ProcessHandle> watchdogs = ProcessHandle.current().children()
                    .filter(h -> h.info().commandLine().orElse("").contains("ProcessWatchdog")).toList();
            assertThat(watchdogs).as("this executor's watchdog").hasSize(1);
            watchdogs.getFirst().destroyForcibly(); // SIGKILL: it stops nothing
            awaitCondition("the watchdog is gone", () -> !watchdogs.getFirst().isAlive());
            assertThat(pids).allMatch(ProcessGroupTest::alive);

            ex.leaseRenewed(Duration.ofSeconds(1)); // the watchdog cannot hear this one
            long renewedAt = System.nanoTime();
            awaitCondition("every task process stopped by the executor itself",
                    () -> pids.stream().noneMatch(ProcessGroupTest::alive));
            assertThat(System.nanoTime() - renewedAt).as("not before the lease ran out")
                    .isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(900));
        } finally {
            ex.close();
        }
    }

    @Test
    void tasksOfANodeKilledWithSigkillStopWithinFiveSeconds() throws Exception {
        String java = ProcessHandle.current().info().command().orElseThrow();
        String classPath = System.getProperty("jdk.module.path", "") + File.pathSeparator
                + System.getProperty("java.class.path");
        Process node = new ProcessBuilder(java, "-cp", classPath, ProcessNode.class.getName(), logs.toString(), "20")
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        List<Long> pids = new ArrayList<>();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(node.getInputStream(), StandardCharsets.UTF_8));
            String line;
            while (pids.size() < 20 && (line = out.readLine()) != null) {
                if (line.startsWith("PID ")) {
                    pids.add(Long.parseLong(line.substring(4).trim()));
                }
            }
            assertThat(pids).hasSize(20);
            assertThat(pids).allMatch(ProcessGroupTest::alive);
            node.destroyForcibly(); // SIGKILL: the JVM gets no chance to clean up
            long killedAt = System.nanoTime();
            awaitCondition("the node's task processes are gone", () -> pids.stream().noneMatch(ProcessGroupTest::alive));
            System.out.printf("[process] 20 task processes of a SIGKILLed node gone after %d ms%n",
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killedAt));
            assertThat(System.nanoTime() - killedAt).isLessThan(TimeUnit.SECONDS.toNanos(5));
        } finally {
            node.destroyForcibly();
            pids.forEach(p -> ProcessHandle.of(p).ifPresent(ProcessHandle::destroyForcibly));
        }
    }

    private static List<Long> descendants(long pid) {
        return ProcessHandle.of(pid).map(h -> h.descendants().map(ProcessHandle::pid).toList()).orElse(List.of());
    }

    static boolean alive(long pid) {
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }

    private static void awaitCondition(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("waiting for " + what).isLessThan(deadline);
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
        }
    }
}
