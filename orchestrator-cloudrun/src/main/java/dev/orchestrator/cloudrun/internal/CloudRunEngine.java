package dev.orchestrator.cloudrun.internal;

import com.google.api.gax.rpc.ApiException;
import com.google.api.gax.rpc.StatusCode;
import com.google.cloud.run.v2.CancelExecutionRequest;
import com.google.cloud.run.v2.Condition;
import com.google.cloud.run.v2.Container;
import com.google.cloud.run.v2.EnvVar;
import com.google.cloud.run.v2.Execution;
import com.google.cloud.run.v2.ExecutionName;
import com.google.cloud.run.v2.ExecutionsClient;
import com.google.cloud.run.v2.GetExecutionRequest;
import com.google.cloud.run.v2.JobsClient;
import com.google.cloud.run.v2.ListTasksRequest;
import com.google.cloud.run.v2.ListTasksResponse;
import com.google.cloud.run.v2.RunJobRequest;
import com.google.cloud.run.v2.Task;
import com.google.cloud.run.v2.TaskAttemptResult;
import com.google.cloud.run.v2.TasksClient;
import com.google.longrunning.Operation;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.orchestrator.spi.Dispatch;
import dev.orchestrator.spi.StatusSink;
import dev.orchestrator.spi.StatusUpdate;
import dev.orchestrator.spi.TaskContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;

/**
 * Starts, follows, cancels and adopts Cloud Run executions for the public
 * {@code CloudRunExecutor}. Thread-safe.
 *
 * <p>Threads: every blocking API call runs on a virtual thread; one timer thread schedules
 * polls. A group of attempts waits (on its virtual thread) for a free execution slot, then for
 * the RunJob rate limiter, then calls RunJob, retrying transient errors. Once the execution's
 * name is known, each attempt reports {@code RUNNING} and one tracker per execution polls it.
 */
public final class CloudRunEngine implements AutoCloseable {

    /** First orchestrator task index of the execution; the container adds {@code CLOUD_RUN_TASK_INDEX}. */
    public static final String ENV_OFFSET = "ORCHESTRATOR_TASK_INDEX_OFFSET";
    /** The run id. */
    public static final String ENV_RUN_ID = "ORCHESTRATOR_RUN_ID";
    /** The attempt number. */
    public static final String ENV_ATTEMPT = "ORCHESTRATOR_ATTEMPT";
    /** The step's total task count (not the execution's). */
    public static final String ENV_TASK_COUNT = "ORCHESTRATOR_TASK_COUNT";
    /** The workflow name. */
    public static final String ENV_WORKFLOW = "ORCHESTRATOR_WORKFLOW";
    /** The step name. */
    public static final String ENV_STEP = "ORCHESTRATOR_STEP";

    private static final Logger LOG = LoggerFactory.getLogger(CloudRunEngine.class);
    private static final int LIST_PAGE_SIZE = 500;
    /** Polls after the completion time appeared before the counts are trusted as they are. */
    private static final int COMPLETED_POLLS_BEFORE_GIVING_UP_ON_COUNTS = 3;

    private final Settings settings;
    private final JobsClient jobs;
    private final ExecutionsClient executions;
    private final TasksClient tasks;
    private final RateLimiter runJobLimiter;
    private final ExecutionSlots slots;
    private final Backoff retryBackoff;
    private final ExecutorService workers;
    private final ScheduledExecutorService timer;
    /** Executions being followed, by name. */
    private final ConcurrentHashMap<String, Tracker> trackers = new ConcurrentHashMap<>();
    /** Attempts being started or followed, for {@link #cancel}. */
    private final ConcurrentHashMap<AttemptKey, Launch> launches = new ConcurrentHashMap<>();
    private volatile boolean closed;

    /** An engine over the given clients, which it closes on {@link #close()}. */
    /** Whether several tasks may share one execution. */
    public boolean batches() {
        return settings.maxTasksPerExecution() > 1;
    }

    public CloudRunEngine(Settings settings, JobsClient jobs, ExecutionsClient executions, TasksClient tasks) {
        this.settings = settings;
        this.jobs = jobs;
        this.executions = executions;
        this.tasks = tasks;
        this.runJobLimiter = new RateLimiter(settings.runJobPermits(), settings.runJobWindow());
        this.slots = new ExecutionSlots(settings.maxRunningExecutions());
        this.retryBackoff = new Backoff(settings.retryInitialDelay(), settings.retryMaxDelay());
        this.workers = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("cloudrun-", 0).factory());
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "cloudrun-timer");
            t.setDaemon(true);
            return t;
        });
    }

    private record AttemptKey(long taskId, int attempt) {
        static AttemptKey of(TaskContext t) {
            return new AttemptKey(t.taskId(), t.attempt());
        }
    }

    /** A group of attempts started as one execution. */
    private static final class Launch {
        final JobOptions job;
        final List<Dispatch> members;
        final int offset;
        volatile String executionName;
        volatile boolean cancelled;

        Launch(JobOptions job, List<Dispatch> members) {
            this.job = job;
            this.members = members;
            this.offset = members.get(0).task().taskIndex();
        }
    }

    /** One execution being followed, with the attempts that wait for its outcome. */
    private final class Tracker {
        final String name;
        /** Orchestrator index of Cloud Run task 0, or -1 until read from the execution. */
        volatile int offset;
        final Map<Integer, Dispatch> members = new HashMap<>();
        final AtomicBoolean cancelRequested = new AtomicBoolean();
        boolean finished;
        Duration delay = settings.pollInterval();
        long progress = -1;
        int completedPolls;
        long lastHeartbeat = System.nanoTime();

        Tracker(String name, int offset) {
            this.name = name;
            this.offset = offset;
        }

        /** Adds an attempt; false if the tracker has already finished. */
        synchronized boolean add(Dispatch d) {
            if (finished) {
                return false;
            }
            members.put(d.task().taskIndex(), d);
            return true;
        }

        synchronized List<Dispatch> snapshot() {
            return List.copyOf(members.values());
        }

        /** Marks the tracker finished and returns its attempts. */
        synchronized Map<Integer, Dispatch> finish() {
            finished = true;
            var copy = new HashMap<>(members);
            members.clear();
            return copy;
        }
    }

    /** Thrown when an API call failed for good. */
    private static final class CallFailed extends Exception {
        CallFailed(String message, Throwable cause) {
            super(message, cause);
        }
    }

    @FunctionalInterface
    private interface Rpc<T> {
        T call() throws InterruptedException;
    }

    // ------------------------------------------------------------------ start

    /** Starts attempts, grouping them into executions. Returns at once. */
    public void startAll(List<Dispatch> batch) {
        var valid = new ArrayList<Dispatch>(batch.size());
        for (Dispatch d : batch) {
            if (closed) {
                d.sink().report(StatusUpdate.failed(null, "the cloudrun executor is closed", null));
                continue;
            }
            try {
                JobOptions.parse(d.task().job());
                valid.add(d);
            } catch (IllegalArgumentException e) {
                d.sink().report(StatusUpdate.failed(null, e.getMessage(), null));
            }
        }
        for (List<Dispatch> group : Batching.group(valid, settings.maxTasksPerExecution())) {
            var launch = new Launch(JobOptions.parse(group.get(0).task().job()), group);
            for (Dispatch d : group) {
                launches.put(AttemptKey.of(d.task()), launch);
            }
            try {
                workers.execute(() -> launch(launch));
            } catch (RejectedExecutionException e) {
                forget(group);
                fail(group, "the cloudrun executor is closed");
            }
        }
    }

    private void launch(Launch launch) {
        boolean handedOver = false;
        boolean slotTaken = false;
        String jobName = launch.job.job().toString();
        try {
            if (launch.cancelled) {
                fail(launch.members, "cancelled before its Cloud Run execution started");
                return;
            }
            slots.acquire();
            slotTaken = true;
            if (launch.cancelled) {
                fail(launch.members, "cancelled before its Cloud Run execution started");
                return;
            }
            RunJobRequest request = runJobRequest(launch);
            Operation op = call("RunJob for " + jobName, () -> {
                runJobLimiter.acquire();
                return jobs.runJobCallable().call(request);
            }, () -> launch.cancelled);
            String name = executionName(op, jobName);
            launch.executionName = name;
            var tracker = new Tracker(name, launch.offset);
            for (Dispatch d : launch.members) {
                tracker.add(d);
            }
            trackers.put(name, tracker);
            handedOver = true;
            LOG.debug("started {} for {} task(s) from index {} of run {} step {}", name, launch.members.size(),
                    launch.offset, launch.members.get(0).task().runId(), launch.members.get(0).task().step());
            for (Dispatch d : launch.members) {
                d.sink().report(StatusUpdate.running(name, null));
            }
            if (launch.cancelled) {
                requestCancel(name);
            }
            schedulePoll(tracker, settings.pollInterval());
        } catch (CallFailed e) {
            fail(launch.members, e.getMessage());
        } catch (InterruptedException e) {
            // Closing: the attempts stay DISPATCHED and are recovered by the scheduler.
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            LOG.warn("could not start a Cloud Run execution of {}", jobName, e);
            fail(launch.members, "could not start a Cloud Run execution of " + jobName + ": " + e);
        } finally {
            if (!handedOver) {
                forget(launch.members);
                if (slotTaken) {
                    slots.release();
                }
            }
        }
    }

    private static String executionName(Operation op, String jobName) {
        if (!op.hasMetadata() || !op.getMetadata().is(Execution.class)) {
            throw new IllegalStateException("RunJob for " + jobName + " returned operation '" + op.getName()
                    + "' without Execution metadata");
        }
        try {
            String name = op.getMetadata().unpack(Execution.class).getName();
            if (!ExecutionName.isParsableFrom(name)) {
                throw new IllegalStateException("RunJob for " + jobName + " returned an execution name that does not "
                        + "parse: '" + name + "'");
            }
            return name;
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException("RunJob for " + jobName + " returned unreadable metadata: " + e.getMessage(), e);
        }
    }

    private RunJobRequest runJobRequest(Launch launch) {
        TaskContext first = launch.members.get(0).task();
        // Same environment as the process executor: the step's, then each run parameter k as
        // ORCHESTRATOR_PARAM_k (so a parameter can never replace PATH and the like), then coordinates.
        var env = new LinkedHashMap<String, String>(first.job().environment());
        first.parameters().forEach((k, v) -> env.put("ORCHESTRATOR_PARAM_" + k, v));
        env.put(ENV_OFFSET, Integer.toString(launch.offset));
        env.put(ENV_RUN_ID, Long.toString(first.runId()));
        env.put(ENV_ATTEMPT, Integer.toString(first.attempt()));
        env.put(ENV_TASK_COUNT, Integer.toString(first.taskCount()));
        env.put(ENV_WORKFLOW, first.workflow());
        env.put(ENV_STEP, first.step());
        var container = RunJobRequest.Overrides.ContainerOverride.newBuilder().addAllArgs(first.job().command());
        if (!launch.job.container().isEmpty()) {
            container.setName(launch.job.container());
        }
        env.forEach((k, v) -> container.addEnv(EnvVar.newBuilder().setName(k).setValue(v == null ? "" : v)));
        var overrides = RunJobRequest.Overrides.newBuilder()
                .addContainerOverrides(container)
                .setTaskCount(launch.members.size());
        long timeout = launch.job.timeoutSeconds();
        if (timeout == 0) {
            timeout = secondsUntilEarliestDeadline(launch.members);
        }
        if (timeout > 0) {
            overrides.setTimeout(com.google.protobuf.Duration.newBuilder().setSeconds(timeout));
        }
        return RunJobRequest.newBuilder().setName(launch.job.job().toString()).setOverrides(overrides).build();
    }

    /** Seconds (rounded up, at least 1, at most Cloud Run's limit) until the earliest deadline, or 0 if none. */
    private static long secondsUntilEarliestDeadline(List<Dispatch> members) {
        Instant earliest = null;
        for (Dispatch d : members) {
            Instant deadline = d.task().deadline();
            if (deadline != null && (earliest == null || deadline.isBefore(earliest))) {
                earliest = deadline;
            }
        }
        if (earliest == null) {
            return 0;
        }
        long millis = Duration.between(Instant.now(), earliest).toMillis();
        return Math.min(JobOptions.MAX_TIMEOUT_SECONDS, Math.max(1, (millis + 999) / 1000));
    }

    // ------------------------------------------------------------------ follow

    private void schedulePoll(Tracker t, Duration delay) {
        if (closed) {
            return;
        }
        try {
            timer.schedule(() -> {
                try {
                    workers.execute(() -> poll(t));
                } catch (RejectedExecutionException ignored) {
                    // closing
                }
            }, delay.toNanos(), TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException ignored) {
            // closing
        }
    }

    private void poll(Tracker t) {
        if (closed) {
            return;
        }
        Execution ex;
        try {
            ex = executions.getExecutionCallable().call(GetExecutionRequest.newBuilder().setName(t.name).build());
        } catch (ApiException e) {
            if (Errors.retryable(e)) {
                LOG.debug("polling {} failed, will retry: {}", t.name, Errors.describe(e));
                t.delay = next(t.delay);
                schedulePoll(t, t.delay);
            } else {
                finish(t, null, "could not follow Cloud Run execution " + t.name + ": " + Errors.describe(e));
            }
            return;
        } catch (RuntimeException e) {
            LOG.warn("polling {} failed, will retry", t.name, e);
            t.delay = next(t.delay);
            schedulePoll(t, t.delay);
            return;
        }
        try {
            if (t.offset < 0 && !resolveOffset(t, ex)) {
                return;
            }
            int ended = ex.getSucceededCount() + ex.getFailedCount() + ex.getCancelledCount();
            if (ex.hasCompletionTime()) {
                t.completedPolls++;
                if (ended >= ex.getTaskCount() || t.completedPolls >= COMPLETED_POLLS_BEFORE_GIVING_UP_ON_COUNTS) {
                    collect(t, ex);
                    return;
                }
            }
            long progress = ((long) ended << 32) | ex.getRunningCount();
            if (progress != t.progress) {
                t.progress = progress;
                t.delay = settings.pollInterval();
            } else {
                t.delay = next(t.delay);
            }
            heartbeat(t);
            schedulePoll(t, t.cancelRequested.get() || ex.hasCompletionTime() ? settings.pollInterval() : t.delay);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            LOG.warn("following {} failed, will retry", t.name, e);
            schedulePoll(t, next(t.delay));
        }
    }

    private Duration next(Duration d) {
        long nanos = (long) Math.min((double) settings.maxPollInterval().toNanos(), d.toNanos() * settings.pollBackoff());
        return Duration.ofNanos(Math.max(nanos, settings.pollInterval().toNanos()));
    }

    private void heartbeat(Tracker t) {
        if (settings.heartbeatInterval().isZero()) {
            return;
        }
        long now = System.nanoTime();
        if (now - t.lastHeartbeat >= settings.heartbeatInterval().toNanos()) {
            t.lastHeartbeat = now;
            for (Dispatch d : t.snapshot()) {
                d.sink().report(StatusUpdate.heartbeat());
            }
        }
    }

    /** Reads an adopted execution's offset from its environment; fails its attempts if it cannot. */
    private boolean resolveOffset(Tracker t, Execution ex) {
        for (Container c : ex.getTemplate().getContainersList()) {
            for (EnvVar e : c.getEnvList()) {
                if (e.getName().equals(ENV_OFFSET)) {
                    try {
                        t.offset = Integer.parseInt(e.getValue());
                        return true;
                    } catch (NumberFormatException ignored) {
                        // fall through
                    }
                }
            }
        }
        List<Dispatch> members = t.snapshot();
        if (ex.getTaskCount() == 1 && members.size() == 1) {
            t.offset = members.get(0).task().taskIndex();
            return true;
        }
        finish(t, null, "cannot adopt Cloud Run execution " + t.name + ": its environment has no " + ENV_OFFSET
                + ", so its tasks cannot be matched to orchestrator tasks");
        return false;
    }

    private void collect(Tracker t, Execution ex) throws InterruptedException {
        var byIndex = new HashMap<Integer, Task>();
        try {
            String token = "";
            do {
                var request = ListTasksRequest.newBuilder().setParent(t.name).setPageSize(LIST_PAGE_SIZE)
                        .setPageToken(token).build();
                ListTasksResponse page = call("ListTasks of " + t.name, () -> tasks.listTasksCallable().call(request),
                        () -> false);
                for (Task task : page.getTasksList()) {
                    byIndex.put(task.getIndex(), task);
                }
                token = page.getNextPageToken();
            } while (!token.isEmpty());
        } catch (CallFailed e) {
            finish(t, null, e.getMessage());
            return;
        }
        finish(t, byIndex, outcomeOfExecution(ex));
    }

    private static String outcomeOfExecution(Execution ex) {
        if (ex.getCancelledCount() > 0) {
            return "Cloud Run execution " + ex.getName() + " was cancelled before this task ended";
        }
        for (Condition c : ex.getConditionsList()) {
            if (c.getState() == Condition.State.CONDITION_FAILED && !c.getMessage().isBlank()) {
                return "Cloud Run execution " + ex.getName() + " reported no result for this task: " + c.getMessage();
            }
        }
        return "Cloud Run execution " + ex.getName() + " reported no result for this task";
    }

    /**
     * Ends a tracker: reports each attempt's outcome from {@code results} (by Cloud Run index), or
     * {@code error} for attempts without a result (all of them when {@code results} is null).
     */
    private void finish(Tracker t, Map<Integer, Task> results, String error) {
        trackers.remove(t.name, t);
        Map<Integer, Dispatch> members = t.finish();
        slots.release();
        int succeeded = 0;
        for (Dispatch d : members.values()) {
            launches.remove(AttemptKey.of(d.task()));
            Task task = results == null ? null : results.get(d.task().taskIndex() - t.offset);
            StatusUpdate update = task == null ? StatusUpdate.failed(null, error, null) : outcome(t.name, task, error);
            if (update.kind() == StatusUpdate.Kind.SUCCEEDED) {
                succeeded++;
            }
            d.sink().report(update);
        }
        LOG.debug("{} ended: {} of {} task(s) succeeded", t.name, succeeded, members.size());
    }

    private static StatusUpdate outcome(String execution, Task task, String noResult) {
        String where = "Cloud Run task " + task.getIndex() + " of " + execution;
        String retried = task.getRetried() > 0 ? " (after " + task.getRetried() + " retries)" : "";
        if (!task.hasLastAttemptResult()) {
            String msg = completedMessage(task);
            return StatusUpdate.failed(null, msg != null ? where + ": " + msg : noResult, null);
        }
        TaskAttemptResult r = task.getLastAttemptResult();
        boolean ok = r.getStatus().getCode() == 0 && r.getExitCode() == 0;
        if (ok) {
            return task.hasCompletionTime() ? StatusUpdate.succeeded(0, null)
                    : StatusUpdate.failed(null, where + " had not finished when its execution ended", null);
        }
        Integer exitCode = r.getExitCode() != 0 ? Integer.valueOf(r.getExitCode()) : null;
        String msg = r.getStatus().getMessage();
        if (msg.isBlank()) {
            msg = completedMessage(task);
        }
        if (msg == null || msg.isBlank()) {
            msg = exitCode != null ? "exited with code " + exitCode
                    : r.getTermSignal() != 0 ? "ended by signal " + r.getTermSignal()
                    : "failed with status " + io.grpc.Status.Code.values()[Math.min(r.getStatus().getCode(), 16)];
        }
        return StatusUpdate.failed(exitCode, where + " failed" + retried + ": " + msg, null);
    }

    private static String completedMessage(Task task) {
        for (Condition c : task.getConditionsList()) {
            if (c.getType().equals("Completed") && !c.getMessage().isBlank()) {
                return c.getMessage();
            }
        }
        return null;
    }

    // ------------------------------------------------------------------ cancel and adopt

    /** Cancels the execution an attempt runs in (all tasks of that execution end). Returns at once. */
    public void cancel(TaskContext task) {
        String name = task.executionName();
        Launch launch = launches.get(AttemptKey.of(task));
        if (launch != null) {
            launch.cancelled = true;
            if (name == null) {
                name = launch.executionName;
            }
        }
        if (name == null) {
            return; // not started yet: the launch sees the flag
        }
        String n = name;
        try {
            workers.execute(() -> {
                try {
                    requestCancel(n);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
        } catch (RejectedExecutionException e) {
            LOG.warn("cannot cancel {}: the cloudrun executor is closed", n);
        }
    }

    private void requestCancel(String name) throws InterruptedException {
        Tracker t = trackers.get(name);
        if (t != null) {
            if (!t.cancelRequested.compareAndSet(false, true)) {
                return;
            }
            t.delay = settings.pollInterval();
        }
        try {
            call("CancelExecution of " + name, () -> executions.cancelExecutionCallable()
                    .call(CancelExecutionRequest.newBuilder().setName(name).build()), () -> closed);
            LOG.debug("cancelled {}", name);
        } catch (CallFailed e) {
            if (e.getCause() instanceof ApiException ae
                    && ae.getStatusCode().getCode() == StatusCode.Code.FAILED_PRECONDITION) {
                LOG.debug("{} had already ended when it was cancelled", name);
            } else {
                LOG.warn("{}", e.getMessage());
                if (t != null) {
                    t.cancelRequested.set(false);
                }
            }
        }
    }

    /** Follows an existing execution for one attempt; attempts of one execution share one poll. */
    public void adopt(TaskContext task, StatusSink sink) {
        String name = task.executionName();
        if (name == null || !ExecutionName.isParsableFrom(name)) {
            sink.report(StatusUpdate.failed(null, "cannot adopt: executionName must be a Cloud Run execution name "
                    + "projects/P/locations/L/jobs/J/executions/E, got '" + name + "'", null));
            return;
        }
        if (closed) {
            sink.report(StatusUpdate.failed(null, "the cloudrun executor is closed", null));
            return;
        }
        var dispatch = new Dispatch(task, sink);
        while (true) {
            var created = new boolean[1];
            Tracker t = trackers.computeIfAbsent(name, n -> {
                created[0] = true;
                return new Tracker(n, -1);
            });
            if (t.add(dispatch)) {
                if (created[0]) {
                    slots.forceAcquire();
                    schedulePoll(t, settings.pollInterval());
                }
                return;
            }
            trackers.remove(name, t);
        }
    }

    // ------------------------------------------------------------------ calls

    private <T> T call(String what, Rpc<T> rpc, BooleanSupplier abandon) throws CallFailed, InterruptedException {
        long start = System.nanoTime();
        int attempt = 0;
        while (true) {
            try {
                return rpc.call();
            } catch (ApiException e) {
                if (!Errors.retryable(e)) {
                    throw new CallFailed(what + " failed: " + Errors.describe(e), e);
                }
                Duration delay = retryBackoff.delay(attempt++);
                if (Duration.ofNanos(System.nanoTime() - start).plus(delay).compareTo(settings.retryTimeout()) > 0) {
                    throw new CallFailed(what + " failed after " + attempt + " tries: " + Errors.describe(e), e);
                }
                if (abandon.getAsBoolean()) {
                    throw new CallFailed(what + " abandoned (cancelled) after: " + Errors.describe(e), e);
                }
                LOG.debug("{} failed, retry {} in {}: {}", what, attempt, delay, Errors.describe(e));
                TimeUnit.NANOSECONDS.sleep(delay.toNanos());
            }
        }
    }

    private void fail(List<Dispatch> group, String error) {
        for (Dispatch d : group) {
            d.sink().report(StatusUpdate.failed(null, error, null));
        }
    }

    private void forget(List<Dispatch> group) {
        for (Dispatch d : group) {
            launches.remove(AttemptKey.of(d.task()));
        }
    }

    /** Executions followed now. */
    public int followedExecutions() {
        return trackers.size();
    }

    /** Stops following and starting; executions keep running in Cloud Run. Closes the clients. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        timer.shutdownNow();
        workers.shutdownNow();
        try {
            if (!workers.awaitTermination(5, TimeUnit.SECONDS)) {
                LOG.warn("cloudrun executor threads did not stop within 5 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        int left = trackers.size();
        if (left > 0) {
            LOG.info("cloudrun executor closed; {} execution(s) keep running in Cloud Run and can be adopted", left);
        }
        for (AutoCloseable c : List.<AutoCloseable>of(jobs, executions, tasks)) {
            try {
                c.close();
            } catch (Exception e) {
                LOG.debug("closing a Cloud Run client failed", e);
            }
        }
        for (var c : List.of(jobs, executions, tasks)) {
            try {
                if (c instanceof com.google.api.gax.core.BackgroundResource r) {
                    r.awaitTermination(5, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
