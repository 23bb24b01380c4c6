package dev.orchestrator.internal;

import dev.orchestrator.spi.Store;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.locks.LockSupport;

/**
 * Sends the node's heartbeats and renews its {@link NodeLease}, on a thread of its own once
 * started: a scheduler loop that is busy or blocked in a slow store call never delays a renewal,
 * so it never fences a healthy node. A node that truly cannot renew (the database is away, the
 * JVM frozen) still loses its lease, and the loop fences it. A failed heartbeat is retried
 * within a second, not an interval later; each one is limited to a quarter of the lease (at
 * least 250 ms, at most 10 s), so a silent connection fails it in time to retry.
 *
 * <p>Before {@link #start()} (unit tests), the loop calls {@link #runIfDue} itself. Threads: the
 * heartbeat thread (or the loop, before start) beats; any thread reads.
 */
final class LeaseKeeper {

    private static final Logger log = LoggerFactory.getLogger(LeaseKeeper.class);
    private static final Duration RETRY = Duration.ofSeconds(1);

    private final OrchestratorConfig config;
    private final Store store;
    private final NodeLease lease;
    private final ExecutorRegistry executors;
    private final Clock clock;
    /** Wakes the loop: the lease lapsed or was revoked, and the loop must fence. */
    private final Runnable wakeLoop;
    /** The node holds its lease again (or for the first time): the loop may claim at once. */
    private final Runnable leaseTaken;
    private final Duration timeout;
    private volatile Instant nextBeat = Instant.MIN;
    /** When heartbeats began to fail, or null while they succeed. */
    private volatile Instant failingSince;
    /** No take-over before this: after an outage every node gets a full lease to renew first. */
    private volatile Instant takeOverFrom = Instant.MIN;
    /** When the last accepted heartbeat was sent (clock time), or null before any. */
    private volatile Instant lastHeartbeatAt;
    /** The identity whose row the store holds since its first accepted heartbeat. Beating thread. */
    private String joinedId;
    private volatile Thread thread;
    private volatile boolean stopped;

    LeaseKeeper(OrchestratorConfig config, Store store, NodeLease lease, ExecutorRegistry executors, Clock clock,
                Runnable wakeLoop, Runnable leaseTaken) {
        this.config = config;
        this.store = store;
        this.lease = lease;
        this.executors = executors;
        this.clock = clock;
        this.wakeLoop = wakeLoop;
        this.leaseTaken = leaseTaken;
        this.timeout = timeoutFor(config.nodeLease());
        // An executor created between two renewals (on its first task) is told the lease at once:
        // it missed the renewals so far, and must not start work as if no lease applied.
        executors.onCreate(e -> {
            Duration left = lease.remaining();
            if (left != null) {
                e.leaseRenewed(left);
            }
        });
    }

    /** A quarter of the lease, at least 250 ms and at most 10 s. */
    static Duration timeoutFor(Duration lease) {
        Duration quarter = lease.dividedBy(4);
        if (quarter.compareTo(Duration.ofMillis(250)) < 0) {
            return Duration.ofMillis(250);
        }
        return quarter.compareTo(Duration.ofSeconds(10)) > 0 ? Duration.ofSeconds(10) : quarter;
    }

    /** Starts the daemon thread {@code orchestrator-heartbeat}, which beats at once and then each interval. */
    void start() {
        Thread t = Thread.ofPlatform().name("orchestrator-heartbeat").daemon(true).unstarted(this::run);
        thread = t;
        t.start();
    }

    /** Whether the heartbeat thread runs (else the loop beats through {@link #runIfDue}). */
    boolean threaded() {
        return thread != null;
    }

    /** Stops the heartbeat thread, waiting up to {@code wait} for a heartbeat under way. */
    void stop(Duration wait) throws InterruptedException {
        stopped = true;
        Thread t = thread;
        if (t != null) {
            LockSupport.unpark(t);
            t.join(Math.max(1, wait.toMillis()));
        }
    }

    /** The node rejoins under a new identity: heartbeat at once. */
    void rejoin() {
        nextBeat = Instant.MIN;
        Thread t = thread;
        if (t != null) {
            LockSupport.unpark(t);
        }
    }

    /** Loop thread, before start: beats if one is due at {@code now}. */
    void runIfDue(Instant now) {
        if (!now.isBefore(nextBeat)) {
            nextBeat = now.plus(config.heartbeatInterval());
            beat(now);
        }
    }

    /** When the next heartbeat is due. */
    Instant nextWake() {
        return nextBeat;
    }

    /** No take-over of other nodes before this instant. */
    Instant takeOverFrom() {
        return takeOverFrom;
    }

    /** When the last accepted heartbeat was sent, or null before any. */
    Instant lastHeartbeatAt() {
        return lastHeartbeatAt;
    }

    /** Since when heartbeats fail, or null while they succeed. */
    Instant failingSince() {
        return failingSince;
    }

    /** Whether the heartbeat thread is running. */
    boolean alive() {
        Thread t = thread;
        return t != null && t.isAlive();
    }

    private void run() {
        while (!stopped) {
            Instant now = clock.instant();
            if (!now.isBefore(nextBeat)) {
                nextBeat = now.plus(config.heartbeatInterval());
                try {
                    beat(now);
                } catch (RuntimeException e) {
                    log.error("heartbeat failed unexpectedly; retrying in {}", config.heartbeatInterval(), e);
                }
            }
            Instant next = nextBeat;
            Instant after = clock.instant();
            if (next.isAfter(after) && !stopped) {
                // Instant.MIN (beat at once, after a rejoin) never gets here: no overflow.
                Duration wait = Duration.between(after, next);
                LockSupport.parkNanos(this, wait.compareTo(config.heartbeatInterval()) < 0 ? wait.toNanos()
                        : config.heartbeatInterval().toNanos());
            }
        }
    }

    /**
     * One heartbeat: renews the lease and tells the executors how long it holds. A lapsed lease
     * is never renewed (the loop fences first); a node the store says others declared dead has
     * its lease revoked, and the loop fences it.
     */
    private void beat(Instant now) {
        if (lease.lapsed()) {
            wakeLoop.run();
            return;
        }
        String id = lease.nodeId();
        long sentAt = lease.now();
        boolean existed;
        try {
            existed = store.heartbeat(id, now, timeout);
        } catch (RuntimeException e) {
            if (failingSince == null) {
                failingSince = now;
            }
            Duration retry = config.heartbeatInterval().compareTo(RETRY) < 0 ? config.heartbeatInterval() : RETRY;
            nextBeat = now.plus(retry);
            log.warn("heartbeat failed (failing since {}); retrying in {}: {}", failingSince, retry, e.toString());
            return;
        }
        if (id.equals(joinedId) && !existed) {
            // Another node declared this one dead and took its tasks over: they may run there now.
            log.error("node {} was declared dead by another node while it ran", id);
            lease.revoke(id);
            wakeLoop.run();
            return;
        }
        boolean wasHeld = lease.held();
        Duration validFor = lease.renew(id, sentAt);
        if (validFor == null) {
            wakeLoop.run(); // lapsed while the heartbeat was under way, or fenced meanwhile
            return;
        }
        joinedId = id;
        lastHeartbeatAt = now;
        executors.forEach(e -> e.leaseRenewed(validFor));
        if (!wasHeld) {
            leaseTaken.run(); // nothing was claimed without a lease: claim now, not at the next poll
        }
        Instant since = failingSince;
        if (since != null) {
            log.info("heartbeat renewed after failing since {}; no take-over before {}", since,
                    now.plus(config.nodeLease()));
            takeOverFrom = now.plus(config.nodeLease());
            failingSince = null;
        }
    }
}
