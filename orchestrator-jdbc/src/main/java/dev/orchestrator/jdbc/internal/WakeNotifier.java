package dev.orchestrator.jdbc.internal;

import org.jooq.DSLContext;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.zip.CRC32;

/**
 * Sends the PostgreSQL wake-up of a write transaction: code that makes tasks ready marks the
 * transaction ({@link #readyNow}, {@link #readyAt}), and before it commits the engine sends at most
 * one {@code pg_notify} on the store's channel ({@link #flush}), delivered when it commits. So a
 * trigger of 100,000 tasks sends one notification, and a batch that releases ten steps sends one.
 * The payload is empty for work ready now, the epoch milliseconds of the earliest retry, or
 * {@value #SCHEDULES} when schedules changed (sent by the schedule writes, {@link #schedulesChanged}).
 * On SQLite (one process) nothing is sent.
 */
final class WakeNotifier {

    /** The transaction's mark, kept in its jOOQ context: {@code Long.MIN_VALUE} for "now", else the earliest millis. */
    private static final String KEY = "dev.orchestrator.jdbc.wake";

    /** The payload of a schedule change. */
    static final String SCHEDULES = "schedules";
    /** The payload that says limited work may be claimable (a limited run, or room left under a limit). */
    static final String LIMITS = "limits";
    /** The transaction's mark for {@link #LIMITS}. */
    private static final String LIMITS_KEY = "dev.orchestrator.jdbc.wake.limits";
    /**
     * The payload of a cancel: only then do owners look for cancel requests at once (a trigger's
     * wake-up does not make them read). An older node reads it as work ready now.
     */
    static final String CANCEL = "cancel";

    private final String channel;
    private final boolean enabled;

    /**
     * @param schema  the store's schema ({@code null} on SQLite)
     * @param prefix  the store's table prefix
     * @param enabled whether notifications are sent (PostgreSQL)
     */
    WakeNotifier(String schema, String prefix, boolean enabled) {
        this.channel = channel(schema, prefix);
        this.enabled = enabled;
    }

    /**
     * The channel of a store: its schema and prefix, so stores side by side in one database do not
     * wake each other; a name longer than PostgreSQL's 63-byte identifiers is shortened with a hash.
     */
    static String channel(String schema, String prefix) {
        String name = (schema == null ? "" : schema + ".") + prefix + "wake";
        if (name.getBytes(StandardCharsets.UTF_8).length <= 63) {
            return name;
        }
        CRC32 crc = new CRC32();
        crc.update(name.getBytes(StandardCharsets.UTF_8));
        return prefix + "wake_" + Long.toHexString(crc.getValue());
    }

    /** The channel name. */
    String channel() {
        return channel;
    }

    /** Whether notifications are sent (PostgreSQL). */
    boolean enabled() {
        return enabled;
    }

    /** Sends that work is ready now, on {@code c} (at once in auto-commit). */
    void sendReadyNow(Connection c) throws SQLException {
        if (enabled) {
            send(c, "");
        }
    }

    /** Tasks became ready now in the transaction of {@code ctx}. */
    static void readyNow(DSLContext ctx) {
        ctx.data(KEY, Long.MIN_VALUE);
    }

    /** A task becomes ready at {@code millis} in the transaction of {@code ctx}. */
    static void readyAt(DSLContext ctx, long millis) {
        Object old = ctx.data(KEY);
        if (old == null || millis < (Long) old) {
            ctx.data(KEY, millis);
        }
    }

    /** Limited work may be claimable by other nodes after the transaction of {@code ctx}. */
    static void limitsReady(DSLContext ctx) {
        ctx.data(LIMITS_KEY, Boolean.TRUE);
    }

    /** Sends, when the transaction commits, that schedules changed. */
    void schedulesChanged(Connection c) throws SQLException {
        if (enabled) {
            send(c, SCHEDULES);
        }
    }

    /** Sends, when the transaction commits, that runs or tasks were cancelled. */
    void cancelled(Connection c) throws SQLException {
        if (enabled) {
            send(c, CANCEL);
        }
    }

    /** Sends the transaction's notification, if it marked one; call last in the transaction. */
    void flush(DSLContext ctx, Connection c) throws SQLException {
        if (ctx.data(LIMITS_KEY) != null) {
            ctx.data().remove(LIMITS_KEY);
            if (enabled) {
                send(c, LIMITS);
            }
        }
        Object mark = ctx.data(KEY);
        if (!enabled || mark == null) {
            return;
        }
        ctx.data().remove(KEY);
        long at = (Long) mark;
        send(c, at == Long.MIN_VALUE ? "" : Long.toString(at));
    }

    private void send(Connection c, String payload) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT pg_notify(?, ?)")) {
            ps.setString(1, channel);
            ps.setString(2, payload);
            ps.execute();
        }
    }
}
