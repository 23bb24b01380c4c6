package dev.orchestrator.jdbc.internal;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Paces the wake-ups that one-statement triggers send to other nodes (PostgreSQL). A commit that
 * sends {@code NOTIFY} takes the server's notification queue lock, so such commits run one at a
 * time: from 8 threads, triggers that each notified ran 20 to 35 % slower than without it. So a
 * trigger carries the notification only when none was sent in the last {@link #WINDOW_NANOS}; one
 * that did not asks, once its run is written, for a trailing notification, sent on its own when
 * the window after the last one has passed. Every run is thus followed, within about a window, by
 * a notification sent after its commit, and a node woken by it finds the run. The node that
 * triggers wakes its own scheduler in-process, without waiting. Thread-safe.
 */
final class TriggerWakeUps implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(TriggerWakeUps.class);
    /** The least time between two trigger notifications. */
    static final long WINDOW_NANOS = TimeUnit.MILLISECONDS.toNanos(5);

    /** Sends one notification on its own (auto-commit). */
    private final Runnable send;
    private long lastSentNanos = System.nanoTime() - WINDOW_NANOS;
    private boolean trailing;
    private ScheduledExecutorService timer;
    private boolean closed;

    TriggerWakeUps(Runnable send) {
        this.send = send;
    }

    /** Before a trigger's insert: whether it carries the notification (then it counts as sent now). */
    synchronized boolean carry(long nowNanos) {
        if (nowNanos - lastSentNanos >= WINDOW_NANOS) {
            lastSentNanos = nowNanos;
            return true;
        }
        return false;
    }

    /** After the insert of a trigger that did not carry the notification: a trailing one follows. */
    synchronized void skipped(long nowNanos) {
        if (trailing || closed) {
            return;
        }
        trailing = true;
        if (timer == null) {
            timer = Executors.newSingleThreadScheduledExecutor(r -> Thread.ofPlatform().daemon(true)
                    .name("orchestrator-trigger-wake-up").unstarted(r));
        }
        long delay = Math.max(0, lastSentNanos + WINDOW_NANOS - nowNanos);
        timer.schedule(this::sendTrailing, delay, TimeUnit.NANOSECONDS);
    }

    private void sendTrailing() {
        synchronized (this) {
            // Runs written from here on ask again: this notification may be sent before they commit.
            trailing = false;
            lastSentNanos = System.nanoTime();
        }
        try {
            send.run();
        } catch (RuntimeException e) {
            // Other nodes find the runs at their next poll.
            log.debug("could not send a trailing wake-up: {}", e.toString());
        }
    }

    @Override
    public synchronized void close() {
        closed = true;
        if (timer != null) {
            timer.shutdownNow();
        }
    }
}
