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
 * The loop's periodic work: the node's heartbeat with the take-over of dead nodes' tasks, and
 * the timeouts and heartbeat timeouts of owned attempts. Loop thread only.
 */
final class Timers {

    private static final Logger log = LoggerFactory.getLogger(Timers.class);
    /** How long past the cancel grace an executor may take to report a stopped attempt before the loop ends it itself. */
    static final Duration CANCEL_GRACE = Duration.ofSeconds(30);
    private static final Duration LIMIT_CHECK_INTERVAL = Duration.ofMillis(500);
    private static final Duration HEARTBEAT_RETRY = Duration.ofSeconds(1);
    /** How often a node that runs tasks looks for cancels issued on other nodes. */
    private static final Duration CANCEL_CHECK_INTERVAL = Duration.ofMillis(500);

    private final OrchestratorConfig config;
    private final Store store;
    private final Ledger ledger;
    private final Dispatcher dispatcher;
    private final Reports reports;
    private final TakeOver takeOver;
    private final NodeLease lease;
    private final ExecutorRegistry executors;
    private Instant nextHeartbeat = Instant.MIN;
    private Instant nextLimitCheck = Instant.MIN;
    private Instant nextCancelCheck = Instant.MIN;
    /** Set by any thread when a cancel was issued through this node: check at once. */
    private volatile boolean cancelCheckRequested;
    /** When this node's heartbeats began to fail, or null while they succeed. */
    private Instant failingSince;
    /** No take-over before this: after an outage every node gets a full lease to renew first. */
    private Instant takeOverFrom = Instant.MIN;
    /** Whether a heartbeat of this identity was accepted (its row exists in the store since). */
    private boolean joined;
    /** When to compare what the store says this node owns with what it runs. */
    private Instant nextReconcile = Instant.MIN;
    /** Called when the store says others declared this node dead. */
    private final Runnable takenOver;

    Timers(OrchestratorConfig config, Store store, Ledger ledger, Dispatcher dispatcher, Reports reports, TakeOver takeOver,
           NodeLease lease, ExecutorRegistry executors, Runnable takenOver) {
        this.takenOver = takenOver;
        this.config = config;
        this.store = store;
        this.ledger = ledger;
        this.dispatcher = dispatcher;
        this.reports = reports;
        this.takeOver = takeOver;
        this.lease = lease;
        this.executors = executors;
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
        Instant next = ledger.hasLimited() && nextLimitCheck.isBefore(nextHeartbeat) ? nextLimitCheck : nextHeartbeat;
        if (!ledger.isEmpty() && nextCancelCheck.isBefore(next)) {
            next = nextCancelCheck;
        }
        return next;
    }

    /** The node rejoins under a new identity: heartbeat at once, and reconcile after joining. */
    void rejoin() {
        nextHeartbeat = Instant.MIN;
        nextReconcile = Instant.MIN;
        joined = false;
    }

    /**
     * Renews the lease, tells the executors, and takes over dead nodes' tasks. A failed
     * heartbeat is retried within a second, not an interval later, so a short outage never
     * costs the lease; after one, take-over waits a full lease so every node can renew first.
     */
    private void heartbeat(Instant now, boolean stopping) {
        if (lease.lapsed()) {
            // The lease ran out while the loop was busy (a slow store call): other nodes may have
            // taken this node's tasks over already. Renewing now would carry on as if nothing happened.
            takenOver.run();
            return;
        }
        long sentAt = lease.now();
        boolean existed;
        try {
            existed = store.heartbeat(lease.nodeId(), now);
        } catch (RuntimeException e) {
            if (failingSince == null) {
                failingSince = now;
            }
            Duration retry = config.heartbeatInterval().compareTo(HEARTBEAT_RETRY) < 0 ? config.heartbeatInterval()
                    : HEARTBEAT_RETRY;
            nextHeartbeat = now.plus(retry);
            log.warn("heartbeat failed (failing since {}); retrying in {}: {}", failingSince, retry, e.toString());
            return;
        }
        if (joined && !existed) {
            // Another node declared this one dead and took its tasks over: they may run there now.
            log.error("node {} was declared dead by another node while it ran", lease.nodeId());
            takenOver.run();
            return;
        }
        joined = true;
        Duration validFor = lease.renewed(sentAt);
        executors.forEach(e -> e.leaseRenewed(validFor));
        if (failingSince != null) {
            log.info("heartbeat renewed after failing since {}; no take-over before {}", failingSince,
                    now.plus(config.nodeLease()));
            failingSince = null;
            takeOverFrom = now.plus(config.nodeLease());
        }
        if (stopping) {
            return;
        }
        if (!now.isBefore(nextReconcile)) {
            nextReconcile = now.plus(config.nodeLease());
            reconcile(now);
        }
        if (now.isBefore(takeOverFrom)) {
            return;
        }
        try {
            List<ClaimedTask> orphans = store.takeOverDeadNodes(lease.nodeId(), config.nodeLease(), now);
            if (!orphans.isEmpty()) {
                log.info("took over {} tasks of dead nodes", orphans.size());
                takeOver.handle(orphans, now);
            }
        } catch (RuntimeException e) {
            log.warn("take-over failed; retrying at the next heartbeat: {}", e.toString());
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
