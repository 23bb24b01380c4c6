package dev.orchestrator.jdbc.internal;

import org.jooq.DSLContext;
import org.jooq.Record1;
import org.jooq.SQLDialect;
import org.jooq.Select;
import org.jooq.SelectForUpdateStep;

/** SQLite: one writer at a time, so a claim needs no row locks. */
public record SqliteSupport() implements DialectSupport {

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
    public TaskWriter taskWriter(Tables tables, DSLContext renderer) {
        return new BatchTaskWriter(tables, renderer);
    }

    @Override
    public Select<Record1<Long>> lockCandidates(SelectForUpdateStep<Record1<Long>> candidates) {
        return candidates;
    }
}
