package dev.orchestrator.jdbc.internal;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

/**
 * How a dialect binds the values of a {@link RowWrite}: the only part of the task writes that
 * differs between databases. {@link ArrayBinder} binds one array per column to one statement
 * (PostgreSQL); {@link BatchBinder} binds a row at a time into a JDBC batch (SQLite).
 */
interface Binder {

    /** Renders {@code write} once; the result runs it for any number of rows. */
    Bound prepare(RowWrite write);

    /** A rendered {@link RowWrite}. Thread-safe: it holds only the rendered statements. */
    interface Bound {

        /**
         * Runs the write for {@code rows} (each laid out as {@link RowWrite} says) with the
         * write-wide {@code scalars}.
         *
         * @return per row, whether it was changed (every row for {@link RowWrite.Result#NONE})
         */
        boolean[] run(Connection c, Object[] scalars, List<Object[]> rows) throws SQLException;

        /**
         * Runs a {@link RowWrite.Result#STEPS} write.
         *
         * @return per row, its task's step if it was changed, else {@code null}
         */
        StepKey[] runForSteps(Connection c, Object[] scalars, List<Object[]> rows) throws SQLException;
    }
}
