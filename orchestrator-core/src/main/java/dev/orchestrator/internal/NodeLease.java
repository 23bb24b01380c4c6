package dev.orchestrator.internal;

import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * This node's identity and how long it may still act as the owner of its tasks. The loop
 * renews the lease with each heartbeat the store accepted; once the lease has run out
 * unrenewed (the JVM was frozen, the database unreachable), the node must stop starting work
 * and rejoin under a new incarnation, because other nodes may have taken its tasks over.
 * Measured on a monotonic ticker (it keeps counting while the process is stopped), never on
 * the wall clock. Renewal and fencing: loop thread; {@link #held()}: any thread.
 */
final class NodeLease {

    private final String baseId;
    private final Duration lease;
    private final LongSupplier ticker;
    private volatile String nodeId;
    private int incarnation;
    /** Ticker value up to which the lease holds; the first heartbeat sets it. */
    private volatile long validUntil;
    private volatile boolean renewed;

    NodeLease(String baseId, Duration lease, LongSupplier ticker) {
        this.baseId = baseId;
        this.nodeId = baseId;
        this.lease = lease;
        this.ticker = ticker;
    }

    String nodeId() {
        return nodeId;
    }

    long now() {
        return ticker.getAsLong();
    }

    /**
     * A heartbeat sent at ticker value {@code sentAt} was accepted: the lease holds until
     * {@code sentAt} plus the lease less a safety margin (a fifth of the lease, at least 100 ms),
     * since other nodes count from the heartbeat's own time. Returns how long it holds from now.
     */
    Duration renewed(long sentAt) {
        long margin = Math.max(lease.toNanos() / 5, Duration.ofMillis(100).toNanos());
        validUntil = sentAt + lease.toNanos() - margin;
        renewed = true;
        return Duration.ofNanos(Math.max(0, validUntil - ticker.getAsLong()));
    }

    /** Whether the node may start work: it renewed its lease at least once and the lease has not run out. */
    boolean held() {
        return renewed && ticker.getAsLong() - validUntil < 0;
    }

    /** Whether a lease this node held has run out unrenewed. */
    boolean lapsed() {
        return renewed && ticker.getAsLong() - validUntil >= 0;
    }

    /** Gives up the lapsed lease and takes a new identity, under which the node rejoins. */
    String fence() {
        renewed = false;
        incarnation++;
        nodeId = baseId + "~" + incarnation;
        return nodeId;
    }
}
