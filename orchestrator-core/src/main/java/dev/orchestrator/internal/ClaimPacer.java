package dev.orchestrator.internal;

import java.time.Duration;
import java.time.Instant;

/**
 * Decides when the loop claims and how many tasks: when asked (a trigger, freed slots), when
 * a retry is due, or at the safety-net poll, which backs off while polls find nothing. Loop
 * thread only, except {@link #request()}.
 *
 * <p>Beyond its free slots the node claims ahead as many tasks as its slots will have finished
 * within {@link #HORIZON_NANOS}, at the pace of its recent attempts (at least one task a slot, at
 * most a batch): so a small pool of short tasks does not pay a database round trip per handful of
 * tasks, while long tasks are not held back from other nodes that have free slots.
 */
final class ClaimPacer {

    private final int maxConcurrency;
    private final int batchSize;
    /** How long a task claimed ahead may wait for a slot, at the recent attempts' pace. */
    static final long HORIZON_NANOS = Duration.ofMillis(100).toNanos();
    /** Weight of the newest attempt in the running mean of attempt times. */
    private static final double MEAN_WEIGHT = 0.05;

    /** The least held ahead of free slots (one a slot, at most a batch), so a freed slot restarts before the next write. */
    private final int minPrefetch;
    /** Claimed tasks held ahead of free slots: from {@link #minPrefetch} up to a batch as attempts are short. */
    private int prefetchLimit;
    /** Running mean of how long attempts took, in nanoseconds; negative before the first. */
    private double meanAttemptNanos = -1;
    private final Duration pollInterval;
    private final Duration maxPollInterval;
    /** Set by any thread; cleared by the loop when it claims. */
    private volatile boolean requested = true;
    private Instant nextPoll = Instant.MIN;
    /** The earliest retry this node queued, or null. */
    private Instant nextRetry;
    private int idlePolls;

    ClaimPacer(int maxConcurrency, int batchSize, Duration pollInterval, Duration maxPollInterval) {
        this.maxConcurrency = maxConcurrency;
        this.batchSize = batchSize;
        this.minPrefetch = Math.min(batchSize, maxConcurrency);
        this.prefetchLimit = minPrefetch;
        this.pollInterval = pollInterval;
        this.maxPollInterval = maxPollInterval;
    }

    /** Any thread: claim soon (a run was triggered, slots were freed). */
    void request() {
        requested = true;
    }

    /** An attempt ended after running for {@code ran}: the prefetch follows the pace of attempts. */
    void attemptEnded(Duration ran) {
        double nanos = Math.max(0, ran.toNanos());
        meanAttemptNanos = meanAttemptNanos < 0 ? nanos : meanAttemptNanos + MEAN_WEIGHT * (nanos - meanAttemptNanos);
        double ahead = maxConcurrency * (HORIZON_NANOS / Math.max(meanAttemptNanos, 1_000));
        prefetchLimit = (int) Math.max(minPrefetch, Math.min(batchSize, ahead));
    }

    /** Tasks claimed ahead of free slots at most, at the current pace. */
    int prefetchLimit() {
        return prefetchLimit;
    }

    /** A failed attempt may run again at {@code at}: claim then. */
    void retryAt(Instant at) {
        if (nextRetry == null || at.isBefore(nextRetry)) {
            nextRetry = at;
        }
    }

    /**
     * How many tasks to claim now (0 for none): up to the free slots plus one batch ahead, when a
     * claim was requested, the poll is due or a retry is due. Clears the request.
     *
     * @param owned attempts this node owns (running or claimed ahead)
     */
    int limit(Instant now, int owned) {
        boolean retryDue = nextRetry != null && !now.isBefore(nextRetry);
        boolean pollDue = !now.isBefore(nextPoll);
        if (!requested && !pollDue && !retryDue) {
            return 0;
        }
        int free = maxConcurrency + prefetchLimit - owned;
        // Claim when at least half a prefetch is free: one statement for several slots. This never
        // starves a slot: with nothing prefetched, free is at least the whole prefetch.
        if (free <= 0 || (free < Math.max(1, prefetchLimit / 2) && !pollDue && !retryDue)) {
            return 0;
        }
        requested = false;
        if (retryDue) {
            nextRetry = null;
        }
        return Math.min(free, batchSize);
    }

    /** Tasks this node could start at once: its free slots, with {@code owned} attempts owned. */
    int startable(int owned) {
        return Math.max(0, maxConcurrency - owned);
    }

    /**
     * A claim of {@code limit} returned {@code got} tasks: a full claim asks for another, and an
     * empty one on an idle node backs the safety-net poll off fourfold, up to its maximum.
     */
    void claimed(int got, int limit, Instant now, boolean nothingOwned) {
        if (got == limit) {
            requested = true; // there may be more ready
        }
        idlePolls = got == 0 && nothingOwned ? Math.min(idlePolls + 1, 15) : 0;
        Duration wait = pollInterval.multipliedBy(1L << Math.min(2 * idlePolls, 30));
        nextPoll = now.plus(wait.compareTo(maxPollInterval) > 0 ? maxPollInterval : wait);
    }

    /** The next instant a claim is due without being asked. */
    Instant nextWake() {
        return nextRetry != null && nextRetry.isBefore(nextPoll) ? nextRetry : nextPoll;
    }
}
