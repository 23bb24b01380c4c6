package dev.orchestrator.internal;

import dev.orchestrator.AttemptOutcome;
import dev.orchestrator.spi.ClaimedTask;
import dev.orchestrator.spi.StatusUpdate;
import dev.orchestrator.spi.TaskContext;

import java.time.Instant;
import java.util.List;

/**
 * What this node does with the attempts of dead nodes it took over: follows (adopts) those
 * whose executor can, and records the others as lost so they run again. Loop thread only.
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
                // The outcome of an attempt on a dead node is unknown: record it as lost and run it again.
                t.start(now, false);
                reports.end(t, AttemptOutcome.LOST, null, "lost: the node running it stopped heartbeating", null, now);
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
