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
            if (c.status() == TaskStatus.DISPATCHED) {
                reports.release(c); // claimed, never started: it runs again without using an attempt
                continue;
            }
            InFlight t;
            try {
                t = ledger.own(c, now);
            } catch (RuntimeException e) {
                reports.cannotRun(c, e);
                continue;
            }
            if (c.executionName() != null && t.executor.canAdopt()) {
                adopt(t, c, now);
            } else {
                // The outcome of an attempt on a dead node is unknown: record it as lost and run it
                // again, unless its node died too often: a task that kills its node must not walk the cluster.
                t.start(now, false);
                int lost = c.lostAttempts() + 1;
                boolean again = lost <= t.step.maxLostAttempts();
                reports.end(t, AttemptOutcome.LOST, null, again ? "lost: the node running it stopped heartbeating"
                        : "lost: the node running it stopped heartbeating, " + lost + " times; more than the step's "
                        + "maxLostAttempts (" + t.step.maxLostAttempts() + "), so the task fails: the node died every "
                        + "time it ran", null, now, again);
                pacer.request();
            }
        }
    }

    private void adopt(InFlight t, ClaimedTask c, Instant now) {
        // Its timeout still counts from its claim; an adopted execution takes a slot too.
        dispatcher.holdSlot();
        TaskContext ctx = t.start(c.startedAt() != null ? c.startedAt() : now, true);
        dispatcher.execute(() -> {
            try {
                t.executor.adopt(ctx, t);
            } catch (RuntimeException ex) {
                t.report(StatusUpdate.failed(null, "could not adopt execution " + ctx.executionName() + ": " + ex, null));
            }
        });
    }
}
