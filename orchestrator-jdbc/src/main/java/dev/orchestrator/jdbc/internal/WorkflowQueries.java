package dev.orchestrator.jdbc.internal;

import dev.orchestrator.spi.TriggerTarget;
import dev.orchestrator.spi.WorkflowRow;
import org.jooq.DSLContext;
import org.jooq.Record;
import org.jooq.impl.DSL;
import org.jooq.impl.SQLDataType;

import java.sql.Connection;
import java.sql.SQLException;

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
    private final Jdbc jdbc;
    /** A trigger's read: the latest live version of a name and whether the name is paused. */
    private final Stmt triggerTarget;

    /** Statements on {@code tables.workflows}; the trigger's read rendered once with {@code r}, run by {@code jdbc}. */
    public WorkflowQueries(Tables tables, DSLContext r, Jdbc jdbc) {
        this.t = tables;
        this.jdbc = jdbc;
        this.triggerTarget = Stmt.of(r, r.select(ID, NAME, VERSION, SPEC_JSON, CREATED_AT,
                        DSL.field(DSL.exists(DSL.selectOne().from(t.pausedWorkflows)
                                .where(NAME.eq(DSL.param(SQLDataType.VARCHAR))))))
                .from(t.workflows).where(NAME.eq(DSL.param(SQLDataType.VARCHAR))).and(DELETED.isFalse())
                .orderBy(VERSION.desc()).limit(DSL.inline(1)), 2);
    }

    /** The latest live version of {@code name} and whether it is paused, in one read. */
    public Optional<TriggerTarget> findTriggerTarget(Connection c, String name) throws SQLException {
        TriggerTarget[] found = {null};
        jdbc.query(c, triggerTarget, new Object[]{name, name}, rs -> found[0] = new TriggerTarget(
                new WorkflowRow(rs.getLong(1), rs.getString(2), rs.getInt(3), rs.getString(4), Millis.at(rs.getLong(5))),
                rs.getBoolean(6)));
        return Optional.ofNullable(found[0]);
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
