package dev.orchestrator.process;

import dev.orchestrator.JobSpec;
import dev.orchestrator.internal.ProcessWatchdog;
import dev.orchestrator.spi.StatusUpdate;
import dev.orchestrator.spi.TaskContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The watchdog's lease ends when the node's lease ends, however late the watchdog hears of it,
 * and nothing a node starts after its lease ran out survives: the guarantee that a task process
 * never outlives its node's lease, so no other node runs the task while it still runs.
 */
class WatchdogLeaseTest {

    @TempDir
    Path logs;

    /** A {@code sleep 600} leading a process group of its own, as task processes do. */
    private static Process group() throws Exception {
        return new ProcessBuilder(ProcessGroups.leaderCommand(List.of("/bin/sleep", "600")))
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectErrorStream(true).start();
    }

    private static Process watchdog() throws Exception {
        String java = ProcessHandle.current().info().command().orElseThrow();
        String classPath = System.getProperty("jdk.module.path", "") + File.pathSeparator
                + System.getProperty("java.class.path");
        return new ProcessBuilder(java, "-cp", classPath, ProcessWatchdog.class.getName(), "200")
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectErrorStream(true).start();
    }

    private static void send(Writer w, String line) throws Exception {
        w.write(line + "\n");
        w.flush();
    }

    @Test
    void aRenewalReadLateEndsWhenTheNodeSaidNotLater() throws Exception {
        assertThat(ProcessGroups.supported()).as("setsid and kill (Linux)").isTrue();
        Process task = group();
        Process dog = watchdog();
        try (Writer w = new OutputStreamWriter(dog.getOutputStream(), StandardCharsets.US_ASCII)) {
            send(w, "add " + task.pid());
            // Sent 59 s ago for 60 s, as a watchdog reading late sees it: 1 s is left, not 60.
            long sentAt = System.nanoTime() - TimeUnit.SECONDS.toNanos(59);
            send(w, "lease 60000 " + sentAt);
            awaitCondition("the task's group is stopped when the node's lease ends", () -> !task.isAlive());
            assertThat(System.nanoTime() - sentAt).as("not before the lease ran out")
                    .isGreaterThanOrEqualTo(TimeUnit.SECONDS.toNanos(60));
        } finally {
            task.destroyForcibly();
            dog.destroyForcibly();
        }
    }

    @Test
    void aGroupThatIgnoresSigtermIsKilledWhenTheLeaseEndsNotAfterTheGrace() throws Exception {
        assertThat(ProcessGroups.supported()).as("setsid and kill (Linux)").isTrue();
        // SIGTERM ignored, inherited through exec: only SIGKILL stops it.
        Process task = new ProcessBuilder(ProcessGroups.leaderCommand(List.of("/bin/sh", "-c",
                "trap '' TERM; exec /bin/sleep 600"))).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectErrorStream(true).start();
        String java = ProcessHandle.current().info().command().orElseThrow();
        String classPath = System.getProperty("jdk.module.path", "") + File.pathSeparator
                + System.getProperty("java.class.path");
        // A grace of a minute: were it honoured after the lease, the task would outlive the lease by it.
        Process dog = new ProcessBuilder(java, "-cp", classPath, ProcessWatchdog.class.getName(), "60000")
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectErrorStream(true).start();
        try (Writer w = new OutputStreamWriter(dog.getOutputStream(), StandardCharsets.US_ASCII)) {
            send(w, "add " + task.pid());
            long sentAt = System.nanoTime();
            send(w, "lease 500 " + sentAt);
            awaitCondition("the group killed once the lease ended", () -> !task.isAlive());
            assertThat(System.nanoTime() - sentAt).as("well before the minute of grace")
                    .isLessThan(TimeUnit.SECONDS.toNanos(20));
        } finally {
            task.destroyForcibly();
            dog.destroyForcibly();
        }
    }

    @Test
    void aGroupAddedAfterTheLeaseRanOutIsStoppedAndALaterRenewalGuardsAgain() throws Exception {
        assertThat(ProcessGroups.supported()).as("setsid and kill (Linux)").isTrue();
        Process first = group();
        Process late = group();
        Process renewed = group();
        Process dog = watchdog();
        try (Writer w = new OutputStreamWriter(dog.getOutputStream(), StandardCharsets.US_ASCII)) {
            send(w, "add " + first.pid());
            send(w, "lease 0 " + System.nanoTime());
            awaitCondition("the guarded group is stopped", () -> !first.isAlive());
            // Started by the node just before it noticed its lease ran out: stopped too.
            send(w, "add " + late.pid());
            awaitCondition("the group added after the lease ran out is stopped", () -> !late.isAlive());
            assertThat(dog.isAlive()).as("the watchdog stays for the node's next incarnation").isTrue();
            send(w, "lease 60000 " + System.nanoTime());
            send(w, "add " + renewed.pid());
            // The watchdog reads in order: once it has answered nothing to a later line, wait a little.
            long from = System.nanoTime();
            awaitCondition("half a second under the new lease", () -> System.nanoTime() - from > 500_000_000L);
            assertThat(renewed.isAlive()).as("a group under a renewed lease runs on").isTrue();
            w.close(); // the node's JVM is gone
            awaitCondition("every group is stopped when the input ends", () -> !renewed.isAlive());
        } finally {
            for (Process p : List.of(first, late, renewed, dog)) {
                p.destroyForcibly();
            }
        }
    }

    @Test
    void aTaskDoesNotStartOnceTheLeaseRanOut() throws Exception {
        ProcessExecutor ex = ProcessExecutor.builder().logDirectory(logs).build();
        LinkedBlockingQueue<StatusUpdate> updates = new LinkedBlockingQueue<>();
        try {
            ex.leaseRenewed(Duration.ZERO); // the last renewal's lease has ended
            Path marker = logs.resolve("started");
            TaskContext t = new TaskContext(1, 1, "wf", "step", 0, 1, 100, 1, Map.of(),
                    JobSpec.command("/usr/bin/touch", marker.toString()), null, null);
            ex.start(t, updates::add);
            StatusUpdate u = updates.poll(20, TimeUnit.SECONDS);
            assertThat(u).as("an update within 20 s").isNotNull();
            assertThat(u.kind()).as("handed back unused").isEqualTo(StatusUpdate.Kind.RELEASED);
            assertThat(updates).as("nothing else reported").isEmpty();
            assertThat(Files.exists(marker)).as("the command never ran").isFalse();
        } finally {
            ex.close();
        }
    }

    private static void awaitCondition(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("waiting for " + what).isLessThan(deadline);
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
        }
    }
}
