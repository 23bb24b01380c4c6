package dev.orchestrator;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * How often a failed task is tried again and how long to wait in between: exponential backoff
 * from {@code initialBackoff}, doubled each attempt, capped at {@code maxBackoff}, with up to
 * 20 % random jitter.
 *
 * @param maxAttempts    total attempts including the first; 1 means no retry; between 1 and 100
 * @param initialBackoff wait before the second attempt; not negative
 * @param maxBackoff     longest wait between attempts; at least {@code initialBackoff}
 */
public record RetryPolicy(int maxAttempts, Duration initialBackoff, Duration maxBackoff) {

    /** One attempt, no retry. The default of every step. */
    public static final RetryPolicy NONE = new RetryPolicy(1, Duration.ofSeconds(1), Duration.ofSeconds(1));

    /** Validates the values; see the component descriptions for the rules. */
    public RetryPolicy {
        if (maxAttempts < 1 || maxAttempts > 100) {
            throw new IllegalArgumentException("maxAttempts must be between 1 and 100, got " + maxAttempts);
        }
        Objects.requireNonNull(initialBackoff, "initialBackoff");
        Objects.requireNonNull(maxBackoff, "maxBackoff");
        if (initialBackoff.isNegative()) {
            throw new IllegalArgumentException("initialBackoff must not be negative, got " + initialBackoff);
        }
        if (maxBackoff.compareTo(initialBackoff) < 0) {
            throw new IllegalArgumentException(
                    "maxBackoff must be at least initialBackoff (" + initialBackoff + "), got " + maxBackoff);
        }
    }

    /** {@code maxAttempts} attempts with backoff from 1 s up to 5 min. */
    public static RetryPolicy attempts(int maxAttempts) {
        return new RetryPolicy(maxAttempts, Duration.ofSeconds(1), Duration.ofMinutes(5));
    }

    /** The backoff before attempt {@code nextAttempt} (2 or more), without jitter. */
    public Duration backoffBefore(int nextAttempt) {
        int doublings = Math.max(0, Math.min(nextAttempt - 2, 40));
        Duration d = initialBackoff;
        for (int i = 0; i < doublings && d.compareTo(maxBackoff) < 0; i++) {
            d = d.multipliedBy(2);
        }
        return d.compareTo(maxBackoff) > 0 ? maxBackoff : d;
    }

    /**
     * When a task whose attempt {@code failedAttempt} ended without success at {@code endedAt}
     * may run again, or {@code null} when it has no attempts left. A pure function: the
     * backoff before the next attempt, shortened by up to 20 % according to {@code jitter}.
     *
     * @param failedAttempt the attempt that ended, from 1
     * @param endedAt       when it ended
     * @param jitter        a random number in {@code [0, 1)}; 0 waits the whole backoff
     * @throws IllegalArgumentException if {@code failedAttempt} is below 1 or {@code jitter} outside {@code [0, 1)}
     */
    public Instant retryAt(int failedAttempt, Instant endedAt, double jitter) {
        if (failedAttempt < 1) {
            throw new IllegalArgumentException("failedAttempt must be at least 1, got " + failedAttempt);
        }
        if (!(jitter >= 0 && jitter < 1)) {
            throw new IllegalArgumentException("jitter must be in [0, 1), got " + jitter);
        }
        Objects.requireNonNull(endedAt, "endedAt");
        if (failedAttempt >= maxAttempts) {
            return null;
        }
        Duration backoff = backoffBefore(failedAttempt + 1);
        return endedAt.plus(backoff).minusMillis((long) (backoff.toMillis() * 0.2 * jitter));
    }
}
