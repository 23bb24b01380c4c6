package dev.orchestrator.internal;

import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * This node's identity and how long it may still act as the owner of its tasks. The heartbeat
 * thread renews the lease with each heartbeat the store accepted; once the lease has run out
 * unrenewed (the JVM was frozen, the database unreachable), the node must stop starting work
 * and rejoin under a new incarnation, because other nodes may have taken its tasks over.
 * Measured on a monotonic ticker (it keeps counting while the process is stopped), never on
 * the wall clock.
 *
 * <p>Threads: the heartbeat thread renews and revokes, the loop fences, any thread reads. A lapse
 * is final: renewal, revocation and fencing hold this object's lock, a renewal is refused once
 * the lease has lapsed or the identity it was sent for was given up, so a renewal racing a fence
 * can never revive the old identity nor extend the new one.
 */
final class NodeLease {

    private final String baseId;
    private final Duration lease;
    private final LongSupplier ticker;
    private volatile String nodeId;
    private volatile int incarnation;
    /** Ticker value up to which the lease holds; the first heartbeat sets it. */
    private volatile long validUntil;
    private volatile boolean renewed;
    /** Ticker value of the last accepted renewal's sending, or 0 before it. */
    private volatile long lastRenewalSentAt;

    NodeLease(String baseId, Duration lease, LongSupplier ticker) {
        this.baseId = baseId;
        this.nodeId = baseId;
        this.lease = lease;
        this.ticker = ticker;
    }

    String nodeId() {
        return nodeId;
    }

    /** The node id and the incarnation it belongs to, read together (a fence changes both). */
    synchronized Identity identity() {
        return new Identity(nodeId, incarnation);
    }

    /** A node id with its incarnation. */
    record Identity(String nodeId, int incarnation) {
    }

    long now() {
        return ticker.getAsLong();
    }

    Duration length() {
        return lease;
    }

    /**
     * A heartbeat of {@code id} sent at ticker value {@code sentAt} was accepted: the lease holds
     * until {@code sentAt} plus the lease less a safety margin (a fifth of the lease, at least
     * 100 ms), since other nodes count from the heartbeat's own time. Returns how long it holds
     * from now, or null if the renewal is refused: {@code id} is no longer this node's identity,
     * or the lease lapsed before the answer came (the loop fences; renewing would carry on as if
     * nothing happened).
     */
    synchronized Duration renew(String id, long sentAt) {
        if (!id.equals(nodeId) || lapsed()) {
            return null;
        }
        long margin = Math.max(lease.toNanos() / 5, Duration.ofMillis(100).toNanos());
        long until = sentAt + lease.toNanos() - margin;
        if (!renewed || until - validUntil > 0) {
            validUntil = until;
        }
        renewed = true;
        lastRenewalSentAt = sentAt;
        return left();
    }

    /**
     * How long the lease still holds from now (zero once it ran out), or null before the current
     * identity's first renewal: what an executor created between two renewals is told at once.
     */
    synchronized Duration remaining() {
        return renewed ? left() : null;
    }

    /** How long the lease holds from now; zero once it ran out. Holds this object's lock. */
    private Duration left() {
        return Duration.ofNanos(Math.max(0, validUntil - ticker.getAsLong()));
    }

    /** Others declared {@code id} dead: its lease ends now (the loop then fences). */
    synchronized void revoke(String id) {
        if (id.equals(nodeId) && renewed) {
            validUntil = ticker.getAsLong();
        }
    }

    /** Whether the node may start work: it renewed its lease at least once and the lease has not run out. */
    boolean held() {
        return renewed && ticker.getAsLong() - validUntil < 0;
    }

    /** Whether a lease this node held has run out unrenewed. */
    boolean lapsed() {
        return renewed && ticker.getAsLong() - validUntil >= 0;
    }

    /** Whether the current identity has been renewed at least once (joined the cluster). */
    boolean joined() {
        return renewed;
    }

    /** Ticker value of the last accepted renewal's sending, or 0 before any. */
    long lastRenewalSentAt() {
        return lastRenewalSentAt;
    }

    /** Gives up the lapsed lease and takes a new identity, under which the node rejoins. */
    synchronized String fence() {
        renewed = false;
        incarnation++;
        nodeId = baseId + "~" + incarnation;
        return nodeId;
    }
}
