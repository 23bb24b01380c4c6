package dev.orchestrator.jdbc.internal;

import dev.orchestrator.RunStatus;
import dev.orchestrator.TaskStatus;
import dev.orchestrator.spi.NewRun;
import dev.orchestrator.spi.NewStep;
import org.jooq.DSLContext;
import org.jooq.impl.DSL;
import org.jooq.impl.SQLDataType;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import static dev.orchestrator.jdbc.internal.Col.DELETED;
import static dev.orchestrator.jdbc.internal.Col.ID;
import static dev.orchestrator.jdbc.internal.Col.NAME;
import static dev.orchestrator.jdbc.internal.Col.VERSION;

/**
 * The writes of a new run, with as few statements as the dialect allows, each text fixed whatever
 * the run's size so it is prepared once. PostgreSQL: one statement, the run, its steps, their
 * dependencies and every task (from the step's task count with {@code generate_series}) in
 * data-modifying CTEs over array bind values, with the wake-up's {@code pg_notify} in its result.
 * SQLite: the run with {@code RETURNING id}, one batch of steps, one of dependencies, and one
 * {@code INSERT ... SELECT} per step over a recursive counter for its tasks.
 */
final class RunInsert {

    private final boolean postgres;
    private final Stmt pgCreate;
    private final Stmt pgCreateKeyed;
    private final Stmt pgCreateOfLatest;
    /** The one-statement PostgreSQL writes without the wake-up, for a trigger that leaves it to a later one. */
    private final Stmt pgCreateQuiet;
    private final Stmt pgCreateOfLatestQuiet;
    private final Stmt sqliteRun;
    private final Stmt sqliteRunOfLatest;
    private final Stmt sqliteRunKeyed;
    private final Stmt sqliteSteps;
    private final Stmt sqliteDeps;
    private final Stmt sqliteTasks;

    /** Statements on {@code t}, with table names rendered by {@code r}. */
    RunInsert(Tables t, DSLContext r, boolean postgres) {
        this.postgres = postgres;
        String runs = r.render(t.runs);
        String steps = r.render(t.runSteps);
        String deps = r.render(t.stepDeps);
        String tasks = r.render(t.tasks);
        String insertRun = "insert into " + runs + " (workflow_version_id, workflow_name, status, triggered_by,"
                + " params_json, idempotency_key, task_count, created_at) values (?, ?, '" + RunStatus.PENDING.name()
                + "', ?, ?, ?, ?, ?)";
        String onConflict = " on conflict (workflow_name, idempotency_key) do nothing";
        // The same row, written only while its version is the workflow's latest live one and the
        // workflow is not paused (three more bind values: the version id, the name, the name).
        String latest = r.render(DSL.select(ID).from(t.workflows).where(NAME.eq(DSL.param(SQLDataType.VARCHAR)))
                .and(DELETED.isFalse()).orderBy(VERSION.desc()).limit(DSL.inline(1)));
        String notPaused = r.render(DSL.notExists(DSL.selectOne().from(t.pausedWorkflows)
                .where(NAME.eq(DSL.param(SQLDataType.VARCHAR)))));
        String values = postgres ? "cast(? as bigint), cast(? as varchar), '" + RunStatus.PENDING.name()
                + "', cast(? as varchar), cast(? as varchar), cast(? as varchar), cast(? as int), cast(? as bigint)"
                : "?, ?, '" + RunStatus.PENDING.name() + "', ?, ?, ?, ?, ?";
        String insertRunOfLatest = "insert into " + runs + " (workflow_version_id, workflow_name, status, triggered_by,"
                + " params_json, idempotency_key, task_count, created_at) select " + values + " where "
                + (postgres ? "cast(? as bigint)" : "?") + " = (" + latest + ") and " + notPaused;
        String pgRest = " returning id),"
                + " s as (insert into " + steps + " (run_id, step_index, name, task_count, deps_pending, status)"
                + " select r.id, u.i, u.n, u.c, u.d, u.s from r, unnest(cast(? as int[]), cast(? as text[]),"
                + " cast(? as int[]), cast(? as int[]), cast(? as text[])) as u (i, n, c, d, s)),"
                + " d as (insert into " + deps + " (run_id, depends_on, step_index)"
                + " select r.id, u.d, u.i from r, unnest(cast(? as int[]), cast(? as int[])) as u (d, i)),"
                + " t as (insert into " + tasks + " (run_id, step_index, task_index, status, ready_at, executor,"
                + " limit_id) select r.id, u.i, k.k, u.s, u.a, u.e, u.l from r, unnest(cast(? as int[]),"
                + " cast(? as int[]), cast(? as text[]), cast(? as bigint[]), cast(? as text[]),"
                + " cast(? as bigint[])) as u (i, c, s, a, e, l),"
                + " generate_series(0, u.c - 1) as k (k) order by u.i, k.k)";
        String notify = " select r.id, pg_notify(?, '') from r";
        String quiet = " select r.id from r";
        this.pgCreate = new Stmt("with r as (" + insertRun + pgRest + notify, 21);
        this.pgCreateKeyed = new Stmt("with r as (" + insertRun + onConflict + pgRest + notify, 21);
        this.pgCreateQuiet = new Stmt("with r as (" + insertRun + pgRest + quiet, 20);
        this.pgCreateOfLatest = Stmt.checked("with r as (" + insertRunOfLatest + pgRest + notify, 24);
        this.pgCreateOfLatestQuiet = Stmt.checked("with r as (" + insertRunOfLatest + pgRest + quiet, 23);
        this.sqliteRun = new Stmt(insertRun + " returning id", 7);
        this.sqliteRunKeyed = new Stmt(insertRun + onConflict + " returning id", 7);
        this.sqliteRunOfLatest = Stmt.checked(insertRunOfLatest + " returning id", 10);
        this.sqliteSteps = new Stmt("insert into " + steps
                + " (run_id, step_index, name, task_count, deps_pending, status) values (?, ?, ?, ?, ?, ?)", 6);
        this.sqliteDeps = new Stmt("insert into " + deps + " (run_id, depends_on, step_index) values (?, ?, ?)", 3);
        this.sqliteTasks = new Stmt("with recursive k (n) as (select 0 union all select n + 1 from k where n + 1 < ?)"
                + " insert into " + tasks + " (run_id, step_index, task_index, status, ready_at, executor, limit_id)"
                + " select ?, ?, n, ?, ?, ?, ? from k", 7);
    }

    /**
     * Writes {@code run} of {@code workflow}; on PostgreSQL also sends the wake-up on
     * {@code channel} (when it commits), unless {@code channel} is null (never for a keyed run). Returns the new run's id, or {@code null} if a run with
     * the same idempotency key exists, or, with {@code ofLatest}, if the run's version is no
     * longer the workflow's latest or the workflow is paused (nothing is written then).
     * {@code limitRows} holds each step's row in the limits table (null entries for unlimited
     * steps), or is {@code null} for a run without limits.
     */
    Long insert(Jdbc jdbc, Connection c, NewRun run, String workflow, int taskCount, String params, long now,
                String channel, Long[] limitRows, boolean ofLatest) throws SQLException {
        boolean keyed = run.idempotencyKey() != null;
        if (keyed && (ofLatest || channel == null)) {
            throw new IllegalArgumentException("a run with an idempotency key is written with its wake-up and "
                    + "without a condition");
        }
        Object[] runValues = ofLatest
                ? new Object[]{run.workflowVersionId(), workflow, run.triggeredBy(), params, null, taskCount, now,
                        run.workflowVersionId(), workflow, workflow}
                : new Object[]{run.workflowVersionId(), workflow, run.triggeredBy(), params, run.idempotencyKey(),
                        taskCount, now};
        Rows rows = new Rows(run.steps(), now);
        Long[] id = {null};
        if (postgres) {
            Object[] args = new Object[runValues.length + (channel != null ? 14 : 13)];
            System.arraycopy(runValues, 0, args, 0, runValues.length);
            int k = runValues.length;
            args[k++] = rows.stepIndex.toArray(Integer[]::new);
            args[k++] = rows.stepName.toArray(String[]::new);
            args[k++] = rows.stepTasks.toArray(Integer[]::new);
            args[k++] = rows.stepDeps.toArray(Integer[]::new);
            args[k++] = rows.stepStatus.toArray(String[]::new);
            args[k++] = rows.depFrom.toArray(Integer[]::new);
            args[k++] = rows.depTo.toArray(Integer[]::new);
            args[k++] = rows.stepIndex.toArray(Integer[]::new);
            args[k++] = rows.stepTasks.toArray(Integer[]::new);
            args[k++] = rows.taskStatus.toArray(String[]::new);
            args[k++] = rows.readyAt.toArray(Long[]::new);
            args[k++] = rows.executor.toArray(String[]::new);
            args[k++] = limitRows != null ? limitRows : new Long[rows.stepIndex.size()];
            Stmt statement;
            if (channel != null) {
                args[k] = channel;
                statement = ofLatest ? pgCreateOfLatest : keyed ? pgCreateKeyed : pgCreate;
            } else {
                statement = ofLatest ? pgCreateOfLatestQuiet : pgCreateQuiet;
            }
            jdbc.query(c, statement, args, rs -> id[0] = rs.getLong(1));
            return id[0];
        }
        jdbc.query(c, ofLatest ? sqliteRunOfLatest : keyed ? sqliteRunKeyed : sqliteRun, runValues,
                rs -> id[0] = rs.getLong(1));
        if (id[0] == null) {
            return null;
        }
        long runId = id[0];
        List<Object[]> stepRows = new ArrayList<>();
        List<Object[]> taskRows = new ArrayList<>();
        for (int i = 0; i < rows.stepIndex.size(); i++) {
            stepRows.add(new Object[]{runId, i, rows.stepName.get(i), rows.stepTasks.get(i), rows.stepDeps.get(i),
                    rows.stepStatus.get(i)});
            taskRows.add(new Object[]{rows.stepTasks.get(i), runId, i, rows.taskStatus.get(i), rows.readyAt.get(i),
                    rows.executor.get(i), limitRows == null ? null : limitRows[i]});
        }
        List<Object[]> depRows = new ArrayList<>();
        for (int i = 0; i < rows.depFrom.size(); i++) {
            depRows.add(new Object[]{runId, rows.depFrom.get(i), rows.depTo.get(i)});
        }
        jdbc.batch(c, sqliteSteps, stepRows);
        jdbc.batch(c, sqliteDeps, depRows);
        jdbc.batch(c, sqliteTasks, taskRows);
        return runId;
    }

    /** A run's steps as columns: one entry per step, and one per dependency edge. */
    private static final class Rows {
        final List<Integer> stepIndex = new ArrayList<>();
        final List<String> stepName = new ArrayList<>();
        final List<Integer> stepTasks = new ArrayList<>();
        final List<Integer> stepDeps = new ArrayList<>();
        final List<String> stepStatus = new ArrayList<>();
        final List<String> taskStatus = new ArrayList<>();
        final List<Long> readyAt = new ArrayList<>();
        final List<String> executor = new ArrayList<>();
        final List<Integer> depFrom = new ArrayList<>();
        final List<Integer> depTo = new ArrayList<>();

        Rows(List<NewStep> steps, long now) {
            for (int i = 0; i < steps.size(); i++) {
                NewStep s = steps.get(i);
                Set<Integer> deps = new LinkedHashSet<>(s.dependsOn());
                boolean waiting = !deps.isEmpty();
                stepIndex.add(i);
                stepName.add(s.name());
                stepTasks.add(s.taskCount());
                stepDeps.add(deps.size());
                stepStatus.add(waiting ? Statuses.STEP_WAITING : Statuses.STEP_READY);
                taskStatus.add(waiting ? TaskStatus.WAITING.name() : TaskStatus.PENDING.name());
                readyAt.add(waiting ? null : now);
                executor.add(s.executor());
                for (int d : deps) {
                    depFrom.add(d);
                    depTo.add(i);
                }
            }
        }
    }
}
