package dev.orchestrator.jdbc.internal;

import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.Record;
import org.jooq.Record1;
import org.jooq.SQLDialect;
import org.jooq.Select;
import org.jooq.SelectForUpdateStep;
import org.jooq.impl.DSL;
import org.jooq.impl.SQLDataType;

import java.util.Collection;

/**
 * PostgreSQL: several nodes claim concurrently, so claim candidates are locked with
 * {@code FOR UPDATE SKIP LOCKED}.
 *
 * @param schema the schema that holds the tables
 */
record PostgresSupport(String schema, boolean databaseClock) implements DialectSupport {

    @Override
    public SQLDialect sqlDialect() {
        return SQLDialect.POSTGRES;
    }

    @Override
    public boolean singleWriter() {
        return false;
    }

    /**
     * Makes the claim walk {@code tasks_ready_idx} in order instead of a bitmap scan: an index scan
     * marks the entries of already claimed rows dead as it passes them, so claims stay fast between
     * vacuums; a bitmap scan would revisit every dead entry at the front of the queue each time.
     */
    @Override
    public String beforeClaimSql() {
        return "SET LOCAL enable_bitmapscan = off";
    }

    /** The same for every statement of a connection of the store's own scheduler pool, set once when it opens. */
    static final String SCHEDULER_SESSION_SQL = "SET enable_bitmapscan = off";

    @Override
    public Binder binder(DSLContext renderer, Jdbc jdbc) {
        return new ArrayBinder(renderer, jdbc);
    }

    /** {@code field = ANY(?)}, bound to a {@code bigint[]}. */
    @Override
    public Condition idIn(Field<Long> field) {
        return field.eq(DSL.any(DSL.param(SQLDataType.BIGINT.array())));
    }

    @Override
    public Object ids(Collection<Long> ids) {
        return ids.toArray(Long[]::new);
    }

    /**
     * The server's time ({@code clock_timestamp()} moves within a transaction, unlike {@code now()}),
     * or {@code now} when the options turned the database clock off.
     */
    @Override
    public Field<Long> clockMillis(long now) {
        if (!databaseClock) {
            return DSL.val(now);
        }
        return DSL.field("(extract(epoch from clock_timestamp()) * 1000)::bigint", SQLDataType.BIGINT);
    }

    @Override
    public Select<Record1<Long>> lockCandidates(SelectForUpdateStep<Record1<Long>> candidates) {
        return candidates.forUpdate().skipLocked();
    }

    @Override
    public <R extends Record> Select<R> lockRows(SelectForUpdateStep<R> rows) {
        return rows.forUpdate();
    }

    @Override
    public <R extends Record> Select<R> skipLocked(SelectForUpdateStep<R> rows) {
        return rows.forUpdate().skipLocked();
    }
}
