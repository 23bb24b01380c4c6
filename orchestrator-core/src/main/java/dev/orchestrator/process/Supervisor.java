package dev.orchestrator.process;

import dev.orchestrator.internal.ProcessWatchdog;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * This executor's {@link ProcessWatchdog}: started with the first task, told of each task's
 * process group and of each lease renewal, and closed with the executor (which stops what it
 * still guards). A task starts only once the watchdog reads its input (a watchdog still starting
 * would not stop it in time) and while the last renewal's lease holds; each renewal carries the
 * time it was sent, so the watchdog counts the lease from there however late it reads it. If the
 * watchdog ends, the next task starts a new one. Thread-safe; waiting for a starting watchdog
 * holds no lock, so renewals pass meanwhile.
 */
final class Supervisor implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Supervisor.class);

    /** The longest a task waits for a starting watchdog to read its input. */
    private static final Duration READY_WAIT = Duration.ofSeconds(30);

    private final Duration grace;
    private Process watchdog;
    private Writer commands;
    /** Completes once the current watchdog printed that it reads its input. */
    private CompletableFuture<Void> ready = CompletableFuture.completedFuture(null);
    /** Whether a renewal came: before it (an executor used without a node) no lease applies. */
    private boolean renewed;
    /** When the last renewal said the lease ends (System.nanoTime()). */
    private long leaseEndNanos;
    private boolean unavailable;
    private Path classes;

    Supervisor(Duration grace) {
        this.grace = grace;
    }

    /**
     * Before a task starts: makes sure a watchdog runs and reads its input (waiting for one that
     * starts), then says whether the lease still holds. False: the node no longer certainly owns
     * its tasks, so nothing may start (the watchdog would stop it, perhaps too late).
     */
    boolean mayStart() {
        CompletableFuture<Void> starting;
        synchronized (this) {
            starting = ensureRunning() ? ready : null;
        }
        if (starting != null) {
            try {
                starting.get(READY_WAIT.toMillis(), TimeUnit.MILLISECONDS);
            } catch (TimeoutException | ExecutionException e) {
                log.warn("process watchdog not ready (waited up to {}); starting the task anyway: {}", READY_WAIT,
                        e.toString());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return leaseHolds();
    }

    /** Whether the last renewal's lease holds now (true before any renewal). */
    synchronized boolean leaseHolds() {
        return !renewed || System.nanoTime() - leaseEndNanos < 0;
    }

    /** Guards the group led by {@code pid}; false if no watchdog could be started. */
    synchronized boolean guard(long pid) {
        if (!ensureRunning()) {
            return false;
        }
        return send("add " + pid);
    }

    /** The group led by {@code pid} ended; the watchdog forgets it. */
    synchronized void release(long pid) {
        if (watchdog != null && watchdog.isAlive()) {
            send("remove " + pid);
        }
    }

    /** The node holds its lease for {@code validFor} from now. */
    synchronized void leaseRenewed(Duration validFor) {
        long now = System.nanoTime();
        leaseEndNanos = now + Math.max(1, validFor.toNanos());
        renewed = true;
        if (watchdog != null && watchdog.isAlive()) {
            sendLease(now);
        }
    }

    /** The lease's end as the time {@code now} plus what is left: the watchdog counts from {@code now}, not its reading. */
    private void sendLease(long now) {
        long left = Math.max(0, leaseEndNanos - now);
        send("lease " + TimeUnit.NANOSECONDS.toMillis(left) + " " + now);
    }

    /** Stops the watchdog; it stops every group it still guards. */
    @Override
    public synchronized void close() {
        if (commands != null) {
            try {
                commands.close();
            } catch (IOException ignored) {
                // the watchdog sees the end of its input either way
            }
            commands = null;
        }
    }

    private boolean ensureRunning() {
        if (watchdog != null && watchdog.isAlive()) {
            return true;
        }
        if (unavailable || !ProcessGroups.supported()) {
            return false;
        }
        try {
            if (classes == null) {
                classes = extractWatchdog();
            }
            Path java = Path.of(System.getProperty("java.home"), "bin", "java");
            List<String> command = ProcessGroups.leaderCommand(List.of(java.toString(), "-Xmx16m", "-Xss512k",
                    "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-XX:-UsePerfData", "-cp", classes.toString(),
                    ProcessWatchdog.class.getName(), Long.toString(grace.toMillis())));
            watchdog = new ProcessBuilder(command).start();
            forwardErrors(watchdog);
            commands = new OutputStreamWriter(watchdog.getOutputStream(), StandardCharsets.US_ASCII);
            ready = awaitReady(watchdog);
            if (renewed) {
                sendLease(System.nanoTime());
            }
            return true;
        } catch (IOException | RuntimeException e) {
            unavailable = true;
            log.warn("could not start the process watchdog; task processes will not be stopped if this JVM dies: {}",
                    e.toString());
            return false;
        }
    }

    /** Completes when the watchdog prints its first line (it reads its input), or fails when it ends first. */
    private static CompletableFuture<Void> awaitReady(Process p) {
        CompletableFuture<Void> f = new CompletableFuture<>();
        // A platform thread: it blocks on a pipe, for as long as the watchdog takes to start.
        Thread.ofPlatform().daemon(true).name("orchestrator-watchdog-ready").start(() -> {
            try {
                BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.US_ASCII));
                if (out.readLine() != null) {
                    f.complete(null); // nothing else is printed
                    return;
                }
            } catch (IOException e) {
                // the watchdog is gone
            }
            f.completeExceptionally(new IOException("the watchdog ended before it was ready"));
        });
        return f;
    }

    /** Logs what the watchdog writes on its error stream: what it stopped, and signals that failed. */
    private static void forwardErrors(Process p) {
        Thread.ofPlatform().daemon(true).name("orchestrator-watchdog-log").start(() -> {
            try (BufferedReader err = new BufferedReader(new InputStreamReader(p.getErrorStream(),
                    StandardCharsets.UTF_8))) {
                String line;
                while ((line = err.readLine()) != null) {
                    log.warn("process watchdog (pid {}): {}", p.pid(), line);
                }
            } catch (IOException e) {
                // the watchdog is gone
            }
        });
    }

    private boolean send(String line) {
        try {
            commands.write(line + "\n");
            commands.flush();
            return true;
        } catch (IOException e) {
            log.warn("process watchdog is gone ({}); a new one starts with the next task", e.toString());
            return false;
        }
    }

    /** Writes the watchdog's one class file into a private temporary folder, for {@code java -cp}. */
    private static Path extractWatchdog() throws IOException {
        Path root = Files.createTempDirectory("orchestrator-watchdog");
        root.toFile().deleteOnExit();
        String name = ProcessWatchdog.class.getName().replace('.', '/') + ".class";
        Path file = root.resolve(name);
        Files.createDirectories(file.getParent());
        try (InputStream in = ProcessWatchdog.class.getResourceAsStream("/" + name);
             OutputStream out = Files.newOutputStream(file)) {
            if (in == null) {
                throw new IOException(name + " not found beside the orchestrator classes");
            }
            in.transferTo(out);
        }
        return root;
    }
}
