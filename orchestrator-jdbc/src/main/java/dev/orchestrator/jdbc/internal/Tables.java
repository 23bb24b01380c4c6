package dev.orchestrator.jdbc.internal;

import org.jooq.Table;
import org.jooq.impl.DSL;

/**
 * The store's tables, each named with the store's table prefix, qualified with the PostgreSQL
 * schema (unqualified on SQLite).
 */
final class Tables {

    public final Table<?> workflows;
    public final Table<?> runs;
    public final Table<?> runSteps;
    public final Table<?> stepDeps;
    public final Table<?> tasks;
    public final Table<?> attempts;
    public final Table<?> nodes;
    /** Paused workflows, by name. */
    public final Table<?> pausedWorkflows;
    public final Table<?> schedules;
    /** Concurrency limits: one row per limited workflow and per limited step name. */
    public final Table<?> limits;

    /** Tables named {@code prefix + name} in {@code schema}, or unqualified when it is {@code null}. */
    public Tables(String schema, String prefix) {
        workflows = table(schema, prefix + "workflows");
        runs = table(schema, prefix + "runs");
        runSteps = table(schema, prefix + "run_steps");
        stepDeps = table(schema, prefix + "step_deps");
        tasks = table(schema, prefix + "tasks");
        attempts = table(schema, prefix + "attempts");
        nodes = table(schema, prefix + "nodes");
        pausedWorkflows = table(schema, prefix + "paused_workflows");
        schedules = table(schema, prefix + "schedules");
        limits = table(schema, prefix + "limits");
    }

    private static Table<?> table(String schema, String name) {
        return schema == null ? DSL.table(DSL.name(name)) : DSL.table(DSL.name(schema, name));
    }
}
