package dev.orchestrator.internal;

import dev.orchestrator.AttemptOutcome;
import dev.orchestrator.spi.ClaimedTask;
import dev.orchestrator.spi.Store;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The loop's periodic work: the node's heartbeat with the take-over of dead nodes' tasks, and
 * the timeouts and heartbeat timeouts of owned attempts. Loop thread only.
 */
final class Timers {

    private static final Logger log = LoggerFactory.getLogger(Timers.class);
    /** How long an executor may take to stop a timed-out attempt before the loop ends it itself. */
    static final Duration CANCEL_GRACE = Duration.ofSeconds(30);
    private static final Duration LIMIT_CHECK_INTERVAL = Duration.ofMillis(500);

    private final OrchestratorConfig config;
    private final Store store;
    private final Ledger ledger;
    private final Dispatcher dispatcher;
    private final Reports reports;
    private final TakeOver takeOver;
    private Instant nextHeartbeat = Instant.MIN;
    private Instant nextLimitCheck = Instant.MIN;

    Timers(OrchestratorConfig config, Store store, Ledger ledger, Dispatcher dispatcher, Reports reports, TakeOver takeOver) {
        this.config = config;
        this.store = store;
        this.ledger = ledger;
        this.dispatcher = dispatcher;
        this.reports = reports;
        this.takeOver = takeOver;
    }

    /** Runs what is due at {@code now}; a stopping node heartbeats but takes nothing over. */
    void run(Instant now, boolean stopping) {
        if (!now.isBefore(nextHeartbeat)) {
            nextHeartbeat = now.plus(config.heartbeatInterval());
            heartbeat(now, stopping);
        }
        if (ledger.hasLimited() && !now.isBefore(nextLimitCheck)) {
            nextLimitCheck = now.plus(LIMIT_CHECK_INTERVAL);
            enforceLimits(now);
        }
    }

    /** The next instant something is due. */
    Instant nextWake() {
        return ledger.hasLimited() && nextLimitCheck.isBefore(nextHeartbeat) ? nextLimitCheck : nextHeartbeat;
    }

    private void heartbeat(Instant now, boolean stopping) {
        try {
            store.heartbeat(config.nodeId(), now);
            if (!stopping) {
                List<ClaimedTask> orphans = store.takeOverDeadNodes(config.nodeId(), now.minus(config.nodeLease()), now);
                if (!orphans.isEmpty()) {
                    log.info("took over {} tasks of dead nodes", orphans.size());
                    takeOver.handle(orphans, now);
                }
            }
        } catch (RuntimeException e) {
            log.warn("heartbeat or take-over failed; retrying in {}: {}", config.heartbeatInterval(), e.toString());
        }
    }

    /**
     * Asks the executor to stop each started attempt past its timeout or heartbeat timeout, and
     * ends it as timed out itself when the executor has not within {@link #CANCEL_GRACE}.
     */
    private void enforceLimits(Instant now) {
        List<InFlight> forced = new ArrayList<>();
        for (InFlight t : ledger.all()) {
            if (t.context == null) {
                continue; // not started yet
            }
            if (t.cancelledAt != null) {
                if (now.isAfter(t.cancelledAt.plus(CANCEL_GRACE))) {
                    forced.add(t);
                }
                continue;
            }
            String reason = null;
            if (t.context.deadline() != null && now.isAfter(t.context.deadline())) {
                reason = "timed out after " + t.step.timeout();
            } else if (t.step.heartbeatTimeout() != null && now.isAfter(t.lastHeartbeat.plus(t.step.heartbeatTimeout()))) {
                reason = "no heartbeat for " + t.step.heartbeatTimeout();
            }
            if (reason != null) {
                t.cancelledAt = now;
                t.cancelReason = reason;
                dispatcher.execute(() -> cancelQuietly(t));
            }
        }
        for (InFlight t : forced) {
            reports.end(t, AttemptOutcome.TIMED_OUT, null, t.cancelReason + "; the executor did not stop it within "
                    + CANCEL_GRACE, null, now);
        }
    }

    private static void cancelQuietly(InFlight t) {
        try {
            t.executor.cancel(t.context);
        } catch (RuntimeException e) {
            log.warn("cancel of run={} step={} index={} attempt={} failed: {}", t.context.runId(), t.context.step(),
                    t.context.taskIndex(), t.context.attempt(), e.toString());
        }
    }
}
