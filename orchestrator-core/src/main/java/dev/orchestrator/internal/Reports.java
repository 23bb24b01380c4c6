package dev.orchestrator.internal;

import dev.orchestrator.AttemptOutcome;
import dev.orchestrator.spi.ClaimedTask;
import dev.orchestrator.spi.StatusUpdate;
import dev.orchestrator.spi.TaskUpdate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.function.DoubleSupplier;
import java.util.function.Supplier;

/**
 * Turns what executors reported into store updates, decides what an ended attempt means for
 * its task (done, or retried at a time its step's {@link dev.orchestrator.RetryPolicy} gives),
 * and holds the updates until the loop writes them. Loop thread only.
 */
final class Reports {

    private static final Logger log = LoggerFactory.getLogger(Reports.class);

    private final Ledger ledger;
    private final Dispatcher dispatcher;
    private final ClaimPacer pacer;
    private final SafeListener listener;
    /** Jitter for retry backoff, in [0, 1). */
    private final DoubleSupplier jitter;
    private final List<TaskUpdate> unwritten = new ArrayList<>();
    /**
     * Attempts with a heartbeat among the unwritten updates: a heartbeat says only "alive at the
     * write", so while writes fail (the database is away) one per attempt is kept, not one per
     * report. With the inbox's merging, this keeps the buffer bounded by the attempts in flight.
     */
    private final Set<AttemptKey> heartbeatPending = new HashSet<>();

    private record AttemptKey(long taskId, int attempt) {
    }
    /** This node's current id: releases name it, so they apply only to tasks it still owns. */
    private final Supplier<String> nodeId;

    Reports(Ledger ledger, Dispatcher dispatcher, ClaimPacer pacer, SafeListener listener, DoubleSupplier jitter,
            Supplier<String> nodeId) {
        this.nodeId = nodeId;
        this.ledger = ledger;
        this.dispatcher = dispatcher;
        this.pacer = pacer;
        this.listener = listener;
        this.jitter = jitter;
    }

    /** One report of an executor becomes an update to write (or nothing, after the attempt ended). */
    void convert(InFlight t, StatusUpdate u, Instant now) {
        if (t.closed) {
            return;
        }
        ClaimedTask c = t.claim;
        if (!t.lagReported) {
            t.lagReported = true;
            if (c.readyAt() != null && t.startedAt != null) {
                listener.dispatched(t.executor.type(), Duration.between(c.readyAt(), t.startedAt));
            }
        }
        switch (u.kind()) {
            case RUNNING -> unwritten.add(TaskUpdate.running(c.taskId(), c.attempt(), u.executionName(), u.outputRef(),
                    u.executorState()));
            case HEARTBEAT -> {
                t.heartbeatQueued.set(false);
                t.lastHeartbeat = now;
                if (heartbeatPending.add(new AttemptKey(c.taskId(), c.attempt()))) {
                    unwritten.add(TaskUpdate.heartbeat(c.taskId(), c.attempt()));
                }
            }
            case STARTED -> {
                if (t.cancelledAt == null) {
                    // A queued task's clocks start when it does, not at dispatch.
                    Instant at = u.startedAt() == null || u.startedAt().isAfter(now) ? now : u.startedAt();
                    t.reallyStarted(at, now);
                }
            }
            case LOST -> {
                if (t.cancelledAt != null) {
                    convert(t, StatusUpdate.failed(null, u.error(), u.outputTail()), now); // stopped on purpose
                } else {
                    lost(t, u.error(), u.outputTail(), now);
                }
            }
            case RELEASED -> {
                if (t.userCancelled) {
                    end(t, AttemptOutcome.CANCELLED, null, "cancelled before it started", null, now);
                } else {
                    release(t);
                    pacer.request();
                }
            }
            case SUCCEEDED -> end(t, AttemptOutcome.SUCCEEDED, u.exitCode(), null, u.outputTail(), now);
            case FAILED -> end(t, t.userCancelled ? AttemptOutcome.CANCELLED
                            : t.cancelledAt != null ? AttemptOutcome.TIMED_OUT : AttemptOutcome.FAILED,
                    u.exitCode(), t.cancelledAt != null ? t.cancelReason + (u.error() != null ? "; " + u.error() : "")
                            : u.error(), u.outputTail(), now);
        }
    }

    /**
     * Records an attempt's end: frees its slot, forgets it, and queues the update. A lost
     * attempt runs again at once (its outcome is unknown, not a failure); a failed one runs again
     * while its retry policy allows.
     */
    void end(InFlight t, AttemptOutcome outcome, Integer exitCode, String error, String tail, Instant now) {
        end(t, outcome, exitCode, error, tail, now, true);
    }

    /** As {@link #end(InFlight, AttemptOutcome, Integer, String, String, Instant)}; a lost attempt runs again only if {@code lostRunsAgain}. */
    void end(InFlight t, AttemptOutcome outcome, Integer exitCode, String error, String tail, Instant now,
             boolean lostRunsAgain) {
        forget(t);
        ClaimedTask c = t.claim;
        Instant retryAt = null;
        if (outcome == AttemptOutcome.LOST) {
            retryAt = lostRunsAgain ? now : null;
        } else if (outcome != AttemptOutcome.SUCCEEDED && outcome != AttemptOutcome.CANCELLED) {
            retryAt = t.step.retry().retryAt(c.attempt(), now, jitter.getAsDouble());
            if (retryAt != null) {
                pacer.retryAt(retryAt);
            }
        }
        if (outcome != AttemptOutcome.SUCCEEDED) {
            log.debug("task run={} step={} index={} attempt={} ended {}: {}{}", c.runId(), t.step.name(), c.taskIndex(),
                    c.attempt(), outcome, error, retryAt != null ? "; retry at " + retryAt : "");
        }
        unwritten.add(TaskUpdate.ended(c.taskId(), c.attempt(), outcome, exitCode, error, tail, retryAt));
        Duration ran = Duration.between(t.startedAt != null ? t.startedAt : now, now);
        if (t.startedAt != null) {
            pacer.attemptEnded(ran);
        }
        listener.ended(t.executor.type(), outcome, ran);
    }

    /**
     * An executor reported the attempt lost: it runs again at once while the step's budget of
     * lost attempts allows, else the task fails saying why. Earlier lost attempts are those the
     * store counted at take-over; after a plain claim (which does not count them) at least those
     * its attempt number implies, since all earlier attempts but the retry policy's failures were
     * lost: so an executor that keeps reporting LOST cannot run a task forever.
     */
    private void lost(InFlight t, String error, String tail, Instant now) {
        int earlier = Math.max(t.claim.lostAttempts(), t.claim.attempt() - t.step.retry().maxAttempts());
        int lost = earlier + 1;
        int max = t.step.maxLostAttempts();
        boolean again = lost <= max;
        String why = (error == null ? "lost" : error) + (again ? "" : "; lost " + lost + " times, more than the step's "
                + "maxLostAttempts (" + max + "), so the task fails");
        end(t, AttemptOutcome.LOST, null, why, tail, now, again);
        if (again) {
            pacer.request();
        }
    }

    /**
     * A claimed task that cannot run on this node: a store error (reading its spec) hands it back
     * for a later claim; anything else (its executor cannot be created here) fails it with the reason.
     */
    void cannotRun(ClaimedTask c, RuntimeException e) {
        if (StoreErrors.isTransient(e)) {
            log.warn("task {} handed back: could not prepare it: {}", c.taskId(), e.toString());
            release(c);
            return;
        }
        unwritten.add(TaskUpdate.ended(c.taskId(), c.attempt(), AttemptOutcome.FAILED, null,
                "could not dispatch: " + e.getMessage(), null, null));
    }

    /**
     * Records as lost an attempt this node took over but cannot follow (it lacks the executor):
     * it runs again at once on a node that has the type if {@code again}, else the task fails.
     */
    void lost(ClaimedTask c, boolean again, String error, Instant now) {
        unwritten.add(TaskUpdate.ended(c.taskId(), c.attempt(), AttemptOutcome.LOST, null, error, null,
                again ? now : null));
    }

    /** Hands a claimed attempt back unused (see {@link TaskUpdate.Kind#RELEASED}). */
    void release(ClaimedTask c) {
        unwritten.add(TaskUpdate.released(c.taskId(), c.attempt(), nodeId.get()));
    }

    /** Hands an owned attempt back unused, and forgets it; later reports of it are dropped. */
    void release(InFlight t) {
        forget(t);
        release(t.claim);
    }

    private void forget(InFlight t) {
        t.closed = true;
        dispatcher.release(t);
        ledger.remove(t);
    }

    /** The tasks that have updates not yet written. */
    Set<Long> unwrittenTaskIds() {
        Set<Long> ids = new java.util.HashSet<>();
        for (TaskUpdate u : unwritten) {
            ids.add(u.taskId());
        }
        return ids;
    }

    /** A copy of the updates not yet written. */
    List<TaskUpdate> unwritten() {
        return List.copyOf(unwritten);
    }

    /** These updates (taken from {@link #unwritten()}) were written: forgets them. */
    void written(List<TaskUpdate> done) {
        if (done.size() == unwritten.size()) {
            unwritten.clear();
            heartbeatPending.clear();
            return;
        }
        for (TaskUpdate u : done) {
            if (u.kind() == TaskUpdate.Kind.HEARTBEAT) {
                heartbeatPending.remove(new AttemptKey(u.taskId(), u.attempt()));
            }
        }
        Set<TaskUpdate> gone = Collections.newSetFromMap(new IdentityHashMap<>());
        gone.addAll(done);
        unwritten.removeIf(gone::contains);
    }

    boolean isEmpty() {
        return unwritten.isEmpty();
    }
}
