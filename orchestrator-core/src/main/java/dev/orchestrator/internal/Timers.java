package dev.orchestrator.internal;

import dev.orchestrator.AttemptOutcome;
import dev.orchestrator.spi.ClaimedTask;
import dev.orchestrator.spi.Executor;
import dev.orchestrator.spi.Store;
import dev.orchestrator.spi.TaskContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * The loop's periodic work: fencing once the lease lapsed, the take-over of dead nodes' tasks
 * and ownership reconciliation, and the timeouts and heartbeat timeouts of owned attempts. The
 * heartbeats themselves are the {@link LeaseKeeper}'s. Loop thread only.
 */
final class Timers {

    private static final Logger log = LoggerFactory.getLogger(Timers.class);
    /** How long past the cancel grace an executor may take to report a stopped attempt before the loop ends it itself. */
    static final Duration CANCEL_GRACE = Duration.ofSeconds(30);
    private static final Duration LIMIT_CHECK_INTERVAL = Duration.ofMillis(500);
    /** How often a node that runs tasks looks for cancels issued on other nodes. */
    private static final Duration CANCEL_CHECK_INTERVAL = Duration.ofMillis(500);

    private final OrchestratorConfig config;
    private final Store store;
    private final Ledger ledger;
    private final Dispatcher dispatcher;
    private final Reports reports;
    private final TakeOver takeOver;
    private final NodeLease lease;
    private final LeaseKeeper keeper;
    /** When to take over dead nodes' tasks (and maybe reconcile) next. */
    private Instant nextOwnershipCheck = Instant.MIN;
    private Instant nextLimitCheck = Instant.MIN;
    private Instant nextCancelCheck = Instant.MIN;
    /** Set by any thread when a cancel was issued through this node: check at once. */
    private volatile boolean cancelCheckRequested;
    /** When to compare what the store says this node owns with what it runs. */
    private Instant nextReconcile = Instant.MIN;
    /** Fences the node: its lease lapsed, or others declared it dead. */
    private final Runnable takenOver;

    Timers(OrchestratorConfig config, Store store, Ledger ledger, Dispatcher dispatcher, Reports reports, TakeOver takeOver,
           NodeLease lease, LeaseKeeper keeper, Runnable takenOver) {
        this.takenOver = takenOver;
        this.config = config;
        this.store = store;
        this.ledger = ledger;
        this.dispatcher = dispatcher;
        this.reports = reports;
        this.takeOver = takeOver;
        this.lease = lease;
        this.keeper = keeper;
    }

    /** Runs what is due at {@code now}; a stopping node heartbeats but takes nothing over. */
    void run(Instant now, boolean stopping) {
        if (!keeper.threaded()) {
            keeper.runIfDue(now);
        }
        if (lease.lapsed()) {
            // Other nodes may have taken this node's tasks over already (or did: the lease was revoked).
            takenOver.run();
        }
        if (!now.isBefore(nextOwnershipCheck)) {
            nextOwnershipCheck = now.plus(config.heartbeatInterval());
            ownership(now, stopping);
        }
        if (ledger.hasLimited() && !now.isBefore(nextLimitCheck)) {
            nextLimitCheck = now.plus(LIMIT_CHECK_INTERVAL);
            enforceLimits(now);
        }
        if (!ledger.isEmpty() && (cancelCheckRequested || !now.isBefore(nextCancelCheck))) {
            cancelCheckRequested = false;
            nextCancelCheck = now.plus(CANCEL_CHECK_INTERVAL);
            stopCancelled(now);
        }
    }

    /** Any thread: a cancel was issued; look for cancel requests at the next pass. */
    void requestCancelCheck() {
        cancelCheckRequested = true;
    }

    /**
     * Stops the owned attempts the store says were cancelled (on any node): one that has not
     * started ends at once; a started one is stopped through its executor and ends
     * {@code CANCELLED} when it reports, or after the cancel grace and {@link #CANCEL_GRACE} if it never does.
     */
    private void stopCancelled(Instant now) {
        Map<Long, Integer> requested;
        try {
            requested = store.cancelRequested(lease.nodeId());
        } catch (RuntimeException e) {
            log.warn("could not read cancel requests; retrying in {}: {}", CANCEL_CHECK_INTERVAL, e.toString());
            return;
        }
        List<InFlight> forced = new ArrayList<>();
        Map<Executor, List<TaskContext>> toStop = new IdentityHashMap<>();
        for (InFlight t : List.copyOf(ledger.all())) {
            Integer attempt = requested.get(t.claim.taskId());
            if (attempt == null || attempt != t.claim.attempt()) {
                continue;
            }
            if (t.userCancelled) {
                if (now.isAfter(t.cancelledAt.plus(config.cancelGrace()).plus(CANCEL_GRACE))) {
                    forced.add(t);
                }
                continue;
            }
            t.userCancelled = true;
            t.cancelledAt = now;
            t.cancelReason = "cancelled";
            if (t.context == null) {
                reports.end(t, AttemptOutcome.CANCELLED, null, "cancelled before it started", null, now);
            } else {
                toStop.computeIfAbsent(t.executor, e -> new ArrayList<>()).add(t.context);
            }
        }
        // One call per executor: a cancelled run of many tasks is stopped in a few system calls.
        toStop.forEach((executor, contexts) -> dispatcher.execute(() -> {
            try {
                executor.cancelAll(contexts, config.cancelGrace());
            } catch (RuntimeException e) {
                log.warn("cancel of {} attempts failed: {}", contexts.size(), e.toString());
            }
        }));
        for (InFlight t : forced) {
            reports.end(t, AttemptOutcome.CANCELLED, null, "cancelled; the executor did not stop it within "
                    + config.cancelGrace().plus(CANCEL_GRACE), null, now);
        }
    }

    /** The next instant something is due. */
    Instant nextWake() {
        Instant next = ledger.hasLimited() && nextLimitCheck.isBefore(nextOwnershipCheck) ? nextLimitCheck
                : nextOwnershipCheck;
        if (!keeper.threaded() && keeper.nextWake().isBefore(next)) {
            next = keeper.nextWake();
        }
        if (!ledger.isEmpty() && nextCancelCheck.isBefore(next)) {
            next = nextCancelCheck;
        }
        return next;
    }

    /** The node rejoins under a new identity: heartbeat at once, and reconcile once it holds its lease. */
    void rejoin() {
        keeper.rejoin();
        nextOwnershipCheck = Instant.MIN;
        nextReconcile = Instant.MIN;
    }

    /**
     * Reconciles what the store says this node owns (once a lease) and takes over dead nodes'
     * tasks, while the node holds its lease; after this node's heartbeats failed, take-over
     * waits a full lease so every node can renew first.
     */
    private void ownership(Instant now, boolean stopping) {
        if (stopping || !lease.held()) {
            return;
        }
        if (!now.isBefore(nextReconcile)) {
            nextReconcile = now.plus(config.nodeLease());
            reconcile(now);
        }
        Instant from = keeper.takeOverFrom();
        if (now.isBefore(from)) {
            if (from.isBefore(nextOwnershipCheck)) {
                nextOwnershipCheck = from; // take over as soon as every node had its lease to renew
            }
            return;
        }
        try {
            List<ClaimedTask> orphans = store.takeOverDeadNodes(lease.nodeId(), config.nodeLease(), now);
            if (!orphans.isEmpty()) {
                log.info("took over {} tasks of dead nodes", orphans.size());
                takeOver.handle(orphans, now);
            }
        } catch (RuntimeException e) {
            log.warn("take-over failed; retrying in {}: {}", config.heartbeatInterval(), e.toString());
        }
    }

    /**
     * Finds the tasks the store says this node owns and it does not know (a claim whose answer
     * was lost, a restart under the same id), and releases or recovers them. On start, then once
     * a lease.
     */
    private void reconcile(Instant now) {
        try {
            List<ClaimedTask> unknown = new ArrayList<>();
            // An attempt that ended here and whose end is not written yet is still in flight in the
            // store, and no longer in the ledger: it is known, not to be released or recorded lost.
            java.util.Set<Long> unwritten = reports.unwrittenTaskIds();
            for (ClaimedTask c : store.inFlightOf(lease.nodeId())) {
                if (!ledger.owns(c.taskId()) && !unwritten.contains(c.taskId())) {
                    unknown.add(c);
                }
            }
            if (!unknown.isEmpty()) {
                log.warn("node {} owns {} tasks it did not know of; releasing or recovering them", lease.nodeId(),
                        unknown.size());
                takeOver.handle(unknown, now);
            }
        } catch (RuntimeException e) {
            log.warn("ownership check failed; retrying in a lease: {}", e.toString());
        }
    }

    /**
     * Asks the executor to stop each started attempt past its timeout or heartbeat timeout, and
     * ends it as timed out itself when the executor has not within the cancel grace and {@link #CANCEL_GRACE}.
     */
    private void enforceLimits(Instant now) {
        List<InFlight> forced = new ArrayList<>();
        for (InFlight t : ledger.all()) {
            if (t.context == null || t.userCancelled) {
                continue; // not started yet, or cancelled by a user (see stopCancelled)
            }
            if (t.cancelledAt != null) {
                if (now.isAfter(t.cancelledAt.plus(config.cancelGrace()).plus(CANCEL_GRACE))) {
                    forced.add(t);
                }
                continue;
            }
            String reason = null;
            if (t.deadline != null && now.isAfter(t.deadline)) {
                reason = "timed out after " + t.step.timeout();
            } else if (t.step.heartbeatTimeout() != null && now.isAfter(t.lastHeartbeat.plus(t.step.heartbeatTimeout()))) {
                reason = "no heartbeat for " + t.step.heartbeatTimeout();
            }
            if (reason != null) {
                t.cancelledAt = now;
                t.cancelReason = reason;
                dispatcher.execute(() -> t.cancelQuietly(config.cancelGrace()));
            }
        }
        for (InFlight t : forced) {
            reports.end(t, AttemptOutcome.TIMED_OUT, null, t.cancelReason + "; the executor did not stop it within "
                    + config.cancelGrace().plus(CANCEL_GRACE), null, now);
        }
    }
}
