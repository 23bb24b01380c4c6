package dev.orchestrator.jdbc.internal;

import dev.orchestrator.spi.CancelOutcome;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import static dev.orchestrator.jdbc.internal.Args.requireText;

/**
 * The store's run-control calls: cancelling runs and tasks, retrying a run, pruning ended runs and
 * pausing workflows. Runs {@link RunControl}'s statements and sends the wake-ups and limit news
 * they cause. Apart from {@link JdbcEngine} to keep it small.
 */
final class ControlStore {

    /** The host's calls. */
    private final Database db;
    /** The scheduler's calls. */
    private final Database sched;
    private final RunControl control;
    private final ClaimQueries claims;
    private final WakeNotifier notifier;

    ControlStore(Database db, Database sched, RunControl control, ClaimQueries claims, WakeNotifier notifier) {
        this.db = db;
        this.sched = sched;
        this.control = control;
        this.claims = claims;
        this.notifier = notifier;
    }

    CancelOutcome cancelRun(long runId, Instant now) {
        long at = Millis.required(now, "now");
        CancelOutcome outcome = db.write("cancelRun", (ctx, c) -> {
            CancelOutcome o = control.cancelRun(ctx, c, runId, at);
            notifier.cancelled(c); // owners of its running tasks look for the cancel at once
            notifier.flush(ctx, c);
            return o;
        });
        claims.limits().capacityFreed(); // a cancelled run no longer counts against maxConcurrentRuns
        return outcome;
    }

    CancelOutcome cancelTask(long taskId, Instant now) {
        long at = Millis.required(now, "now");
        return db.write("cancelTask", (ctx, c) -> {
            CancelOutcome o = control.cancelTask(ctx, c, taskId, at);
            notifier.cancelled(c);
            notifier.flush(ctx, c);
            return o;
        });
    }

    Map<Long, Integer> cancelRequested(String nodeId) {
        requireText(nodeId, "nodeId");
        return sched.read("cancelRequested", (ctx, c) -> control.cancelRequested(ctx, nodeId));
    }

    int retryRun(long runId, Instant now) {
        long at = Millis.required(now, "now");
        int again = db.write("retryRun", (ctx, c) -> {
            int n = control.retryRun(ctx, runId, at);
            if (n > 0) {
                WakeNotifier.readyNow(ctx);
                notifier.flush(ctx, c);
            }
            return n;
        });
        if (again > 0) {
            claims.limits().readyNow();
        }
        return again;
    }

    List<Long> pruneRuns(Instant finishedBefore, int limit) {
        long before = Millis.required(finishedBefore, "finishedBefore");
        if (limit < 1 || limit > 10_000) {
            throw new IllegalArgumentException("limit must be between 1 and 10000, got " + limit);
        }
        return db.write("pruneRuns", (ctx, c) -> control.prune(ctx, before, limit));
    }

    boolean setWorkflowPaused(String name, boolean paused, Instant now) {
        requireText(name, "name");
        long at = Millis.required(now, "now");
        return db.write("setWorkflowPaused", (ctx, c) -> control.setPaused(ctx, name, paused, at));
    }

    boolean isWorkflowPaused(String name) {
        requireText(name, "name");
        return db.read("isWorkflowPaused", (ctx, c) -> control.isPaused(ctx, name));
    }
}
