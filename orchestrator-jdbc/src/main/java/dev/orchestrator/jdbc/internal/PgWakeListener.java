package dev.orchestrator.jdbc.internal;

import dev.orchestrator.spi.Store.WakeSubscription;
import dev.orchestrator.spi.WakeListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.lang.reflect.Array;
import java.lang.reflect.Method;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.concurrent.Callable;
import java.util.concurrent.locks.LockSupport;

/**
 * {@code LISTEN}s on the store's channel on a connection of its own (not one of the pool's), on a
 * daemon thread, and tells the {@link WakeListener} of every batch of notifications it receives:
 * once per batch, with the earliest ready time in it. Each time it starts listening (at first, and
 * after reconnecting when the connection dropped) it wakes the listener once, since work may have
 * been announced before the {@code LISTEN} took effect.
 *
 * <p>The driver's notification API is called reflectively, so this module does not need to read
 * the PostgreSQL driver's module.
 */
final class PgWakeListener implements WakeSubscription {

    private static final Logger log = LoggerFactory.getLogger(PgWakeListener.class);
    /** How long one wait for notifications lasts before the connection is checked. */
    private static final int WAIT_MILLIS = 5_000;
    private static final long RECONNECT_NANOS = 1_000_000_000L;

    private final Callable<Connection> connections;
    private final String channel;
    private final WakeListener listener;
    private final Thread thread;
    private volatile boolean closed;
    private volatile Connection current;

    /**
     * Starts listening.
     *
     * @param connections opens the dedicated connection (again after a drop)
     */
    PgWakeListener(Callable<Connection> connections, String channel, WakeListener listener) {
        this.connections = connections;
        this.channel = channel;
        this.listener = listener;
        this.thread = Thread.ofPlatform().daemon(true).name("orchestrator-listen").unstarted(this::run);
        thread.start();
    }

    private void run() {
        boolean first = true;
        while (!closed) {
            try (Connection c = connections.call()) {
                current = c;
                c.setAutoCommit(true);
                try (Statement s = c.createStatement()) {
                    s.execute("LISTEN \"" + channel.replace("\"", "\"\"") + "\"");
                }
                if (!first) {
                    log.info("listening for wake-ups on '{}' again; looking once for work announced meanwhile", channel);
                }
                first = false;
                // look once: work announced before the LISTEN took effect (at start, or while away) is not missed
                if (listener instanceof LimitsHeard l) {
                    l.limitsReady(false);
                }
                listener.wake(null);
                listener.schedulesChanged();
                Object pg = c.unwrap(Class.forName("org.postgresql.PGConnection"));
                Method get = pg.getClass().getMethod("getNotifications", int.class);
                get.setAccessible(true);
                while (!closed) {
                    Object batch = get.invoke(pg, WAIT_MILLIS);
                    int n = batch == null ? 0 : Array.getLength(batch);
                    if (n > 0) {
                        deliver(batch, n);
                    } else if (!closed && !c.isValid(5)) {
                        throw new SQLException("the listening connection is no longer valid");
                    }
                }
            } catch (Exception e) {
                if (closed) {
                    break;
                }
                log.warn("wake-up listener on '{}' lost its connection; reconnecting in 1 s (the poll covers the gap): {}",
                        channel, e instanceof java.lang.reflect.InvocationTargetException i ? i.getCause() : e.toString());
                first = false;
                LockSupport.parkNanos(RECONNECT_NANOS);
            } finally {
                current = null;
            }
        }
    }

    private void deliver(Object batch, int n) throws ReflectiveOperationException {
        boolean now = false;
        boolean limits = false;
        boolean schedules = false;
        boolean cancel = false;
        long earliest = Long.MAX_VALUE;
        for (int i = 0; i < n; i++) {
            Object note = Array.get(batch, i);
            Method parameter = note.getClass().getMethod("getParameter");
            parameter.setAccessible(true);
            String payload = (String) parameter.invoke(note);
            if (payload == null || payload.isEmpty()) {
                now = true;
            } else if (payload.equals(WakeNotifier.SCHEDULES)) {
                schedules = true;
            } else if (payload.equals(WakeNotifier.LIMITS)) {
                limits = true;
                now = true;
            } else if (payload.equals(WakeNotifier.CANCEL)) {
                cancel = true;
            } else {
                try {
                    earliest = Math.min(earliest, Long.parseLong(payload));
                } catch (NumberFormatException e) {
                    now = true;
                }
            }
        }
        try {
            if (limits && listener instanceof LimitsHeard l) {
                l.limitsReady(true);
            }
            if (now) {
                listener.wake(null);
            }
            if (earliest != Long.MAX_VALUE) {
                listener.wake(Instant.ofEpochMilli(earliest));
            }
            if (schedules) {
                listener.schedulesChanged();
            }
            if (cancel) {
                listener.cancelRequested();
            }
        } catch (RuntimeException e) {
            log.warn("wake-up listener failed: {}", e.toString());
        }
    }

    /** A listener that also hears that limited work may be claimable ({@value WakeNotifier#LIMITS}). */
    interface LimitsHeard {
        /**
         * Limited work may be claimable: {@code announced} when another node created a limited run
         * or left room under a limit it could not use; otherwise the listener (re)connected and may
         * have missed such news.
         */
        void limitsReady(boolean announced);
    }

    /** Stops listening and closes the connection; idempotent. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        Connection c = current;
        if (c != null) {
            try {
                c.close(); // ends a wait in progress
            } catch (SQLException e) {
                // closing anyway
            }
        }
        thread.interrupt();
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
