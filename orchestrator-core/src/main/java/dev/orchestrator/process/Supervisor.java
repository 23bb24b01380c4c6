package dev.orchestrator.process;

import dev.orchestrator.internal.ProcessWatchdog;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * This executor's {@link ProcessWatchdog}: started with the first task, told of each task's
 * process group and of each lease renewal, and closed with the executor (which stops what it
 * still guards). If the watchdog ends (it stopped the groups because no renewal came), the next
 * task starts a new one. Thread-safe.
 */
final class Supervisor implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Supervisor.class);

    private final Duration grace;
    private Process watchdog;
    private Writer commands;
    /** When the last renewal said the lease ends (System.nanoTime()), or 0 before the first. */
    private long leaseEndNanos;
    private boolean unavailable;
    private Path classes;

    Supervisor(Duration grace) {
        this.grace = grace;
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
        leaseEndNanos = System.nanoTime() + Math.max(1, validFor.toNanos());
        if (watchdog != null && watchdog.isAlive()) {
            send("lease " + Math.max(1, validFor.toMillis()));
        }
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
            watchdog = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            commands = new OutputStreamWriter(watchdog.getOutputStream(), StandardCharsets.US_ASCII);
            if (leaseEndNanos != 0) {
                long left = leaseEndNanos - System.nanoTime();
                send("lease " + Math.max(1, left / 1_000_000));
            }
            return true;
        } catch (IOException | RuntimeException e) {
            unavailable = true;
            log.warn("could not start the process watchdog; task processes will not be stopped if this JVM dies: {}",
                    e.toString());
            return false;
        }
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
