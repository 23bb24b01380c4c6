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

/** SQLite: one writer at a time, so a claim needs no row locks. */
record SqliteSupport() implements DialectSupport {

    @Override
    public SQLDialect sqlDialect() {
        return SQLDialect.SQLITE;
    }

    @Override
    public boolean singleWriter() {
        return true;
    }

    @Override
    public String schema() {
        return null;
    }

    @Override
    public Binder binder(DSLContext renderer, Jdbc jdbc) {
        return new BatchBinder(renderer, jdbc, this);
    }

    /** {@code field IN (SELECT value FROM json_each(?))}, bound to a JSON array of the ids. */
    @Override
    public Condition idIn(Field<Long> field) {
        return field.in(DSL.select(DSL.field(DSL.name("value"), SQLDataType.BIGINT))
                .from(DSL.table("json_each({0})", DSL.param(SQLDataType.VARCHAR))));
    }

    /** The ids as a JSON array of numbers (never text from users). */
    @Override
    public Object ids(Collection<Long> ids) {
        StringBuilder json = new StringBuilder(ids.size() * 8 + 2).append('[');
        for (long id : ids) {
            if (json.length() > 1) {
                json.append(',');
            }
            json.append(id);
        }
        return json.append(']').toString();
    }

    /** One process writes a SQLite file: its clock is the store's clock. */
    @Override
    public Field<Long> clockMillis(long now) {
        return DSL.val(now);
    }

    @Override
    public Select<Record1<Long>> lockCandidates(SelectForUpdateStep<Record1<Long>> candidates) {
        return candidates;
    }

    @Override
    public <R extends Record> Select<R> lockRows(SelectForUpdateStep<R> rows) {
        return rows;
    }

    @Override
    public <R extends Record> Select<R> skipLocked(SelectForUpdateStep<R> rows) {
        return rows;
    }
}
