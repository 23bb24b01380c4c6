package dev.orchestrator.jdbc.internal;

import dev.orchestrator.AttemptOutcome;
import dev.orchestrator.RunStatus;
import dev.orchestrator.TaskStatus;
import dev.orchestrator.spi.TaskUpdate;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.impl.DSL;
import org.jooq.impl.SQLDataType;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static dev.orchestrator.jdbc.internal.Col.ATTEMPT;
import static dev.orchestrator.jdbc.internal.Col.EXECUTION_NAME;
import static dev.orchestrator.jdbc.internal.Col.EXIT_CODE;
import static dev.orchestrator.jdbc.internal.Col.ERROR;
import static dev.orchestrator.jdbc.internal.Col.FAILED;
import static dev.orchestrator.jdbc.internal.Col.FINISHED;
import static dev.orchestrator.jdbc.internal.Col.FINISHED_AT;
import static dev.orchestrator.jdbc.internal.Col.HEARTBEAT_AT;
import static dev.orchestrator.jdbc.internal.Col.ID;
import static dev.orchestrator.jdbc.internal.Col.OUTCOME;
import static dev.orchestrator.jdbc.internal.Col.OUTPUT_REF;
import static dev.orchestrator.jdbc.internal.Col.OUTPUT_TAIL;
import static dev.orchestrator.jdbc.internal.Col.OWNER;
import static dev.orchestrator.jdbc.internal.Col.READY_AT;
import static dev.orchestrator.jdbc.internal.Col.RUN_ID;
import static dev.orchestrator.jdbc.internal.Col.STATUS;
import static dev.orchestrator.jdbc.internal.Col.STEP_INDEX;
import static dev.orchestrator.jdbc.internal.Col.SUCCEEDED;
import static dev.orchestrator.jdbc.internal.Col.TASK_COUNT;
import static dev.orchestrator.jdbc.internal.Col.TASK_ID;

/**
 * Writes a batch of attempt updates in the caller's transaction: one JDBC batch per statement
 * shape, guarded by attempt and status; counter deltas summed in Java and written once per step
 * and per run; step and run ends detected from the counters.
 */
public final class UpdateApplier {

    private final Tables t;
    private final StepCascade cascade;
    private final TaskWriter writer;
    private final Stmt stepCounters;
    private final Stmt stepEnd;
    private final Stmt runCounters;
    private final Stmt runEnd;

    /** Statements for {@code tables}, rendered once with {@code r}; task rows written by {@code writer}. */
    public UpdateApplier(Tables tables, DSLContext r, TaskWriter writer) {
        this.t = tables;
        this.cascade = new StepCascade(tables);
        this.writer = writer;
        stepCounters = Stmt.of(r, r.update(t.runSteps)
                .set(FINISHED, FINISHED.plus(DSL.param(SQLDataType.INTEGER)))
                .set(SUCCEEDED, SUCCEEDED.plus(DSL.param(SQLDataType.INTEGER)))
                .set(FAILED, FAILED.plus(DSL.param(SQLDataType.INTEGER)))
                .where(RUN_ID.eq(DSL.param(SQLDataType.BIGINT))).and(STEP_INDEX.eq(DSL.param(SQLDataType.INTEGER))),
                5);
        stepEnd = Stmt.of(r, r.update(t.runSteps)
                .set(STATUS, DSL.param(SQLDataType.VARCHAR))
                .where(RUN_ID.eq(DSL.param(SQLDataType.BIGINT))).and(STEP_INDEX.eq(DSL.param(SQLDataType.INTEGER)))
                .and(STATUS.eq(Statuses.lit(Statuses.STEP_READY))), 3);
        runCounters = Stmt.of(r, r.update(t.runs)
                .set(FINISHED, FINISHED.plus(DSL.param(SQLDataType.INTEGER)))
                .set(SUCCEEDED, SUCCEEDED.plus(DSL.param(SQLDataType.INTEGER)))
                .set(FAILED, FAILED.plus(DSL.param(SQLDataType.INTEGER)))
                .where(ID.eq(DSL.param(SQLDataType.BIGINT))), 4);
        runEnd = Stmt.of(r, r.update(t.runs)
                .set(STATUS, DSL.param(SQLDataType.VARCHAR))
                .set(FINISHED_AT, DSL.param(SQLDataType.BIGINT))
                .where(ID.eq(DSL.param(SQLDataType.BIGINT)))
                .and(STATUS.in(Statuses.lit(RunStatus.PENDING), Statuses.lit(RunStatus.RUNNING))), 3);
    }

    /** Applies {@code updates}; returns the ids of the runs that ended. */
    public List<Long> apply(DSLContext ctx, Connection c, List<TaskUpdate> updates, long now) throws SQLException {
        List<TaskUpdate> running = new ArrayList<>();
        List<TaskUpdate> heartbeats = new ArrayList<>();
        List<TaskUpdate> ended = new ArrayList<>();
        for (TaskUpdate u : updates) {
            if (u == null || u.kind() == null) {
                throw new IllegalArgumentException("updates must not contain null updates or kinds");
            }
            switch (u.kind()) {
                case RUNNING -> running.add(u);
                case HEARTBEAT -> heartbeats.add(u);
                case ENDED -> {
                    if (u.outcome() == null || u.outcome() == AttemptOutcome.RUNNING) {
                        throw new IllegalArgumentException("ENDED update of task " + u.taskId()
                                + " must have an ended outcome, got " + u.outcome());
                    }
                    ended.add(u);
                }
            }
        }
        applyRunning(ctx, c, running, now);
        applyHeartbeats(ctx, c, heartbeats, now);
        if (ended.isEmpty()) {
            return List.of();
        }
        Map<StepKey, Counters> stepDeltas = applyEnded(ctx, c, ended, now);
        if (stepDeltas.isEmpty()) {
            return List.of();
        }
        return applyCounters(ctx, c, stepDeltas, now);
    }

    private void applyRunning(DSLContext ctx, Connection c, List<TaskUpdate> running, long now)
            throws SQLException {
        if (running.isEmpty()) {
            return;
        }
        running.sort(Comparator.comparingLong(TaskUpdate::taskId));
        boolean[] applied = writer.running(ctx, c, running, now);
        writer.attemptsRunning(ctx, c, select(running, applied));
    }

    private void applyHeartbeats(DSLContext ctx, Connection c, List<TaskUpdate> heartbeats, long now)
            throws SQLException {
        if (heartbeats.isEmpty()) {
            return;
        }
        heartbeats.sort(Comparator.comparingLong(TaskUpdate::taskId));
        writer.heartbeats(ctx, c, heartbeats, now);
    }

    private static List<TaskUpdate> select(List<TaskUpdate> updates, boolean[] applied) {
        List<TaskUpdate> selected = new ArrayList<>();
        for (int i = 0; i < applied.length; i++) {
            if (applied[i]) {
                selected.add(updates.get(i));
            }
        }
        return selected;
    }

    /** Ends or requeues tasks; returns the counter deltas of the tasks that ended. */
    private Map<StepKey, Counters> applyEnded(DSLContext ctx, Connection c, List<TaskUpdate> ended, long now)
            throws SQLException {
        ended.sort(Comparator.comparingLong(TaskUpdate::taskId));
        List<TaskUpdate> finals = new ArrayList<>();
        List<TaskUpdate> retries = new ArrayList<>();
        for (TaskUpdate u : ended) {
            (u.retryAt() != null && u.outcome() != AttemptOutcome.SUCCEEDED ? retries : finals).add(u);
        }
        List<String> statuses = finals.stream().map(u -> taskStatus(u.outcome()).name()).toList();
        List<TaskUpdate> appliedFinals = select(finals, writer.end(ctx, c, finals, statuses, now));
        List<TaskUpdate> appliedRetries = select(retries, writer.retry(ctx, c, retries));
        List<TaskUpdate> endedAttempts = new ArrayList<>(appliedFinals);
        endedAttempts.addAll(appliedRetries);
        writer.attemptsEnded(ctx, c, endedAttempts, now);
        if (appliedFinals.isEmpty()) {
            return Map.of();
        }
        Map<Long, StepKey> steps = stepsOf(ctx, appliedFinals);
        Map<StepKey, Counters> deltas = new TreeMap<>();
        for (TaskUpdate u : appliedFinals) {
            TaskStatus s = taskStatus(u.outcome());
            deltas.computeIfAbsent(steps.get(u.taskId()), k -> new Counters())
                    .add(s == TaskStatus.SUCCEEDED, s == TaskStatus.FAILED);
        }
        return deltas;
    }

    private List<Long> applyCounters(DSLContext ctx, Connection c, Map<StepKey, Counters> stepDeltas, long now)
            throws SQLException {
        List<Object[]> stepRows = new ArrayList<>(stepDeltas.size());
        Map<Long, Counters> runDeltas = new TreeMap<>();
        stepDeltas.forEach((k, d) -> {
            stepRows.add(new Object[]{d.finished, d.succeeded, d.failed, k.runId(), k.stepIndex()});
            runDeltas.computeIfAbsent(k.runId(), x -> new Counters()).add(d);
        });
        JdbcBatch.run(c, stepCounters.sql(), stepRows);

        Map<StepKey, Boolean> endedSteps = endSteps(ctx, c, runDeltas.keySet().stream().toList());
        if (!endedSteps.isEmpty()) {
            cascade.propagate(ctx, endedSteps, now)
                    .forEach((runId, skipped) -> runDeltas.computeIfAbsent(runId, x -> new Counters()).add(skipped));
        }

        List<Object[]> runRows = new ArrayList<>(runDeltas.size());
        runDeltas.forEach((id, d) -> runRows.add(new Object[]{d.finished, d.succeeded, d.failed, id}));
        JdbcBatch.run(c, runCounters.sql(), runRows);
        return endRuns(ctx, c, runDeltas.keySet().stream().toList(), now);
    }

    /** Marks the steps of {@code runIds} whose tasks have all ended; returns them with their success. */
    private Map<StepKey, Boolean> endSteps(DSLContext ctx, Connection c, List<Long> runIds) throws SQLException {
        Map<StepKey, Boolean> candidates = new LinkedHashMap<>();
        for (int from = 0; from < runIds.size(); from += ClaimQueries.CHUNK) {
            ctx.select(RUN_ID, STEP_INDEX, SUCCEEDED, TASK_COUNT).from(t.runSteps)
                    .where(RUN_ID.in(runIds.subList(from, Math.min(runIds.size(), from + ClaimQueries.CHUNK))))
                    .and(STATUS.eq(Statuses.lit(Statuses.STEP_READY)))
                    .and(FINISHED.eq(TASK_COUNT))
                    .orderBy(RUN_ID, STEP_INDEX)
                    .forEach(r -> candidates.put(new StepKey(r.value1(), r.value2()),
                            r.value3().intValue() == r.value4().intValue()));
        }
        if (candidates.isEmpty()) {
            return Map.of();
        }
        List<StepKey> keys = new ArrayList<>(candidates.keySet());
        List<Object[]> rows = new ArrayList<>(keys.size());
        for (StepKey k : keys) {
            rows.add(new Object[]{candidates.get(k) ? Statuses.STEP_SUCCEEDED : Statuses.STEP_FAILED, k.runId(),
                    k.stepIndex()});
        }
        int[] counts = JdbcBatch.run(c, stepEnd.sql(), rows);
        Map<StepKey, Boolean> ended = new LinkedHashMap<>();
        for (int i = 0; i < counts.length; i++) {
            if (JdbcBatch.applied(counts[i])) {
                ended.put(keys.get(i), candidates.get(keys.get(i)));
            }
        }
        return ended;
    }

    /** Ends the runs of {@code runIds} whose tasks have all ended; returns their ids. */
    private List<Long> endRuns(DSLContext ctx, Connection c, List<Long> runIds, long now) throws SQLException {
        List<Object[]> rows = new ArrayList<>();
        List<Long> candidates = new ArrayList<>();
        for (int from = 0; from < runIds.size(); from += ClaimQueries.CHUNK) {
            ctx.select(ID, SUCCEEDED, TASK_COUNT).from(t.runs)
                    .where(ID.in(runIds.subList(from, Math.min(runIds.size(), from + ClaimQueries.CHUNK))))
                    .and(FINISHED.eq(TASK_COUNT))
                    .and(STATUS.in(Statuses.lit(RunStatus.PENDING), Statuses.lit(RunStatus.RUNNING)))
                    .orderBy(ID)
                    .forEach(r -> {
                        RunStatus s = r.value2().intValue() == r.value3().intValue()
                                ? RunStatus.SUCCEEDED : RunStatus.FAILED;
                        candidates.add(r.value1());
                        rows.add(new Object[]{s.name(), now, r.value1()});
                    });
        }
        int[] counts = JdbcBatch.run(c, runEnd.sql(), rows);
        List<Long> ended = new ArrayList<>();
        for (int i = 0; i < counts.length; i++) {
            if (JdbcBatch.applied(counts[i])) {
                ended.add(candidates.get(i));
            }
        }
        return ended;
    }

    private Map<Long, StepKey> stepsOf(DSLContext ctx, List<TaskUpdate> updates) {
        List<Long> ids = updates.stream().map(TaskUpdate::taskId).distinct().toList();
        Map<Long, StepKey> steps = new HashMap<>();
        for (int from = 0; from < ids.size(); from += ClaimQueries.CHUNK) {
            ctx.select(ID, RUN_ID, STEP_INDEX).from(t.tasks)
                    .where(ID.in(ids.subList(from, Math.min(ids.size(), from + ClaimQueries.CHUNK))))
                    .forEach(r -> steps.put(r.value1(), new StepKey(r.value2(), r.value3())));
        }
        return steps;
    }

    private static TaskStatus taskStatus(AttemptOutcome outcome) {
        return switch (outcome) {
            case SUCCEEDED -> TaskStatus.SUCCEEDED;
            case CANCELLED -> TaskStatus.CANCELLED;
            case FAILED, TIMED_OUT, LOST -> TaskStatus.FAILED;
            case RUNNING -> throw new IllegalArgumentException("outcome RUNNING has not ended");
        };
    }
}
