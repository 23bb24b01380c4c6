package dev.orchestrator.cloudrun;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Pauses every start of this node after RunJob answered RESOURCE_EXHAUSTED: the quota is per
 * project and region, so the next call of any launch would be refused too. Each refusal in a
 * row doubles the pause, up to the retry backoff's cap; a start that succeeds resets it. Thread-safe.
 */
final class StartGate {

    private final long initialNanos;
    private final long maxNanos;
    private long pausedUntil;
    private long nextPause;

    StartGate(Duration initial, Duration max) {
        this.initialNanos = initial.toNanos();
        this.maxNanos = max.toNanos();
        this.nextPause = initialNanos;
        this.pausedUntil = System.nanoTime(); // nanoTime has an arbitrary origin: 0 could lie in the future
    }

    /** Whether starts are paused now. */
    synchronized boolean paused() {
        return pausedUntil - System.nanoTime() > 0;
    }

    /** Waits while starts are paused. */
    void await() throws InterruptedException {
        while (true) {
            long wait;
            synchronized (this) {
                wait = pausedUntil - System.nanoTime();
            }
            if (wait <= 0) {
                return;
            }
            TimeUnit.NANOSECONDS.sleep(wait);
        }
    }

    /** RunJob was refused for quota: pause every start. */
    synchronized void exhausted() {
        long until = System.nanoTime() + nextPause;
        if (until - pausedUntil > 0) {
            pausedUntil = until;
        }
        nextPause = Math.min(maxNanos, nextPause * 2);
    }

    /** A RunJob call went through. */
    synchronized void succeeded() {
        nextPause = initialNanos;
    }
}
