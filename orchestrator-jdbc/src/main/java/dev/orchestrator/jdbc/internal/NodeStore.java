package dev.orchestrator.jdbc.internal;

import dev.orchestrator.jdbc.Dialect;
import dev.orchestrator.spi.ClaimedTask;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static dev.orchestrator.jdbc.internal.Args.requireText;

/**
 * The store's node calls: heartbeats (on their own lane on PostgreSQL), taking over dead nodes'
 * tasks, a node's in-flight tasks, removing a node, and the SQLite scheduler lock. Owns the
 * heartbeat lane and the lock, and releases both on {@link #close()}. Apart from
 * {@link JdbcEngine} to keep it small.
 */
final class NodeStore {

    /** The time limit of a heartbeat called without one. */
    private static final Duration DEFAULT_HEARTBEAT_TIMEOUT = Duration.ofSeconds(10);

    /** The scheduler's calls. */
    private final Database sched;
    /** Heartbeats on PostgreSQL: one held connection, apart from both pools; null on SQLite. */
    private final HeartbeatLane heartbeats;
    private final NodeQueries nodes;
    private final ClaimQueries claims;
    private final Dialect dialect;
    /** The SQLite file this store schedules, once {@link #acquireSchedulerLock} took its lock. */
    private volatile Path lockedFile;

    NodeStore(Database sched, HeartbeatLane heartbeats, NodeQueries nodes, ClaimQueries claims, Dialect dialect) {
        this.sched = sched;
        this.heartbeats = heartbeats;
        this.nodes = nodes;
        this.claims = claims;
        this.dialect = dialect;
    }

    boolean heartbeat(String nodeId, Instant now) {
        return heartbeat(nodeId, now, DEFAULT_HEARTBEAT_TIMEOUT);
    }

    /**
     * On PostgreSQL, on a connection of its own (see {@link HeartbeatLane}), each read from the
     * server limited to {@code timeout}; on SQLite, with the scheduler's writes.
     */
    boolean heartbeat(String nodeId, Instant now, Duration timeout) {
        requireText(nodeId, "nodeId");
        long at = Millis.required(now, "now");
        if (timeout == null || timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout must be positive, got " + timeout);
        }
        if (heartbeats == null) {
            return sched.write("heartbeat", (ctx, c) -> nodes.heartbeat(ctx, nodeId, at));
        }
        return heartbeats.write(sched, "heartbeat", timeout, (ctx, c) -> nodes.heartbeat(ctx, nodeId, at));
    }

    List<ClaimedTask> takeOverDeadNodes(String nodeId, Duration lease, Instant now) {
        requireText(nodeId, "nodeId");
        if (lease == null || lease.isNegative() || lease.isZero()) {
            throw new IllegalArgumentException("lease must be positive, got " + lease);
        }
        long leaseMillis = lease.toMillis();
        long at = Millis.required(now, "now");
        if (!sched.read("takeOverDeadNodes", (ctx, c) -> nodes.anythingDead(ctx, nodeId, leaseMillis, at))) {
            return List.of();
        }
        List<ClaimedTask> taken = sched.write("takeOverDeadNodes", (ctx, c) -> nodes.takeOver(ctx, nodeId, leaseMillis, at));
        claims.limits().capacityFreed(); // released tasks, and a dead node's claims no longer count
        return taken;
    }

    List<ClaimedTask> inFlightOf(String nodeId) {
        requireText(nodeId, "nodeId");
        return sched.read("inFlightOf", (ctx, c) -> nodes.inFlightOf(ctx, nodeId));
    }

    /** On SQLite, one process schedules a file: see {@link SchedulerLock}. */
    void acquireSchedulerLock(String nodeId) {
        if (dialect != Dialect.SQLITE || lockedFile != null) {
            return;
        }
        String url = sched.read("acquireSchedulerLock", (ctx, c) -> c.getMetaData().getURL());
        Path file = url == null ? null : SchedulerLock.databaseFile(url);
        if (file != null) {
            SchedulerLock.acquire(file, nodeId);
            lockedFile = file;
        }
    }

    void removeNode(String nodeId) {
        requireText(nodeId, "nodeId");
        sched.write("removeNode", (ctx, c) -> {
            nodes.remove(ctx, nodeId);
            return null;
        });
    }

    /** Releases the scheduler lock, if taken, and closes the heartbeat lane, if any. */
    void close() {
        Path locked = lockedFile;
        if (locked != null) {
            lockedFile = null;
            SchedulerLock.release(locked);
        }
        if (heartbeats != null) {
            heartbeats.close();
        }
    }
}
