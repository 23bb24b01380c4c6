package dev.orchestrator.jdbc.internal;

import dev.orchestrator.RunStatus;
import dev.orchestrator.TaskStatus;
import dev.orchestrator.spi.CreatedRun;
import dev.orchestrator.spi.NewRun;
import dev.orchestrator.spi.NewStep;
import dev.orchestrator.spi.RunRow;
import org.jooq.DSLContext;
import org.jooq.Record2;
import org.jooq.impl.DSL;
import org.jooq.impl.SQLDataType;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import static dev.orchestrator.jdbc.internal.Col.ID;
import static dev.orchestrator.jdbc.internal.Col.NAME;
import static dev.orchestrator.jdbc.internal.Col.VERSION;

/** Creates a run with its step rows, step dependencies and tasks, with batched inserts. */
final class RunCreator {

    private final Tables t;
    private final RunQueries runs;
    private final Stmt insertStep;
    private final Stmt insertDep;
    private final Stmt insertTask;
    private final LimitRows limits;

    /** Statements for {@code tables}, rendered once with {@code renderer}. */
    public RunCreator(Tables tables, RunQueries runs, DSLContext renderer) {
        this.t = tables;
        this.runs = runs;
        this.limits = new LimitRows(tables);
        this.insertStep = Stmt.of(renderer, renderer.insertInto(t.runSteps, Col.RUN_ID, Col.STEP_INDEX, Col.NAME,
                        Col.TASK_COUNT, Col.DEPS_PENDING, Col.STATUS)
                .values(DSL.param(SQLDataType.BIGINT), DSL.param(SQLDataType.INTEGER), DSL.param(SQLDataType.VARCHAR),
                        DSL.param(SQLDataType.INTEGER), DSL.param(SQLDataType.INTEGER),
                        DSL.param(SQLDataType.VARCHAR)), 6);
        this.insertDep = Stmt.of(renderer, renderer.insertInto(t.stepDeps, Col.RUN_ID, Col.DEPENDS_ON, Col.STEP_INDEX)
                .values(DSL.param(SQLDataType.BIGINT), DSL.param(SQLDataType.INTEGER),
                        DSL.param(SQLDataType.INTEGER)), 3);
        this.insertTask = Stmt.of(renderer, renderer.insertInto(t.tasks, Col.RUN_ID, Col.STEP_INDEX, Col.TASK_INDEX,
                        Col.STATUS, Col.READY_AT, Col.EXECUTOR, Col.LIMIT_ID)
                .values(DSL.param(SQLDataType.BIGINT), DSL.param(SQLDataType.INTEGER), DSL.param(SQLDataType.INTEGER),
                        DSL.param(SQLDataType.VARCHAR), DSL.param(SQLDataType.BIGINT), DSL.param(SQLDataType.VARCHAR),
                        DSL.param(SQLDataType.BIGINT)), 7);
    }

    /** Checks {@code run} before anything is written. */
    public static void validate(NewRun run) {
        if (run == null) {
            throw new IllegalArgumentException("run must not be null");
        }
        if (run.triggeredBy() == null) {
            throw new IllegalArgumentException("run.triggeredBy must not be null");
        }
        List<NewStep> steps = run.steps();
        if (steps.isEmpty()) {
            throw new IllegalArgumentException("run.steps must not be empty");
        }
        for (int i = 0; i < steps.size(); i++) {
            NewStep s = steps.get(i);
            if (s.name() == null) {
                throw new IllegalArgumentException("run.steps[" + i + "].name must not be null");
            }
            if (s.taskCount() < 1) {
                throw new IllegalArgumentException(
                        "run.steps[" + i + "].taskCount must be at least 1, got " + s.taskCount());
            }
            for (int d : s.dependsOn()) {
                if (d < 0 || d >= steps.size() || d == i) {
                    throw new IllegalArgumentException("run.steps[" + i + "].dependsOn must name other steps "
                            + "(0 to " + (steps.size() - 1) + "), got " + d);
                }
            }
        }
        if (hasCycle(steps)) {
            throw new IllegalArgumentException("run.steps must not form a dependency cycle");
        }
    }

    /** Creates the run, or returns the one with the same idempotency key. */
    public CreatedRun create(DSLContext ctx, Connection c, NewRun run, long now) throws SQLException {
        Record2<String, Integer> wf = ctx.select(NAME, VERSION).from(t.workflows)
                .where(ID.eq(run.workflowVersionId())).fetchOne();
        if (wf == null) {
            throw new IllegalArgumentException(
                    "run.workflowVersionId must name a saved workflow version, got " + run.workflowVersionId());
        }
        String workflow = wf.value1();
        if (run.idempotencyKey() != null) {
            Optional<RunRow> existing = runs.findByKey(ctx, workflow, run.idempotencyKey());
            if (existing.isPresent()) {
                return new CreatedRun(existing.get(), false);
            }
        }
        // Limits first: a REFUSE limit throws before anything of the run is written.
        Long[] limitRows = run.limited() ? limits.record(ctx, workflow, run) : null;
        int taskCount = run.steps().stream().mapToInt(NewStep::taskCount).sum();
        var insert = ctx.insertInto(t.runs, Col.WORKFLOW_VERSION_ID, Col.WORKFLOW_NAME, Col.STATUS, Col.TRIGGERED_BY,
                        Col.PARAMS_JSON, Col.IDEMPOTENCY_KEY, Col.TASK_COUNT, Col.CREATED_AT)
                .values(run.workflowVersionId(), workflow, RunStatus.PENDING.name(), run.triggeredBy(),
                        ParamsCodec.encode(run.params()), run.idempotencyKey(), taskCount, now);
        Optional<Long> id = (run.idempotencyKey() == null ? insert.returningResult(ID)
                : insert.onConflict(Col.WORKFLOW_NAME, Col.IDEMPOTENCY_KEY).doNothing().returningResult(ID))
                .fetchOptional().map(r -> r.value1());
        if (id.isEmpty()) {
            // A concurrent call with the same key committed first.
            RunRow first = runs.findByKey(ctx, workflow, run.idempotencyKey()).orElseThrow(
                    () -> new IllegalStateException("run with idempotency key " + run.idempotencyKey()
                            + " conflicted but cannot be read"));
            return new CreatedRun(first, false);
        }
        long runId = id.get();
        insertSteps(c, runId, run.steps(), limitRows, now);
        RunRow row = new RunRow(runId, run.workflowVersionId(), workflow, wf.value2(), RunStatus.PENDING,
                run.triggeredBy(), run.params(), run.idempotencyKey(), taskCount, 0, 0, 0, Millis.at(now),
                null, null);
        return new CreatedRun(row, true);
    }

    private void insertSteps(Connection c, long runId, List<NewStep> steps, Long[] limitRows, long now)
            throws SQLException {
        List<Object[]> stepRows = new ArrayList<>(steps.size());
        List<Object[]> depRows = new ArrayList<>();
        List<Object[]> taskRows = new ArrayList<>();
        for (int i = 0; i < steps.size(); i++) {
            NewStep s = steps.get(i);
            Set<Integer> deps = new LinkedHashSet<>(s.dependsOn());
            boolean waiting = !deps.isEmpty();
            stepRows.add(new Object[]{runId, i, s.name(), s.taskCount(), deps.size(),
                    waiting ? Statuses.STEP_WAITING : Statuses.STEP_READY});
            for (int d : deps) {
                depRows.add(new Object[]{runId, d, i});
            }
            String status = waiting ? TaskStatus.WAITING.name() : TaskStatus.PENDING.name();
            Long readyAt = waiting ? null : now;
            Long limitRow = limitRows == null ? null : limitRows[i];
            for (int k = 0; k < s.taskCount(); k++) {
                taskRows.add(new Object[]{runId, i, k, status, readyAt, s.executor(), limitRow});
            }
        }
        JdbcBatch.run(c, insertStep.sql(), stepRows);
        JdbcBatch.run(c, insertDep.sql(), depRows);
        JdbcBatch.run(c, insertTask.sql(), taskRows);
    }

    private static boolean hasCycle(List<NewStep> steps) {
        int n = steps.size();
        int[] state = new int[n]; // 0 new, 1 on stack, 2 done
        for (int i = 0; i < n; i++) {
            if (state[i] == 0 && cycleFrom(i, steps, state)) {
                return true;
            }
        }
        return false;
    }

    private static boolean cycleFrom(int i, List<NewStep> steps, int[] state) {
        state[i] = 1;
        for (int d : steps.get(i).dependsOn()) {
            if (state[d] == 1 || (state[d] == 0 && cycleFrom(d, steps, state))) {
                return true;
            }
        }
        state[i] = 2;
        return false;
    }
}
