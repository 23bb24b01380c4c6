package dev.orchestrator.jdbc.internal;

import org.jooq.DSLContext;
import org.jooq.SQLDialect;
import org.jooq.Select;
import org.jooq.SelectForUpdateStep;
import org.jooq.Record1;

/** What differs between databases: the claim's locking, and whether writes are serialized. */
public interface DialectSupport {

    /** The jOOQ dialect. */
    SQLDialect sqlDialect();

    /** Whether only one transaction may write at a time (then writes are serialized in Java). */
    boolean singleWriter();

    /** The schema to qualify tables with, or {@code null}. */
    String schema();

    /** How task and attempt rows are written in bulk. */
    TaskWriter taskWriter(Tables tables, DSLContext renderer);

    /** Prepares the claim's transaction, if the dialect needs to. */
    default void beforeClaim(DSLContext ctx) {
    }

    /** Adds the row locking a claim's candidate query needs, if any. */
    Select<Record1<Long>> lockCandidates(SelectForUpdateStep<Record1<Long>> candidates);
}
