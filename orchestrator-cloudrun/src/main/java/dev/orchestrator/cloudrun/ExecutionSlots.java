package dev.orchestrator.cloudrun;

import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Counts the executions this executor follows and makes new starts wait while the cap is
 * reached. Adopted executions count too but never wait (they already run). Thread-safe.
 */
final class ExecutionSlots {

    private final int max;
    private final ReentrantLock lock = new ReentrantLock(true);
    private final Condition freed = lock.newCondition();
    private int used;

    /** A cap of {@code max} running executions. */
    ExecutionSlots(int max) {
        if (max < 1) {
            throw new IllegalArgumentException("maxRunningExecutions must be at least 1, got " + max);
        }
        this.max = max;
    }

    /** Waits for a free slot and takes it. */
    void acquire() throws InterruptedException {
        lock.lockInterruptibly();
        try {
            while (used >= max) {
                freed.await();
            }
            used++;
        } finally {
            lock.unlock();
        }
    }

    /** Takes a slot even if none is free (an adopted execution already runs). */
    void forceAcquire() {
        lock.lock();
        try {
            used++;
        } finally {
            lock.unlock();
        }
    }

    /** Gives a slot back. */
    void release() {
        lock.lock();
        try {
            used--;
            freed.signal();
        } finally {
            lock.unlock();
        }
    }

    /** Slots in use now. */
    int inUse() {
        lock.lock();
        try {
            return used;
        } finally {
            lock.unlock();
        }
    }
}
