package dev.orchestrator.jdbc.internal;

import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.SQLDialect;
import org.jooq.Select;
import org.jooq.SelectForUpdateStep;
import org.jooq.Record;
import org.jooq.Record1;

/** What differs between databases: the claim's locking, and whether writes are serialized. */
interface DialectSupport {

    /** The jOOQ dialect. */
    SQLDialect sqlDialect();

    /** Whether only one transaction may write at a time (then writes are serialized in Java). */
    boolean singleWriter();

    /** The schema to qualify tables with, or {@code null}. */
    String schema();

    /** How the values of the bulk task and attempt writes are bound, rendered with {@code renderer} and run by {@code jdbc}. */
    Binder binder(DSLContext renderer, Jdbc jdbc);

    /** A statement (without bind values) that prepares the claim's transaction, or {@code null}. */
    default String beforeClaimSql() {
        return null;
    }

    /**
     * {@code field IN (ids)} with one bind value for all the ids, so the statement's SQL does not
     * depend on how many there are; bind {@link #ids} to it.
     */
    Condition idIn(Field<Long> field);

    /** The bind value of {@link #idIn} for {@code ids}. */
    Object ids(java.util.Collection<Long> ids);

    /**
     * The store's clock in epoch milliseconds for node liveness: the database server's own time
     * where there is a server (so nodes never compare their machines' clocks), else {@code now},
     * the one process's clock.
     */
    Field<Long> clockMillis(long now);

    /** Adds the row locking a claim's candidate query needs, if any. */
    Select<Record1<Long>> lockCandidates(SelectForUpdateStep<Record1<Long>> candidates);

    /** {@code rows} locked until the transaction ends, waiting for other holders (PostgreSQL); as is on SQLite. */
    <R extends Record> Select<R> lockRows(SelectForUpdateStep<R> rows);

    /** {@code rows} locked, skipping rows others hold (PostgreSQL); as is on SQLite. */
    <R extends Record> Select<R> skipLocked(SelectForUpdateStep<R> rows);
}
