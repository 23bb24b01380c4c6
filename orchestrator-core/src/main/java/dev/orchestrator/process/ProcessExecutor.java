package dev.orchestrator.process;

import dev.orchestrator.JobSpec;
import dev.orchestrator.spi.Executor;
import dev.orchestrator.spi.StatusSink;
import dev.orchestrator.spi.StatusUpdate;
import dev.orchestrator.spi.TaskContext;
import dev.orchestrator.spi.TaskEnvironment;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.File;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Runs each task attempt as a local OS process: the job's command is the program and its
 * arguments, started with {@link ProcessBuilder} and never through a shell. The process sees
 * its coordinates in {@code ORCHESTRATOR_RUN_ID}, {@code ORCHESTRATOR_WORKFLOW},
 * {@code ORCHESTRATOR_STEP}, {@code ORCHESTRATOR_TASK_INDEX}, {@code ORCHESTRATOR_TASK_COUNT}
 * and {@code ORCHESTRATOR_ATTEMPT}, and each run parameter {@code k} as
 * {@code ORCHESTRATOR_PARAM_k}. Standard output and error go to one log file per attempt under
 * the log directory; its last {@code tailBytes} are stored with the attempt. Exit code 0 is
 * success. Exits are observed through {@link Process#onExit()}: no thread of this executor
 * blocks per process.
 *
 * <p>Each process leads a process group of its own ({@code setsid} on Linux). On cancel or
 * timeout the whole group gets SIGTERM, then SIGKILL after the grace period, so children that
 * ignore SIGTERM or run in the background stop too. A watchdog process beside the node guards
 * the groups: when the node's JVM dies, or the node stops renewing its lease (frozen, or cut off
 * from the database), the watchdog stops them before another node could take their tasks over.
 * A group left behind by a task whose main process exited normally is not stopped.
 *
 * <p>Thread-safe. Type {@code process}; registered with {@link java.util.ServiceLoader} through
 * {@link ProcessExecutorProvider}.
 */
public final class ProcessExecutor implements Executor {

    /** The executor type. */
    public static final String TYPE = "process";

    private static final Logger log = LoggerFactory.getLogger(ProcessExecutor.class);
    /** The longest the watchdog waits between SIGTERM and SIGKILL when the node is gone. */
    private static final Duration WATCHDOG_GRACE = Duration.ofSeconds(2);

    private final Path logDirectory;
    private final int tailBytes;
    private final Duration killGrace;
    private final Map<Long, Process> running = new ConcurrentHashMap<>();
    private final Map<Long, Boolean> createdRunDirs = new ConcurrentHashMap<>();
    /** Processes stopped by {@link #cancel}: they fail whatever their exit code. */
    private final Map<Process, Boolean> cancelled = new ConcurrentHashMap<>();
    private final Supervisor supervisor;
    private final ScheduledExecutorService killer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "orchestrator-process-killer");
        t.setDaemon(true);
        return t;
    });

    /**
     * @param logDirectory where attempt logs go, as {@code run-<id>/step<i>-task<n>-attempt<a>.log}
     * @param tailBytes    bytes of output kept with the attempt, between 0 and 1 MiB
     * @param killGrace    time between SIGTERM and SIGKILL on cancel; not negative
     */
    public ProcessExecutor(Path logDirectory, int tailBytes, Duration killGrace) {
        this.logDirectory = Objects.requireNonNull(logDirectory, "logDirectory");
        if (tailBytes < 0 || tailBytes > 1 << 20) {
            throw new IllegalArgumentException("tailBytes must be between 0 and 1048576, got " + tailBytes);
        }
        if (killGrace == null || killGrace.isNegative()) {
            throw new IllegalArgumentException("killGrace must not be negative, got " + killGrace);
        }
        this.tailBytes = tailBytes;
        this.killGrace = killGrace;
        this.supervisor = new Supervisor(killGrace.compareTo(WATCHDOG_GRACE) < 0 ? killGrace : WATCHDOG_GRACE);
    }

    /** Logs under {@code <java.io.tmpdir>/orchestrator-logs}, 4 KiB tails, 5 s kill grace. */
    public ProcessExecutor() {
        this(defaultLogDirectory(), 4096, Duration.ofSeconds(5));
    }

    static Path defaultLogDirectory() {
        return Path.of(System.getProperty("java.io.tmpdir"), "orchestrator-logs");
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public void validate(JobSpec job) {
        if (job.command().isEmpty()) {
            throw new IllegalArgumentException("command must not be empty for a process step");
        }
        for (int i = 0; i < job.command().size(); i++) {
            if (job.command().get(i) == null) {
                throw new IllegalArgumentException("command[" + i + "] must not be null");
            }
        }
        if (job.command().getFirst().isBlank()) {
            throw new IllegalArgumentException("command[0] (the program) must not be blank");
        }
    }

    @Override
    public void start(TaskContext task, StatusSink sink) {
        Path logFile;
        try {
            logFile = logFile(task);
        } catch (IOException e) {
            sink.report(StatusUpdate.failed(null, "could not create log file: " + e.getMessage(), null));
            return;
        }
        JobSpec job = task.job();
        String missing = Programs.whyNotRunnable(job.command().getFirst(), job.workingDirectory());
        if (missing != null) {
            sink.report(StatusUpdate.failed(null, "could not start " + job.command().getFirst() + ": " + missing, null));
            return;
        }
        ProcessBuilder pb = new ProcessBuilder(ProcessGroups.leaderCommand(job.command()))
                .redirectErrorStream(true)
                .redirectOutput(logFile.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        if (job.workingDirectory() != null) {
            pb.directory(new File(job.workingDirectory()));
        }
        pb.environment().putAll(TaskEnvironment.of(task));
        Process process;
        try {
            process = pb.start();
        } catch (IOException | RuntimeException e) {
            sink.report(StatusUpdate.failed(null, "could not start " + job.command().getFirst() + ": " + e.getMessage(), null));
            return;
        }
        supervisor.guard(process.pid());
        running.put(task.taskId(), process);
        sink.report(StatusUpdate.running("pid:" + process.pid(), logFile.toString()));
        process.onExit().whenComplete((p, error) -> {
            running.remove(task.taskId(), process);
            supervisor.release(process.pid());
            String tail = tail(logFile);
            int code = process.exitValue();
            if (cancelled.remove(process) != null) {
                sink.report(StatusUpdate.failed(code, "stopped on cancel (exit code " + code + ")", tail));
            } else if (code == 0) {
                sink.report(StatusUpdate.succeeded(0, tail));
            } else {
                sink.report(StatusUpdate.failed(code, "exited with code " + code, tail));
            }
        });
    }

    @Override
    public void cancel(TaskContext task) {
        Process p = running.get(task.taskId());
        if (p == null || !p.isAlive()) {
            return;
        }
        log.debug("terminating pid {} (run {} step {} index {})", p.pid(), task.runId(), task.step(), task.taskIndex());
        cancelled.put(p, Boolean.TRUE);
        ProcessHandle leader = p.toHandle();
        ProcessGroups.signal(leader, "TERM");
        // Members that ignore SIGTERM, or outlive their leader, are killed after the grace period.
        killer.schedule(() -> ProcessGroups.signal(leader, "KILL"), killGrace.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Passes the renewal to this executor's watchdog, which stops every task process if no renewal comes in time. */
    @Override
    public void leaseRenewed(Duration validFor) {
        supervisor.leaseRenewed(validFor);
    }

    /** Stops the watchdog, which stops the process groups of tasks still running. */
    @Override
    public void close() {
        supervisor.close();
        killer.shutdownNow();
    }

    private Path logFile(TaskContext task) throws IOException {
        Path dir = logDirectory.resolve("run-" + task.runId());
        if (createdRunDirs.putIfAbsent(task.runId(), Boolean.TRUE) == null) {
            Files.createDirectories(dir);
        }
        return dir.resolve("step" + task.stepIndex() + "-task" + task.taskIndex() + "-attempt" + task.attempt() + ".log");
    }

    private String tail(Path file) {
        if (tailBytes == 0) {
            return null;
        }
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "r")) {
            long len = f.length();
            if (len == 0) {
                return "";
            }
            int n = (int) Math.min(len, tailBytes);
            byte[] buf = new byte[n];
            f.seek(len - n);
            f.readFully(buf);
            return new String(buf, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(could not read output: " + e.getMessage() + ")";
        }
    }
}
