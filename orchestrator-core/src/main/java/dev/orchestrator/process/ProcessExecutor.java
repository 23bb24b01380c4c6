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
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Runs each task attempt as a local OS process: the job's command is the program and its
 * arguments, started with {@link ProcessBuilder} and never through a shell. The process sees
 * the variables of {@link TaskEnvironment} (its coordinates, and each run parameter {@code k}
 * as {@code ORCHESTRATOR_PARAM_k}), the step's environment, {@code ORCHESTRATOR_HEARTBEAT_FILE},
 * and of the node's own environment only the variables of {@link Builder#inheritEnvironment}.
 * Standard output and error go to one log file per attempt under the log directory, readable
 * by its owner only; its last {@code tailBytes} are stored with the attempt. Exit code 0 is
 * success. Exits are observed through {@link Process#onExit()}: no thread blocks per process.
 *
 * <p>Each process leads a process group of its own ({@code setsid} on Linux). On cancel or
 * timeout the whole group gets SIGTERM, then SIGKILL after the grace period, so children that
 * ignore SIGTERM or run in the background stop too. A watchdog process beside the node guards
 * the groups: when the node's JVM dies, or the node stops renewing its lease (frozen, or cut off
 * from the database), the watchdog stops them before another node could take their tasks over.
 * A task starts only once the watchdog runs, and not at all once the last renewal's lease ran
 * out: it is then handed back unused ({@link StatusUpdate#released()}).
 * A group left behind by a task whose main process exited normally is not stopped.
 *
 * <p>A task counts as alive (for a step's heartbeat timeout) while it writes output or touches
 * the file named in {@code ORCHESTRATOR_HEARTBEAT_FILE}.
 *
 * <p>Thread-safe. Type {@code process}; registered with {@link java.util.ServiceLoader} through
 * {@link ProcessExecutorProvider}.
 */
public final class ProcessExecutor implements Executor {

    /** The executor type. */
    public static final String TYPE = "process";
    /** The variable naming the file a task may touch to show it is alive. */
    public static final String HEARTBEAT_FILE = "ORCHESTRATOR_HEARTBEAT_FILE";

    private static final Logger log = LoggerFactory.getLogger(ProcessExecutor.class);
    /** The longest the watchdog waits between SIGTERM and SIGKILL when the node is gone. */
    private static final Duration WATCHDOG_GRACE = Duration.ofSeconds(2);
    private static final long LIVENESS_CHECK_MILLIS = 250;

    private final AttemptLogs logs;
    private final Duration killGrace;
    private final InheritedEnvironment inherited;
    private final Map<Long, Process> running = new ConcurrentHashMap<>();
    /** Processes stopped by {@link #cancel}: they fail whatever their exit code. */
    private final Map<Process, Boolean> cancelled = new ConcurrentHashMap<>();
    private final Supervisor supervisor;
    private final LivenessWatch liveness = new LivenessWatch();
    /** The check at the last renewal's lease end (see {@link #leaseRenewed}); guarded by this. */
    private ScheduledFuture<?> leaseEndCheck;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "orchestrator-process-timer");
        t.setDaemon(true);
        return t;
    });

    private ProcessExecutor(Builder b) {
        this.logs = new AttemptLogs(b.logDirectory, b.tailBytes, b.maxLogBytes);
        this.killGrace = b.killGrace;
        this.inherited = new InheritedEnvironment(b.inheritEnvironment);
        this.supervisor = new Supervisor(killGrace.compareTo(WATCHDOG_GRACE) < 0 ? killGrace : WATCHDOG_GRACE);
        timer.scheduleWithFixedDelay(liveness::check, LIVENESS_CHECK_MILLIS, LIVENESS_CHECK_MILLIS, TimeUnit.MILLISECONDS);
    }

    /** A builder with the defaults given on each setter. */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    public String type() {
        return TYPE;
    }

    /** Checks the command and the step's environment names, so a bad step is refused at register. */
    @Override
    public void validate(JobSpec job) {
        if (job.command().isEmpty()) {
            throw new IllegalArgumentException("command must not be empty for a process step");
        }
        for (int i = 0; i < job.command().size(); i++) {
            String arg = job.command().get(i);
            if (arg == null) {
                throw new IllegalArgumentException("command[" + i + "] must not be null");
            }
            if (arg.indexOf('\0') >= 0) {
                throw new IllegalArgumentException("command[" + i + "] must not contain NUL");
            }
        }
        if (job.command().getFirst().isBlank()) {
            throw new IllegalArgumentException("command[0] (the program) must not be blank");
        }
        job.environment().forEach((name, value) -> {
            if (name.isEmpty() || name.indexOf('=') >= 0 || name.indexOf('\0') >= 0) {
                throw new IllegalArgumentException("environment variable names must not be empty or contain '=' or NUL, "
                        + "got '" + name.replace("\0", "\\0") + "'");
            }
            if (value != null && value.indexOf('\0') >= 0) {
                throw new IllegalArgumentException("environment variable " + name + " must not contain NUL");
            }
        });
    }

    @Override
    public void start(TaskContext task, StatusSink sink) {
        JobSpec job = task.job();
        String missing = Programs.whyNotRunnable(job.command().getFirst(), job.workingDirectory());
        if (missing != null) {
            sink.report(StatusUpdate.failed(null, "could not start " + job.command().getFirst() + ": " + missing, null));
            return;
        }
        if (!supervisor.mayStart()) {
            // The lease ran out since the node handed this task over: it may run elsewhere now.
            log.debug("not starting task {} (run {}): the node's lease ran out", task.taskId(), task.runId());
            sink.report(StatusUpdate.released());
            return;
        }
        Path logFile;
        try {
            logFile = logs.create(task);
        } catch (IOException e) {
            sink.report(StatusUpdate.failed(null, "could not create log file: " + e, null));
            return;
        }
        ProcessBuilder pb = new ProcessBuilder(ProcessGroups.leaderCommand(job.command()))
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        if (job.workingDirectory() != null) {
            pb.directory(new File(job.workingDirectory()));
        }
        Map<String, String> env = pb.environment();
        inherited.filter(env);
        env.putAll(TaskEnvironment.of(task));
        env.put(HEARTBEAT_FILE, AttemptLogs.heartbeatFile(logFile).toString());
        Process process;
        try {
            process = pb.start();
        } catch (IOException | RuntimeException e) {
            sink.report(StatusUpdate.failed(null, "could not start " + job.command().getFirst() + ": " + e.getMessage(), null));
            return;
        }
        supervisor.guard(process.pid());
        running.put(task.taskId(), process);
        liveness.watch(task.taskId(), logFile, sink);
        sink.report(StatusUpdate.running("pid:" + process.pid(), logFile.toString()));
        process.onExit().whenComplete((p, error) -> ended(task, process, logFile, sink));
    }

    private void ended(TaskContext task, Process process, Path logFile, StatusSink sink) {
        running.remove(task.taskId(), process);
        liveness.forget(task.taskId());
        supervisor.release(process.pid());
        String tail = logs.tail(logFile);
        logs.capEnded(logFile);
        int code = process.exitValue();
        if (cancelled.remove(process) != null) {
            sink.report(StatusUpdate.failed(code, "stopped on cancel (exit code " + code + ")", tail));
        } else if (code == 0) {
            sink.report(StatusUpdate.succeeded(0, tail));
        } else {
            sink.report(StatusUpdate.failed(code, "exited with code " + code, tail));
        }
    }

    /** Stops the attempt with this executor's {@code killGrace}. */
    @Override
    public void cancel(TaskContext task) {
        cancelAll(List.of(task), killGrace);
    }

    /** Stops the attempts with this executor's {@code killGrace}. */
    @Override
    public void cancelAll(List<TaskContext> tasks) {
        cancelAll(tasks, killGrace);
    }

    @Override
    public void cancel(TaskContext task, Duration grace) {
        cancelAll(List.of(task), grace);
    }

    /** Sends SIGTERM to the groups of these attempts with one {@code kill}, and SIGKILL after {@code grace}. */
    @Override
    public void cancelAll(List<TaskContext> tasks, Duration grace) {
        List<ProcessHandle> leaders = new java.util.ArrayList<>(tasks.size());
        for (TaskContext task : tasks) {
            Process p = running.get(task.taskId());
            if (p != null && p.isAlive()) {
                log.debug("terminating pid {} (run {} step {} index {})", p.pid(), task.runId(), task.step(),
                        task.taskIndex());
                cancelled.put(p, Boolean.TRUE);
                leaders.add(p.toHandle());
            }
        }
        if (leaders.isEmpty()) {
            return;
        }
        ProcessGroups.signalAll(leaders, "TERM");
        // Members that ignore SIGTERM, or outlive their leader, are killed after the grace period.
        timer.schedule(() -> ProcessGroups.signalAll(leaders, "KILL"), grace.toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * Passes the renewal to this executor's watchdog, which stops every task process if no renewal
     * comes in time. This JVM checks the same lease end too: if no renewal came by then, it kills
     * the task process groups itself, so a live node cut off from its database does not depend on
     * the watchdog alone (the watchdog covers a JVM that is killed or frozen).
     */
    @Override
    public void leaseRenewed(Duration validFor) {
        supervisor.leaseRenewed(validFor);
        synchronized (this) {
            if (leaseEndCheck != null) {
                leaseEndCheck.cancel(false);
            }
            try {
                leaseEndCheck = timer.schedule(this::killIfLeaseRanOut, Math.max(1, validFor.toNanos()),
                        TimeUnit.NANOSECONDS);
            } catch (java.util.concurrent.RejectedExecutionException e) {
                leaseEndCheck = null; // closed
            }
        }
    }

    /** At a renewal's lease end: if no later renewal came, kills every task process group. */
    private void killIfLeaseRanOut() {
        if (supervisor.leaseHolds()) {
            return;
        }
        List<ProcessHandle> leaders = running.values().stream().filter(Process::isAlive).map(Process::toHandle).toList();
        if (!leaders.isEmpty()) {
            log.warn("the node's lease ran out unrenewed: killing the process groups of {} task(s)", leaders.size());
            ProcessGroups.signalAll(leaders, "KILL");
        }
    }

    /** Deletes the log folders of pruned runs. */
    @Override
    public void forgetRuns(java.util.Collection<Long> runIds) {
        for (long id : runIds) {
            logs.deleteRun(id);
        }
    }

    /** Stops the watchdog, which stops the process groups of tasks still running. */
    @Override
    public void close() {
        supervisor.close();
        timer.shutdownNow();
    }

    @Override
    public String toString() {
        return "ProcessExecutor[inheritEnvironment=" + inherited + ", killGrace=" + killGrace + "]";
    }

    /** Builds a {@link ProcessExecutor}; each setter checks its value at once. Not thread-safe. */
    public static final class Builder {
        private Path logDirectory = Path.of(System.getProperty("java.io.tmpdir"),
                "orchestrator-logs-" + System.getProperty("user.name", "user"));
        private int tailBytes = 4096;
        private long maxLogBytes = 64L << 20;
        private Duration killGrace = Duration.ofSeconds(5);
        private List<String> inheritEnvironment = InheritedEnvironment.DEFAULT;

        private Builder() {
        }

        /**
         * Where attempt logs go. Default {@code <java.io.tmpdir>/orchestrator-logs-<user>}; the
         * process executor an orchestrator creates itself logs in its store's directory instead
         * (see {@link dev.orchestrator.spi.Store#defaultLogDirectory()}).
         */
        public Builder logDirectory(Path logDirectory) {
            this.logDirectory = java.util.Objects.requireNonNull(logDirectory, "logDirectory");
            return this;
        }

        /** Bytes of output stored with each attempt, between 0 and 1 MiB. Default 4096. */
        public Builder tailBytes(int tailBytes) {
            if (tailBytes < 0 || tailBytes > 1 << 20) {
                throw new IllegalArgumentException("tailBytes must be between 0 and 1048576, got " + tailBytes);
            }
            this.tailBytes = tailBytes;
            return this;
        }

        /**
         * Largest log kept per attempt, at least 8 KiB: a larger log keeps its first and last
         * halves of this when the attempt ends. Default 64 MiB.
         */
        public Builder maxLogBytes(long maxLogBytes) {
            if (maxLogBytes < 8192) {
                throw new IllegalArgumentException("maxLogBytes must be at least 8192, got " + maxLogBytes);
            }
            this.maxLogBytes = maxLogBytes;
            return this;
        }

        /** Time between SIGTERM and SIGKILL on cancel or timeout; not negative. Default 5 s. */
        public Builder killGrace(Duration killGrace) {
            if (killGrace == null || killGrace.isNegative()) {
                throw new IllegalArgumentException("killGrace must not be negative, got " + killGrace);
            }
            this.killGrace = killGrace;
            return this;
        }

        /**
         * Which of the node's environment variables a task inherits: names, or prefixes ending in
         * {@code *}; {@code List.of("*")} inherits all. Default {@code PATH, HOME, USER, LOGNAME,
         * SHELL, LANG, LANGUAGE, LC_*, TZ, TMPDIR, TERM}: a host's credentials are not passed on
         * unless listed. A step's own environment is always passed.
         */
        public Builder inheritEnvironment(List<String> names) {
            java.util.Objects.requireNonNull(names, "inheritEnvironment");
            new InheritedEnvironment(names); // checks each entry
            this.inheritEnvironment = List.copyOf(names);
            return this;
        }

        /** The executor. */
        public ProcessExecutor build() {
            return new ProcessExecutor(this);
        }
    }
}
