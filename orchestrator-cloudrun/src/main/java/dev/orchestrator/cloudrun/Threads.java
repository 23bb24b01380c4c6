package dev.orchestrator.cloudrun;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The executor's threads: a virtual thread per blocking API call and one timer thread that
 * schedules polls. After {@link #close()} nothing new runs. Thread-safe.
 */
final class Threads implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Threads.class);

    private final ExecutorService workers =
            Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("cloudrun-", 0).factory());
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "cloudrun-timer");
        t.setDaemon(true);
        return t;
    });
    private volatile boolean closed;

    /** Whether {@link #close()} was called. */
    boolean closed() {
        return closed;
    }

    /** Runs {@code work} on a virtual thread; false if closed. */
    boolean execute(Runnable work) {
        try {
            workers.execute(work);
            return true;
        } catch (RejectedExecutionException e) {
            return false;
        }
    }

    /** Runs {@code work} on a virtual thread after {@code delay}; nothing if closed. */
    void schedule(Runnable work, Duration delay) {
        if (closed) {
            return;
        }
        try {
            timer.schedule(() -> execute(work), delay.toNanos(), TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException ignored) {
            // closing
        }
    }

    /** Stops both pools, interrupting running calls, and waits up to 5 s for them. */
    @Override
    public void close() {
        closed = true;
        timer.shutdownNow();
        workers.shutdownNow();
        try {
            if (!workers.awaitTermination(5, TimeUnit.SECONDS)) {
                LOG.warn("cloudrun executor threads did not stop within 5 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
