package dev.orchestrator.internal;

import dev.orchestrator.AttemptOutcome;
import dev.orchestrator.TaskStatus;
import dev.orchestrator.spi.ClaimedTask;
import dev.orchestrator.spi.StatusUpdate;
import dev.orchestrator.spi.TaskContext;

import java.time.Instant;
import java.util.List;

/**
 * What this node does with attempts it finds itself owning without knowing them (a dead node's,
 * taken over; or its own, whose claim it never heard back from): releases those that never
 * started, follows (adopts) those whose executor can, and records the others as lost so they
 * run again, within the step's budget of lost attempts. Loop thread only.
 */
final class TakeOver {

    private final Ledger ledger;
    private final Dispatcher dispatcher;
    private final Reports reports;
    private final ClaimPacer pacer;

    TakeOver(Ledger ledger, Dispatcher dispatcher, Reports reports, ClaimPacer pacer) {
        this.ledger = ledger;
        this.dispatcher = dispatcher;
        this.reports = reports;
        this.pacer = pacer;
    }

    void handle(List<ClaimedTask> orphans, Instant now) {
        for (ClaimedTask c : orphans) {
            if (c.status() == TaskStatus.DISPATCHED && !mayHaveStarted(c)) {
                reports.release(c); // claimed, never started: it runs again without using an attempt
                continue;
            }
            InFlight t;
            try {
                t = ledger.own(c, now);
            } catch (RuntimeException e) {
                if (!StoreErrors.isTransient(e) && c.status() == TaskStatus.RUNNING && lostWithout(c, now)) {
                    continue; // this node lacks the task's executor; the attempt is lost all the same
                }
                reports.cannotRun(c, e);
                continue;
            }
            if (c.status() == TaskStatus.DISPATCHED || c.executionName() != null && t.executor.canAdopt()) {
                adopt(t, c, now);
            } else {
                // The outcome of an attempt on a dead node is unknown: record it as lost and run it
                // again, unless its node died too often: a task that kills its node must not walk the cluster.
                t.start(now, false);
                int lost = c.lostAttempts() + 1;
                boolean again = lost <= t.step.maxLostAttempts();
                reports.end(t, AttemptOutcome.LOST, null, lostError(lost, t.step.maxLostAttempts()), null, now, again);
                pacer.request();
            }
        }
    }

    /**
     * A dead node's running attempt whose executor type this node lacks (a mixed fleet): it can
     * neither follow nor re-run it, but the attempt is lost all the same. Records it as lost,
     * within the step's budget, so that a node with the type runs it again. Returns false if
     * even the step cannot be read.
     */
    private boolean lostWithout(ClaimedTask c, Instant now) {
        int max;
        try {
            max = ledger.step(c).maxLostAttempts();
        } catch (RuntimeException e) {
            return false;
        }
        int lost = c.lostAttempts() + 1;
        reports.lost(c, lost <= max, lostError(lost, max), now);
        pacer.request();
        return true;
    }

    /**
     * Whether a dispatched attempt may have started an execution whose name was never recorded:
     * only its executor can tell ({@link dev.orchestrator.spi.Executor#adoptsUnnamed()}).
     */
    private boolean mayHaveStarted(ClaimedTask c) {
        try {
            return ledger.executor(c).adoptsUnnamed();
        } catch (RuntimeException e) {
            return false; // no spec or no executor here: release it for a node that has one
        }
    }

    private static String lostError(int lost, int max) {
        return lost <= max ? "lost: the node running it stopped heartbeating"
                : "lost: the node running it stopped heartbeating, " + lost + " times; more than the step's "
                + "maxLostAttempts (" + max + "), so the task fails: the node died every time it ran";
    }

    private void adopt(InFlight t, ClaimedTask c, Instant now) {
        // Its timeout still counts from its claim (or from the start its executor reports); an
        // adopted execution takes a slot too. A dispatched one is looked for, else released.
        dispatcher.holdSlot();
        TaskContext ctx = t.start(c.startedAt() != null ? c.startedAt() : now, true);
        t.lastHeartbeat = now; // its silence counts from the take-over: the dead node's heartbeats are not known
        dispatcher.execute(() -> {
            try {
                t.executor.adopt(ctx, t);
            } catch (RuntimeException ex) {
                t.report(ctx.executionName() == null ? StatusUpdate.released()
                        : StatusUpdate.failed(null, "could not adopt execution " + ctx.executionName() + ": " + ex, null));
            }
        });
    }
}
