package dev.orchestrator.cloudrun;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;

/**
 * A sliding-window rate limiter: at most {@code permits} acquisitions in any window of length
 * {@code window}. Unlike a token bucket with a burst, it never lets more than {@code permits}
 * calls through within one window, which is how Cloud Run counts its per-minute quotas.
 * Waiters are served in arrival order. Thread-safe.
 */
final class RateLimiter {

    /** Sleeps for a number of nanoseconds; replaceable in tests. */
    @FunctionalInterface
    interface Sleeper {
        /** Sleeps {@code nanos} nanoseconds. */
        void sleep(long nanos) throws InterruptedException;
    }

    private final int permits;
    private final long windowNanos;
    private final LongSupplier nanoTime;
    private final Sleeper sleeper;
    private final ReentrantLock lock = new ReentrantLock(true);
    /** Times of the last {@code permits} grants, oldest at {@code next} once full. */
    private final long[] grants;
    private int next;
    private int count;

    /** A limiter on the system clock. */
    RateLimiter(int permits, Duration window) {
        this(permits, window, System::nanoTime, nanos -> TimeUnit.NANOSECONDS.sleep(nanos));
    }

    /** A limiter on the given clock and sleeper (for tests). */
    RateLimiter(int permits, Duration window, LongSupplier nanoTime, Sleeper sleeper) {
        if (permits < 1) {
            throw new IllegalArgumentException("permits must be at least 1, got " + permits);
        }
        if (window.isNegative() || window.isZero()) {
            throw new IllegalArgumentException("window must be positive, got " + window);
        }
        this.permits = permits;
        this.windowNanos = window.toNanos();
        this.nanoTime = nanoTime;
        this.sleeper = sleeper;
        this.grants = new long[permits];
    }

    /** Waits until a call is allowed and records it. */
    void acquire() throws InterruptedException {
        lock.lockInterruptibly();
        try {
            while (true) {
                long now = nanoTime.getAsLong();
                if (count < permits) {
                    grants[(next + count) % permits] = now;
                    count++;
                    return;
                }
                long wait = grants[next] + windowNanos - now;
                if (wait <= 0) {
                    grants[next] = now;
                    next = (next + 1) % permits;
                    return;
                }
                // Holding the (fair) lock while waiting keeps callers in arrival order.
                sleeper.sleep(wait);
            }
        } finally {
            lock.unlock();
        }
    }

    /** The window. */
    Duration window() {
        return Duration.ofNanos(windowNanos);
    }

    /** Permits per window. */
    int permits() {
        return permits;
    }
}
