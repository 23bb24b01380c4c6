package dev.orchestrator.jdbc.internal;

import dev.orchestrator.spi.WorkflowRow;
import org.jooq.DSLContext;
import org.jooq.Record;
import org.jooq.impl.DSL;

import java.util.List;
import java.util.Optional;

import static dev.orchestrator.jdbc.internal.Col.CREATED_AT;
import static dev.orchestrator.jdbc.internal.Col.DELETED;
import static dev.orchestrator.jdbc.internal.Col.DELETED_AT;
import static dev.orchestrator.jdbc.internal.Col.ID;
import static dev.orchestrator.jdbc.internal.Col.NAME;
import static dev.orchestrator.jdbc.internal.Col.SPEC_JSON;
import static dev.orchestrator.jdbc.internal.Col.VERSION;

/** Statements on {@code workflows}: one row per version of a workflow. */
final class WorkflowQueries {

    private final Tables t;

    /** Statements on {@code tables.workflows}. */
    public WorkflowQueries(Tables tables) {
        this.t = tables;
    }

    /** Returns the latest version if it is live with the same spec, else inserts the next version. */
    public WorkflowRow save(DSLContext ctx, String name, String specJson, long now) {
        Record latest = ctx.select(ID, NAME, VERSION, SPEC_JSON, CREATED_AT, DELETED)
                .from(t.workflows).where(NAME.eq(name)).orderBy(VERSION.desc()).limit(1).fetchOne();
        if (latest != null && !latest.get(DELETED) && latest.get(SPEC_JSON).equals(specJson)) {
            return row(latest);
        }
        int version = latest == null ? 1 : latest.get(VERSION) + 1;
        long id = ctx.insertInto(t.workflows, NAME, VERSION, SPEC_JSON, CREATED_AT, DELETED)
                .values(name, version, specJson, now, false)
                .returningResult(ID).fetchSingle().value1();
        return new WorkflowRow(id, name, version, specJson, Millis.at(now));
    }

    /** The latest live version of {@code name}. */
    public Optional<WorkflowRow> findLatest(DSLContext ctx, String name) {
        return ctx.select(ID, NAME, VERSION, SPEC_JSON, CREATED_AT).from(t.workflows)
                .where(NAME.eq(name)).and(DELETED.isFalse())
                .orderBy(VERSION.desc()).limit(1).fetchOptional().map(WorkflowQueries::row);
    }

    /** One version by id, deleted or not. */
    public Optional<WorkflowRow> findVersion(DSLContext ctx, long versionId) {
        return ctx.select(ID, NAME, VERSION, SPEC_JSON, CREATED_AT).from(t.workflows)
                .where(ID.eq(versionId)).fetchOptional().map(WorkflowQueries::row);
    }

    /** The latest live version of every workflow, by name. */
    public List<WorkflowRow> listLatest(DSLContext ctx) {
        return ctx.select(Col.q("w", ID), Col.q("w", NAME), Col.q("w", VERSION), Col.q("w", SPEC_JSON),
                        Col.q("w", CREATED_AT))
                .from(t.workflows.as("w"))
                .where(Col.q("w", DELETED).isFalse())
                .and(Col.q("w", VERSION).eq(DSL.select(DSL.max(Col.q("w2", VERSION))).from(t.workflows.as("w2"))
                        .where(Col.q("w2", NAME).eq(Col.q("w", NAME)))))
                .orderBy(Col.q("w", NAME)).fetch(r -> new WorkflowRow(r.value1(), r.value2(), r.value3(), r.value4(),
                        Millis.at(r.value5())));
    }

    /** Marks every live version of {@code name} deleted; whether there was one. */
    public boolean delete(DSLContext ctx, String name, long now) {
        return ctx.update(t.workflows).set(DELETED, true).set(DELETED_AT, now)
                .where(NAME.eq(name)).and(DELETED.isFalse()).execute() > 0;
    }

    private static WorkflowRow row(Record r) {
        return new WorkflowRow(r.get(ID), r.get(NAME), r.get(VERSION), r.get(SPEC_JSON), Millis.at(r.get(CREATED_AT)));
    }
}
