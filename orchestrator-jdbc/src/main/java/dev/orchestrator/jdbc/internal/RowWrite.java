package dev.orchestrator.jdbc.internal;

import org.jooq.Field;
import org.jooq.Table;

import java.util.List;

/**
 * One write of many rows of {@code tasks} or {@code attempts}, described without saying how its
 * values are bound: a {@link Binder} renders and runs it, as one statement over arrays
 * (PostgreSQL) or as a JDBC batch (SQLite).
 *
 * <p>Each row is identified by {@code (key, attempt)}. Its values come, in this order: the key,
 * the attempt, then one value per {@link Source#ROW} assignment. {@link Source#SCALAR} assignments
 * take one value for the whole write, in the order they are listed.
 *
 * @param table  the table written
 * @param key    the row's id column ({@code id} of a task, {@code task_id} of an attempt)
 * @param insert whether it inserts rows (else it updates the row of each key and attempt)
 * @param live   whether an update applies only to a live task ({@code DISPATCHED} or {@code RUNNING})
 * @param sets   the columns written, in order
 * @param result what running it reports
 */
record RowWrite(Table<?> table, Field<Long> key, boolean insert, boolean live, List<Assignment> sets,
                Result result) {

    /** What a write reports per row. */
    enum Result {
        /** Nothing. */
        NONE,
        /** Whether the row was changed. */
        APPLIED,
        /** The task's step, if the row was changed. */
        STEPS
    }

    /** Where an assigned value comes from. */
    enum Source {
        /** One value for all rows. */
        SCALAR,
        /** A value per row. */
        ROW,
        /** A constant written into the SQL. */
        LITERAL
    }

    /**
     * One column written.
     *
     * @param column  the column
     * @param source  where its value comes from
     * @param literal the constant, for {@link Source#LITERAL}; else {@code null}
     */
    record Assignment(Field<?> column, Source source, Field<?> literal) {
    }

    RowWrite {
        sets = List.copyOf(sets);
    }

    /** {@code column} takes one value for the whole write. */
    static Assignment scalar(Field<?> column) {
        return new Assignment(column, Source.SCALAR, null);
    }

    /** {@code column} takes a value per row. */
    static Assignment row(Field<?> column) {
        return new Assignment(column, Source.ROW, null);
    }

    /** {@code column} is set to the constant {@code value}. */
    static Assignment literal(Field<?> column, Field<?> value) {
        return new Assignment(column, Source.LITERAL, value);
    }

    /** Inserts a row per key and attempt. */
    static RowWrite insert(Table<?> table, Field<Long> key, Assignment... sets) {
        return new RowWrite(table, key, true, false, List.of(sets), Result.NONE);
    }

    /** Updates the row of each key and attempt. */
    static RowWrite update(Table<?> table, Field<Long> key, boolean live, Result result, Assignment... sets) {
        return new RowWrite(table, key, false, live, List.of(sets), result);
    }

    /** How many values each row has: key, attempt and the {@link Source#ROW} assignments. */
    int rowWidth() {
        return 2 + (int) sets.stream().filter(a -> a.source() == Source.ROW).count();
    }
}
