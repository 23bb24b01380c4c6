package dev.orchestrator.jdbc.internal;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.Executor;

/**
 * The one connection a node's heartbeats go through (PostgreSQL): held apart from every pool,
 * so neither host reads nor a scheduler loop blocked in a slow write delay a lease renewal.
 * Each call has a time limit on the socket, so a silent connection (a half-open TCP connection,
 * a black-holed network) fails the heartbeat in time to retry, rather than blocking past the
 * lease; a connection that failed is dropped and opened again on the next call. Thread-safe
 * (calls are serialized: only the heartbeat thread calls, in practice).
 */
final class HeartbeatLane implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(HeartbeatLane.class);
    /** pgjdbc applies the network timeout to its socket directly; no executor is involved. */
    private static final Executor DIRECT = Runnable::run;

    /** Opens a connection that gives up connecting after about the given time. */
    @FunctionalInterface
    interface Opener {
        Connection open(Duration timeout) throws Exception;
    }

    private final Opener opener;
    private Connection held;
    private boolean closed;

    /** @param opener opens a new connection */
    HeartbeatLane(Opener opener) {
        this.opener = opener;
    }

    /**
     * Runs {@code work} in one transaction on the held connection, each read from the server
     * limited to {@code timeout}.
     */
    synchronized <T> T write(Database db, String operation, Duration timeout, Work<T> work) {
        if (closed) {
            throw new IllegalStateException("store operation " + operation + " failed: the store is closed");
        }
        Connection c = null;
        try {
            c = connection(timeout);
            c.setNetworkTimeout(DIRECT, (int) Math.min(Integer.MAX_VALUE, Math.max(1, timeout.toMillis())));
            c.setAutoCommit(false);
            T result = work.run(db.using(c), c);
            c.commit();
            return result;
        } catch (Exception e) {
            drop(c); // a failed connection may be half-open: never reuse it
            throw new IllegalStateException("store operation " + operation + " failed: " + e.getMessage(), e);
        }
    }

    private Connection connection(Duration timeout) throws Exception {
        if (held == null) {
            held = opener.open(timeout);
        }
        return held;
    }

    private void drop(Connection c) {
        held = null;
        if (c != null) {
            try {
                c.close();
            } catch (SQLException e) {
                log.debug("closing a failed heartbeat connection: {}", e.toString());
            }
        }
    }

    @Override
    public synchronized void close() {
        closed = true;
        drop(held);
    }
}
