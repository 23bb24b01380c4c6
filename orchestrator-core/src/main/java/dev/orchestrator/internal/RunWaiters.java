package dev.orchestrator.internal;

import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Wakes threads waiting for a run to end as soon as this node writes its end. Runs ended by
 * another node are noticed by the waiters' own periodic re-read. A generation number closes
 * the gap between a waiter's read and its wait: a signal in between is never missed.
 */
final class RunWaiters {

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final ConcurrentHashMap<Long, Integer> waiting = new ConcurrentHashMap<>();
    private long generation;

    void register(long runId) {
        waiting.merge(runId, 1, Integer::sum);
    }

    void unregister(long runId) {
        waiting.computeIfPresent(runId, (k, n) -> n == 1 ? null : n - 1);
    }

    /** The current generation, read before checking the run. */
    long generation() {
        lock.lock();
        try {
            return generation;
        } finally {
            lock.unlock();
        }
    }

    /** Called by the scheduler after a write that ended these runs. */
    void ended(List<Long> runIds) {
        if (waiting.isEmpty()) {
            return;
        }
        boolean any = false;
        for (Long id : runIds) {
            any |= waiting.containsKey(id);
        }
        if (any) {
            lock.lock();
            try {
                generation++;
                changed.signalAll();
            } finally {
                lock.unlock();
            }
        }
    }

    /** Waits until the generation moves past {@code seen}, at most {@code nanos}. */
    void awaitChange(long seen, long nanos) throws InterruptedException {
        lock.lock();
        try {
            while (generation == seen && nanos > 0) {
                nanos = changed.awaitNanos(nanos);
            }
        } finally {
            lock.unlock();
        }
    }
}
