package dev.orchestrator.jdbc.internal;

import org.jooq.Table;
import org.jooq.impl.DSL;

/** The store's tables, qualified with the PostgreSQL schema, unqualified on SQLite. */
public final class Tables {

    public final Table<?> workflows;
    public final Table<?> runs;
    public final Table<?> runSteps;
    public final Table<?> stepDeps;
    public final Table<?> tasks;
    public final Table<?> attempts;
    public final Table<?> nodes;

    /** Tables in {@code schema}, or unqualified when it is {@code null}. */
    public Tables(String schema) {
        workflows = table(schema, "workflows");
        runs = table(schema, "runs");
        runSteps = table(schema, "run_steps");
        stepDeps = table(schema, "step_deps");
        tasks = table(schema, "tasks");
        attempts = table(schema, "attempts");
        nodes = table(schema, "nodes");
    }

    private static Table<?> table(String schema, String name) {
        return schema == null ? DSL.table(DSL.name(name)) : DSL.table(DSL.name(schema, name));
    }
}
