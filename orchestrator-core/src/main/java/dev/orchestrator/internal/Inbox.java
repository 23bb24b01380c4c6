package dev.orchestrator.internal;

import dev.orchestrator.spi.StatusUpdate;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;

/**
 * The queue between executors and the scheduler loop: any thread adds what an executor
 * reported, and only the loop drains it. Adding wakes the loop.
 */
final class Inbox {

    private record Reported(InFlight task, StatusUpdate update) {
    }

    /** Written by any thread, drained by the loop. */
    private final ConcurrentLinkedQueue<Reported> queue = new ConcurrentLinkedQueue<>();
    /** Reports added and not yet drained (any thread); the listener's queue depth. */
    private final AtomicInteger depth = new AtomicInteger();
    private final Runnable wake;

    Inbox(Runnable wake) {
        this.wake = wake;
    }

    /** Any thread: queues one report and wakes the loop. */
    void add(InFlight task, StatusUpdate update) {
        queue.add(new Reported(task, update));
        depth.incrementAndGet();
        wake.run();
    }

    /** Loop thread: hands up to {@code max} reports, oldest first, to {@code handler}; returns how many. */
    int drain(int max, BiConsumer<InFlight, StatusUpdate> handler) {
        int n = 0;
        Reported r;
        while (n < max && (r = queue.poll()) != null) {
            handler.accept(r.task(), r.update());
            n++;
        }
        if (n > 0) {
            depth.addAndGet(-n);
        }
        return n;
    }

    boolean isEmpty() {
        return queue.isEmpty();
    }

    int depth() {
        return depth.get();
    }
}
