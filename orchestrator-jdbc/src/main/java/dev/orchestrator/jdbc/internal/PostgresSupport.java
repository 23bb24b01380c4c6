package dev.orchestrator.jdbc.internal;

import org.jooq.DSLContext;
import org.jooq.Record1;
import org.jooq.SQLDialect;
import org.jooq.Select;
import org.jooq.SelectForUpdateStep;

/**
 * PostgreSQL: several nodes claim concurrently, so claim candidates are locked with
 * {@code FOR UPDATE SKIP LOCKED}.
 *
 * @param schema the schema that holds the tables
 */
public record PostgresSupport(String schema) implements DialectSupport {

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
    public void beforeClaim(DSLContext ctx) {
        ctx.execute("SET LOCAL enable_bitmapscan = off");
    }

    @Override
    public TaskWriter taskWriter(Tables tables, DSLContext renderer) {
        return new ArrayTaskWriter(tables);
    }

    @Override
    public Select<Record1<Long>> lockCandidates(SelectForUpdateStep<Record1<Long>> candidates) {
        return candidates.forUpdate().skipLocked();
    }
}
