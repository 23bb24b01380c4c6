package dev.orchestrator.internal;

import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.sql.SQLException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientException;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Locale;
import java.util.Set;

/**
 * Tells a store error that will pass by itself (the database is away, busy, or chose this
 * transaction as a deadlock victim) from one that the same write will meet again (the database
 * rejects a value). Stores wrap JDBC errors, so the cause chain is searched.
 */
final class StoreErrors {

    /** How many errors of one chain are looked at: a bound against pathological chains. */
    private static final int MAX_ERRORS = 64;

    private StoreErrors() {
    }

    /**
     * Whether retrying the same call later may succeed. The causes and the suppressed errors are
     * searched: a pool that evicted a broken connection answers the rollback with "connection is
     * closed", and the I/O error behind it may be attached to that answer either way round.
     */
    static boolean isTransient(Throwable error) {
        return isTransient(error, Collections.newSetFromMap(new IdentityHashMap<>()));
    }

    private static boolean isTransient(Throwable t, Set<Throwable> seen) {
        if (t == null || !seen.add(t) || seen.size() > MAX_ERRORS) {
            return false;
        }
        if (t instanceof SQLTransientException || t instanceof SQLRecoverableException
                || t instanceof SocketException || t instanceof SocketTimeoutException) {
            return true;
        }
        if (t instanceof SQLException sql && isTransientState(sql)) {
            return true;
        }
        String message = t.getMessage() == null ? "" : t.getMessage().toUpperCase(Locale.ROOT);
        if (message.contains("SQLITE_BUSY") || message.contains("SQLITE_LOCKED")
                || message.contains("CONNECTION IS NOT AVAILABLE") || message.contains("CONNECTION IS CLOSED")) {
            return true;
        }
        for (Throwable suppressed : t.getSuppressed()) {
            if (isTransient(suppressed, seen)) {
                return true;
            }
        }
        return isTransient(t.getCause(), seen);
    }

    /**
     * SQLSTATE classes of errors that are not about the data: connection (08), transaction
     * rollback such as serialization failure or deadlock (40), insufficient resources (53),
     * operator intervention such as a terminated backend (57), system errors (58), timeouts (HYT).
     */
    private static boolean isTransientState(SQLException e) {
        String state = e.getSQLState();
        return state != null && (state.startsWith("08") || state.startsWith("40") || state.startsWith("53")
                || state.startsWith("57") || state.startsWith("58") || state.startsWith("HYT"));
    }
}
