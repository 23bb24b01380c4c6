package dev.orchestrator.internal;

import dev.orchestrator.spi.Dispatch;
import dev.orchestrator.spi.Executor;
import dev.orchestrator.spi.StatusUpdate;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

/**
 * The node's slots and the one path that starts claimed tasks on their executors. The loop
 * fills {@link #offer ready} tasks and starts them between store calls; a thread that frees a
 * slot starts the next ready task at once, without waiting for the loop. Every field is safe
 * for any thread.
 */
final class Dispatcher {

    private final int maxConcurrency;
    private final java.util.concurrent.Executor threads;
    private final Clock clock;
    /** Claimed (DISPATCHED in the store) but not started. */
    private final ConcurrentLinkedQueue<InFlight> ready = new ConcurrentLinkedQueue<>();
    /** Slots in use: attempts started and not yet reported ended, and adopted ones. */
    private final AtomicInteger running = new AtomicInteger();
    private volatile boolean closed;
    /** Whether the node holds its lease: nothing starts while it does not. */
    private final BooleanSupplier mayStart;

    /**
     * @param threads runs executor calls (start, cancel, adopt): virtual threads in production,
     *                the calling thread in tests
     */
    Dispatcher(int maxConcurrency, java.util.concurrent.Executor threads, Clock clock, BooleanSupplier mayStart) {
        this.maxConcurrency = maxConcurrency;
        this.mayStart = mayStart;
        this.threads = threads;
        this.clock = clock;
    }

    /** Queues a claimed task to start when a slot is free. */
    void offer(InFlight task) {
        ready.add(task);
    }

    /**
     * Starts ready tasks in the free slots, grouped per executor into one {@code startAll} call.
     * On a hand-off (the thread that freed a slot), tasks of executors that group tasks are left
     * for the loop, so their batches stay whole. Returns whether anything started.
     */
    boolean startReady(Instant now, boolean handOff) {
        Map<Executor, List<Dispatch>> starts = null;
        while (!closed && mayStart.getAsBoolean()) {
            InFlight next = ready.peek();
            if (next != null && next.closed) {
                ready.remove(next); // ended before it started (cancelled)
                continue;
            }
            if (next == null || (handOff && next.executor.groupsTasks()) || !reserveSlot()) {
                break;
            }
            next = ready.poll();
            if (next == null || next.closed) {
                running.decrementAndGet();
                if (next == null) {
                    break;
                }
                continue;
            }
            if (starts == null) {
                starts = new IdentityHashMap<>();
            }
            starts.computeIfAbsent(next.executor, k -> new ArrayList<>()).add(new Dispatch(next.start(now, true), next));
        }
        if (starts == null) {
            return false;
        }
        starts.forEach((executor, batch) -> threads.execute(() -> startAll(executor, batch)));
        return true;
    }

    /** Any thread: an attempt reported its end; its slot takes the next ready task. */
    void slotFreed(InFlight task) {
        release(task);
        startReady(clock.instant(), true);
    }

    /** Gives an attempt's slot back, once. */
    void release(InFlight task) {
        if (task.releaseSlot()) {
            running.decrementAndGet();
        }
    }

    /** Takes every claimed task that has not started out of the queue. */
    List<InFlight> drainReady() {
        List<InFlight> out = new ArrayList<>();
        InFlight t;
        while ((t = ready.poll()) != null) {
            out.add(t);
        }
        return out;
    }

    /** Takes a slot whatever the limit (an adopted execution runs already). */
    void holdSlot() {
        running.incrementAndGet();
    }

    /** Runs an executor call (cancel, adopt) off the loop. */
    void execute(Runnable call) {
        threads.execute(call);
    }

    /** Starts nothing more; executor calls already handed to threads finish. */
    void close() {
        closed = true;
    }

    int running() {
        return running.get();
    }

    private boolean reserveSlot() {
        int r;
        do {
            r = running.get();
            if (r >= maxConcurrency) {
                return false;
            }
        } while (!running.compareAndSet(r, r + 1));
        return true;
    }

    private static void startAll(Executor executor, List<Dispatch> batch) {
        try {
            executor.startAll(batch);
        } catch (RuntimeException e) {
            for (Dispatch d : batch) {
                d.sink().report(StatusUpdate.failed(null, "executor " + executor.type() + " failed to start: " + e, null));
            }
        }
    }
}
