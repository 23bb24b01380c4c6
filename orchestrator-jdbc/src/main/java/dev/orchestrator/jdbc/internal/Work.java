package dev.orchestrator.jdbc.internal;

import org.jooq.DSLContext;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * Work done on one connection, inside a transaction (writes) or in auto-commit mode (reads).
 *
 * @param <T> its result
 */
@FunctionalInterface
interface Work<T> {

    /** Does the work with {@code ctx}, which is bound to {@code connection}. */
    T run(DSLContext ctx, Connection connection) throws SQLException;
}
