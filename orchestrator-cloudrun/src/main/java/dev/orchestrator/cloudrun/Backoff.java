package dev.orchestrator.cloudrun;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Exponential backoff with jitter: try {@code n} (from 0) waits a random time between half and
 * all of {@code min(max, initial * 2^n)}.
 *
 * @param initial the first delay's upper bound
 * @param max     the cap on any delay
 */
record Backoff(Duration initial, Duration max) {

    /** Checks the bounds. */
    Backoff {
        if (initial.isNegative() || initial.isZero()) {
            throw new IllegalArgumentException("initial backoff must be positive, got " + initial);
        }
        if (max.compareTo(initial) < 0) {
            throw new IllegalArgumentException("max backoff must be at least the initial backoff " + initial
                    + ", got " + max);
        }
    }

    /** The delay before retry number {@code attempt} (0 for the first retry). */
    Duration delay(int attempt) {
        long cap = max.toNanos();
        long base = initial.toNanos();
        long bound = attempt >= 62 ? cap : Math.min(cap, base << Math.min(attempt, 30));
        if (bound <= 0) {
            bound = cap;
        }
        long half = bound / 2;
        return Duration.ofNanos(half + ThreadLocalRandom.current().nextLong(bound - half + 1));
    }
}
