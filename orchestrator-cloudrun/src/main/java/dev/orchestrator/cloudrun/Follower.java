package dev.orchestrator.cloudrun;

import com.google.api.gax.rpc.ApiException;
import com.google.api.gax.rpc.StatusCode;
import com.google.cloud.run.v2.Container;
import com.google.cloud.run.v2.EnvVar;
import com.google.cloud.run.v2.Execution;
import com.google.cloud.run.v2.Task;
import dev.orchestrator.spi.Dispatch;
import dev.orchestrator.spi.StatusUpdate;
import dev.orchestrator.spi.TaskEnvironment;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Follows executions until they end: polls each one on the timer, with a delay that grows while
 * nothing changes, reports heartbeats, and reads the tasks' results once the execution ends.
 * Thread-safe; one poll per execution at a time.
 */
final class Follower {

    private static final Logger LOG = LoggerFactory.getLogger(Follower.class);
    /** Polls after the completion time appeared before the counts are trusted as they are. */
    private static final int COMPLETED_POLLS_BEFORE_GIVING_UP_ON_COUNTS = 3;

    private final Settings settings;
    private final Clients clients;
    private final Calls calls;
    private final Threads threads;
    private final ExecutionSlots slots;
    private final Attempts attempts;
    private final Consumer<String> cancelExecution;
    private final TaskLister lister;
    private final TaskProgress progress;
    /** Executions being followed, by name. */
    private final ConcurrentHashMap<String, Tracker> trackers = new ConcurrentHashMap<>();

    Follower(Settings settings, Clients clients, Calls calls, Threads threads, ExecutionSlots slots,
             Attempts attempts, Consumer<String> cancelExecution) {
        this.cancelExecution = cancelExecution;
        this.lister = new TaskLister(clients, calls);
        this.progress = new TaskProgress(lister, attempts, threads::closed);
        this.settings = settings;
        this.clients = clients;
        this.calls = calls;
        this.threads = threads;
        this.slots = slots;
        this.attempts = attempts;
    }

    /** A tracker for an execution, not followed yet. */
    Tracker tracker(String name, int offset) {
        return new Tracker(name, offset, settings.pollInterval());
    }

    /** Registers {@code t}, which holds a slot, so that a cancel finds it; {@link #follow} starts polling. */
    void register(Tracker t) {
        trackers.put(t.name, t);
    }

    /** Starts polling a registered tracker. */
    void follow(Tracker t) {
        schedulePoll(t, floor());
    }

    /**
     * Adds an attempt to the tracker of {@code name}, creating and following one (taking a slot
     * even if none is free) when there is none. {@code offset} is the orchestrator index of Cloud
     * Run task 0 as stored with the attempt, or -1 if unknown (then it is read from the execution).
     */
    void join(String name, Dispatch dispatch, int offset) {
        while (true) {
            var created = new boolean[1];
            Tracker t = trackers.computeIfAbsent(name, n -> {
                created[0] = true;
                Tracker adopted = tracker(n, offset);
                adopted.adopted = true;
                return adopted;
            });
            if (t.offset < 0 && offset >= 0) {
                t.offset = offset;
            }
            if (t.add(dispatch)) {
                if (created[0]) {
                    slots.forceAcquire();
                    schedulePoll(t, floor());
                }
                return;
            }
            trackers.remove(name, t);
        }
    }

    /** The tracker of a followed execution, or null. */
    Tracker followed(String name) {
        return trackers.get(name);
    }

    /** Executions followed now. */
    int size() {
        return trackers.size();
    }

    /** Polls {@code t} again soon (after a cancel). */
    void hurry(Tracker t) {
        t.delay = floor();
    }

    private void schedulePoll(Tracker t, Duration delay) {
        threads.schedule(() -> poll(t), delay);
    }

    private void poll(Tracker t) {
        if (threads.closed()) {
            return;
        }
        Execution ex;
        try {
            ex = clients.getExecution(t.name);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        } catch (ApiException e) {
            readFailed(t, e);
            return;
        } catch (RuntimeException e) {
            LOG.warn("polling {} failed, will retry", t.name, e);
            t.delay = next(t.delay);
            schedulePoll(t, t.delay);
            return;
        }
        t.failingSince = 0;
        t.seen = true;
        try {
            if (t.offset < 0 && !resolveOffset(t, ex)) {
                return;
            }
            progress.report(t, ex);
            if (ex.getTaskCount() > 0 && ex.getSucceededCount() >= ex.getTaskCount()) {
                // Every task succeeded: no need to list them.
                finish(t, d -> StatusUpdate.succeeded(0, null));
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
            if (!ex.hasCompletionTime() && !t.cancelRequested.get()) {
                cancelIfOnlyDetachedRun(t, ended, ex.getTaskCount() - ended);
            }
            long progress = ((long) ended << 32) | ex.getRunningCount();
            if (progress != t.progress) {
                t.progress = progress;
                t.delay = floor();
            } else {
                t.delay = next(t.delay);
            }
            heartbeat(t);
            schedulePoll(t, t.cancelRequested.get() || ex.hasCompletionTime() ? floor() : t.delay);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            LOG.warn("following {} failed, will retry", t.name, e);
            schedulePoll(t, next(t.delay));
        }
    }

    /**
     * A poll failed: NOT_FOUND of an execution seen before (or adopted) means it was deleted; a
     * retryable error polls again later, until the retry timeout; anything else gives up.
     */
    private void readFailed(Tracker t, ApiException e) {
        boolean notFound = e.getStatusCode().getCode() == StatusCode.Code.NOT_FOUND;
        if (notFound && (t.seen || t.adopted)) {
            finish(t, d -> StatusUpdate.lost(lost(t.name)));
            return;
        }
        long now = System.nanoTime();
        if (t.failingSince == 0) {
            t.failingSince = now;
        }
        boolean retry = notFound || Errors.readRetryable(e);
        if (retry && now - t.failingSince < calls.retryTimeout().toNanos()) {
            LOG.debug("polling {} failed, will retry: {}", t.name, Errors.describe(e));
            t.delay = next(t.delay);
            schedulePoll(t, t.delay);
            return;
        }
        giveUp(t, "could not follow Cloud Run execution " + t.name + ": " + Errors.describe(e));
    }

    /** The error of an attempt whose execution no longer exists. */
    static String lost(String execution) {
        return "lost: Cloud Run execution " + execution + " no longer exists (NOT_FOUND); Cloud Run keeps only the "
                + "latest 1,000 completed executions of a job and those of the last 7 days, so the outcome of this "
                + "attempt is unknown";
    }

    /**
     * Stops following a running execution: cancels it, so nothing runs that nobody follows, and
     * reports its attempts lost (their outcome is unknown; the core runs them again within the
     * step's lost budget).
     */
    private void giveUp(Tracker t, String error) {
        String why;
        try {
            clients.cancelExecution(t.name);
            why = error + "; the execution was cancelled";
        } catch (ApiException e) {
            why = error + "; cancelling the execution failed too: " + Errors.describe(e);
        } catch (RuntimeException e) {
            why = error + "; cancelling the execution failed too: " + e;
        }
        String message = "lost: " + why;
        LOG.warn("{}", message);
        finish(t, d -> StatusUpdate.lost(message));
    }

    private Duration next(Duration d) {
        long floor = floor().toNanos();
        long cap = Math.max(floor, settings.maxPollInterval().toNanos());
        long nanos = (long) Math.min((double) cap, d.toNanos() * settings.pollBackoff());
        return Duration.ofNanos(Math.max(nanos, floor));
    }

    /**
     * The shortest delay between two polls of one execution: the poll interval, stretched so
     * that polling every followed execution once stays within the read limiter's rate.
     */
    Duration floor() {
        RateLimiter reads = clients.readLimiter();
        long stretched = reads.window().toNanos() / reads.permits() * Math.max(1, trackers.size());
        return Duration.ofNanos(Math.max(settings.pollInterval().toNanos(), stretched));
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
                if (e.getName().equals(TaskEnvironment.TASK_INDEX_OFFSET)) {
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
        String error = "cannot adopt Cloud Run execution " + t.name + ": its environment has no "
                + TaskEnvironment.TASK_INDEX_OFFSET + ", so its tasks cannot be matched to orchestrator tasks";
        finish(t, d -> StatusUpdate.failed(null, error, null));
        return false;
    }

    private void collect(Tracker t, Execution ex) throws InterruptedException {
        Map<Integer, Task> byIndex;
        try {
            byIndex = lister.all(t.name, threads::closed);
        } catch (CallFailed e) {
            finish(t, d -> StatusUpdate.failed(null, e.getMessage(), null));
            return;
        }
        if (t.completedPolls < COMPLETED_POLLS_BEFORE_GIVING_UP_ON_COUNTS && anyUnfinished(t, byIndex)) {
            // Task states lag the execution's counts: read them again after the next poll.
            schedulePoll(t, floor());
            return;
        }
        String noResult = TaskOutcomes.noResult(ex);
        finish(t, d -> {
            Task task = byIndex.get(d.task().taskIndex() - t.offset);
            return task == null ? StatusUpdate.failed(null, noResult, null) : TaskOutcomes.of(t.name, task, noResult);
        });
    }

    /**
     * Cancels the execution once every task that has not ended belongs to a detached attempt:
     * the counts say when that may be so, one listing says whether it is.
     */
    private void cancelIfOnlyDetachedRun(Tracker t, int ended, int unfinished) throws InterruptedException {
        Set<Integer> detached = t.detached();
        if (detached.isEmpty() || unfinished <= 0 || unfinished > detached.size()) {
            return;
        }
        // List again only when a task ended or an attempt was detached since the last listing.
        long state = ((long) ended << 32) | detached.size();
        if (state == t.lastDetachCheck) {
            return;
        }
        t.lastDetachCheck = state;
        try {
            for (Task task : lister.all(t.name, threads::closed).values()) {
                if (!task.hasCompletionTime() && !detached.contains(task.getIndex())) {
                    return;
                }
            }
        } catch (CallFailed e) {
            LOG.debug("{}", e.getMessage());
            return;
        }
        LOG.debug("only detached tasks still run in {}: cancelling it", t.name);
        cancelExecution.accept(t.name);
    }

    private static boolean anyUnfinished(Tracker t, Map<Integer, Task> byIndex) {
        for (Dispatch d : t.snapshot()) {
            Task task = byIndex.get(d.task().taskIndex() - t.offset);
            if (task != null && !task.hasCompletionTime()) {
                return true;
            }
        }
        return false;
    }

    /** Ends a tracker: gives its slot back and reports each attempt's {@code outcome}. */
    void finish(Tracker t, Function<Dispatch, StatusUpdate> outcome) {
        trackers.remove(t.name, t);
        Map<Integer, Dispatch> members = t.finish();
        slots.release();
        int succeeded = 0;
        for (Dispatch d : members.values()) {
            attempts.forget(d.task());
            StatusUpdate update = outcome.apply(d);
            if (update.kind() == StatusUpdate.Kind.SUCCEEDED) {
                succeeded++;
            }
            d.sink().report(update);
        }
        LOG.debug("{} ended: {} of {} task(s) succeeded", t.name, succeeded, members.size());
    }
}
