package dev.orchestrator.jdbc.internal;

import dev.orchestrator.AttemptOutcome;
import dev.orchestrator.RunStatus;
import dev.orchestrator.TaskStatus;
import dev.orchestrator.spi.CancelOutcome;
import dev.orchestrator.spi.TaskUpdate;
import org.jooq.DSLContext;
import org.jooq.impl.DSL;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Cancel, re-run and pause, each in the caller's transaction. Tasks that never started are
 * cancelled through the ordinary update path (a claim by the pseudo-node {@value #CANCELLER},
 * then an ended {@code CANCELLED} attempt), so counters, step ends and the run's end follow the
 * same rules as everywhere else; running tasks get a cancel request their owner acts on.
 */
final class RunControl {

    /** The node name on the attempt rows of tasks cancelled before they started. */
    static final String CANCELLER = "~cancel";

    private final Tables t;
    private final UpdateApplier updates;

    RunControl(Tables tables, UpdateApplier updates) {
        this.t = tables;
        this.updates = updates;
    }

    /** Cancels a run; see {@code Store.cancelRun}. */
    CancelOutcome cancelRun(DSLContext ctx, Connection c, long runId, long now) throws SQLException {
        String status = ctx.select(Col.STATUS).from(t.runs).where(Col.ID.eq(runId)).fetchOne(Col.STATUS);
        if (status == null) {
            return CancelOutcome.missing();
        }
        if (RunStatus.valueOf(status).isTerminal()) {
            return CancelOutcome.unchanged(status);
        }
        ctx.update(t.runs).set(Col.CANCEL_REQUESTED, true).where(Col.ID.eq(runId)).execute();
        // Steps still waiting end as cancelled; a failing upstream step then finds nothing to skip.
        ctx.update(t.runSteps).set(Col.STATUS, Statuses.lit(Statuses.STEP_CANCELLED))
                .where(Col.RUN_ID.eq(runId)).and(Col.STATUS.eq(Statuses.lit(Statuses.STEP_WAITING))).execute();
        List<Long> unstarted = ctx.select(Col.ID).from(t.tasks).where(Col.RUN_ID.eq(runId))
                .and(Col.STATUS.in(Statuses.lit(TaskStatus.PENDING), Statuses.lit(TaskStatus.WAITING)))
                .fetch(Col.ID);
        int cancelled = cancelUnstarted(ctx, c, unstarted, now);
        int stopping = ctx.update(t.tasks).set(Col.CANCEL_REQUESTED, true)
                .where(Col.RUN_ID.eq(runId)).and(Statuses.inFlight(Col.STATUS)).execute();
        String after = ctx.select(Col.STATUS).from(t.runs).where(Col.ID.eq(runId)).fetchOne(Col.STATUS);
        return new CancelOutcome(true, true, status, after, cancelled, stopping);
    }

    /** Cancels one task; see {@code Store.cancelTask}. */
    CancelOutcome cancelTask(DSLContext ctx, Connection c, long taskId, long now) throws SQLException {
        String status = ctx.select(Col.STATUS).from(t.tasks).where(Col.ID.eq(taskId)).fetchOne(Col.STATUS);
        if (status == null) {
            return CancelOutcome.missing();
        }
        TaskStatus s = TaskStatus.valueOf(status);
        if (s == TaskStatus.PENDING || s == TaskStatus.WAITING) {
            int n = cancelUnstarted(ctx, c, List.of(taskId), now);
            return new CancelOutcome(true, n > 0, status, TaskStatus.CANCELLED.name(), n, 0);
        }
        if (s == TaskStatus.DISPATCHED || s == TaskStatus.RUNNING) {
            int n = ctx.update(t.tasks).set(Col.CANCEL_REQUESTED, true).where(Col.ID.eq(taskId))
                    .and(Statuses.inFlight(Col.STATUS)).execute();
            return new CancelOutcome(true, n > 0, status, status, 0, n);
        }
        return CancelOutcome.unchanged(status);
    }

    /** Tasks in flight that {@code nodeId} must stop, with their attempts. */
    Map<Long, Integer> cancelRequested(DSLContext ctx, String nodeId) {
        Map<Long, Integer> out = new HashMap<>();
        ctx.select(Col.ID, Col.ATTEMPT).from(t.tasks).where(Col.OWNER.eq(nodeId))
                .and(Col.CANCEL_REQUESTED.isTrue()).and(Statuses.inFlight(Col.STATUS))
                .forEach(r -> out.put(r.value1(), r.value2()));
        return out;
    }

    /**
     * Moves never-started tasks to {@code CANCELLED} through the usual update path: WAITING ones
     * become PENDING, all are claimed by {@value #CANCELLER}, and their attempts end CANCELLED.
     */
    private int cancelUnstarted(DSLContext ctx, Connection c, List<Long> taskIds, long now) throws SQLException {
        if (taskIds.isEmpty()) {
            return 0;
        }
        List<TaskUpdate> ends = new ArrayList<>(taskIds.size());
        for (int from = 0; from < taskIds.size(); from += ClaimQueries.CHUNK) {
            List<Long> chunk = taskIds.subList(from, Math.min(taskIds.size(), from + ClaimQueries.CHUNK));
            var claimed = ctx.update(t.tasks)
                    .set(Col.STATUS, Statuses.lit(TaskStatus.DISPATCHED))
                    .set(Col.OWNER, CANCELLER)
                    .set(Col.ATTEMPT, Col.ATTEMPT.plus(DSL.inline(1)))
                    .set(Col.STARTED_AT, now)
                    .where(Col.ID.in(chunk))
                    .and(Col.STATUS.in(Statuses.lit(TaskStatus.PENDING), Statuses.lit(TaskStatus.WAITING)))
                    .returningResult(Col.ID, Col.ATTEMPT)
                    .fetch();
            for (var r : claimed) {
                ctx.insertInto(t.attempts, Col.TASK_ID, Col.ATTEMPT, Col.OUTCOME, Col.NODE, Col.STARTED_AT)
                        .values(r.value1(), r.value2(), AttemptOutcome.RUNNING.name(), CANCELLER, now).execute();
                ends.add(TaskUpdate.ended(r.value1(), r.value2(), AttemptOutcome.CANCELLED, null,
                        "cancelled before it started", null, null));
            }
        }
        updates.apply(ctx, c, ends, now);
        return ends.size();
    }

    /** Starts the failed, cancelled and skipped tasks of an ended run again; see {@code Store.retryRun}. */
    int retryRun(DSLContext ctx, long runId, long now) {
        int again = ctx.update(t.tasks)
                .set(Col.STATUS, Statuses.lit(TaskStatus.WAITING))
                .set(Col.READY_AT, DSL.castNull(Col.READY_AT.getDataType()))
                .set(Col.OWNER, DSL.castNull(Col.OWNER.getDataType()))
                .set(Col.EXECUTION_NAME, DSL.castNull(Col.EXECUTION_NAME.getDataType()))
                .set(Col.HEARTBEAT_AT, DSL.castNull(Col.HEARTBEAT_AT.getDataType()))
                .set(Col.FINISHED_AT, DSL.castNull(Col.FINISHED_AT.getDataType()))
                .set(Col.CANCEL_REQUESTED, false)
                .where(Col.RUN_ID.eq(runId))
                .and(Col.STATUS.in(Statuses.lit(TaskStatus.FAILED), Statuses.lit(TaskStatus.CANCELLED),
                        Statuses.lit(TaskStatus.SKIPPED)))
                .execute();
        if (again == 0) {
            return 0;
        }
        // Succeeded tasks per step: each step is done, ready (its upstream steps succeeded) or waiting.
        Map<Integer, Integer> succeeded = new HashMap<>();
        ctx.select(Col.STEP_INDEX, DSL.count()).from(t.tasks).where(Col.RUN_ID.eq(runId))
                .and(Col.STATUS.eq(Statuses.lit(TaskStatus.SUCCEEDED))).groupBy(Col.STEP_INDEX)
                .forEach(r -> succeeded.put(r.value1(), r.value2()));
        Map<Integer, Integer> taskCounts = new HashMap<>();
        ctx.select(Col.STEP_INDEX, Col.TASK_COUNT).from(t.runSteps).where(Col.RUN_ID.eq(runId))
                .forEach(r -> taskCounts.put(r.value1(), r.value2()));
        Map<Integer, List<Integer>> deps = new HashMap<>();
        ctx.select(Col.STEP_INDEX, Col.DEPENDS_ON).from(t.stepDeps).where(Col.RUN_ID.eq(runId))
                .forEach(r -> deps.computeIfAbsent(r.value1(), k -> new ArrayList<>()).add(r.value2()));
        int done = 0;
        for (var e : taskCounts.entrySet()) {
            int step = e.getKey();
            int ok = succeeded.getOrDefault(step, 0);
            done += ok;
            int pending = (int) deps.getOrDefault(step, List.of()).stream()
                    .filter(d -> succeeded.getOrDefault(d, 0) < taskCounts.get(d)).count();
            String stepStatus = ok == e.getValue() ? Statuses.STEP_SUCCEEDED
                    : pending == 0 ? Statuses.STEP_READY : Statuses.STEP_WAITING;
            ctx.update(t.runSteps).set(Col.FINISHED, ok).set(Col.SUCCEEDED, ok).set(Col.FAILED, 0)
                    .set(Col.DEPS_PENDING, pending).set(Col.STATUS, Statuses.lit(stepStatus))
                    .where(Col.RUN_ID.eq(runId)).and(Col.STEP_INDEX.eq(step)).execute();
            if (Statuses.STEP_READY.equals(stepStatus)) {
                ctx.update(t.tasks).set(Col.STATUS, Statuses.lit(TaskStatus.PENDING)).set(Col.READY_AT, now)
                        .where(Col.RUN_ID.eq(runId)).and(Col.STEP_INDEX.eq(step))
                        .and(Col.STATUS.eq(Statuses.lit(TaskStatus.WAITING))).execute();
            }
        }
        ctx.update(t.runs).set(Col.STATUS, Statuses.lit(RunStatus.RUNNING)).set(Col.FINISHED, done)
                .set(Col.SUCCEEDED, done).set(Col.FAILED, 0).set(Col.CANCEL_REQUESTED, false)
                .set(Col.FINISHED_AT, DSL.castNull(Col.FINISHED_AT.getDataType()))
                .where(Col.ID.eq(runId)).execute();
        return again;
    }

    /** Deletes up to {@code limit} ended runs that finished before {@code before}, oldest first; returns their ids. */
    List<Long> prune(DSLContext ctx, long before, int limit) {
        List<Long> ids = ctx.select(Col.ID).from(t.runs)
                .where(Col.STATUS.in(Statuses.lit(RunStatus.SUCCEEDED), Statuses.lit(RunStatus.FAILED),
                        Statuses.lit(RunStatus.CANCELLED)))
                .and(Col.FINISHED_AT.lt(before))
                .orderBy(Col.ID).limit(limit)
                .fetch(Col.ID);
        if (ids.isEmpty()) {
            return ids;
        }
        ctx.deleteFrom(t.attempts).where(Col.TASK_ID.in(DSL.select(Col.ID).from(t.tasks).where(Col.RUN_ID.in(ids))))
                .execute();
        ctx.deleteFrom(t.tasks).where(Col.RUN_ID.in(ids)).execute();
        ctx.deleteFrom(t.stepDeps).where(Col.RUN_ID.in(ids)).execute();
        ctx.deleteFrom(t.runSteps).where(Col.RUN_ID.in(ids)).execute();
        ctx.deleteFrom(t.runs).where(Col.ID.in(ids)).execute();
        return ids;
    }

    /** Pauses or resumes a workflow by name; returns whether that changed anything. */
    boolean setPaused(DSLContext ctx, String workflow, boolean paused, long now) {
        if (paused) {
            return ctx.insertInto(t.pausedWorkflows, Col.NAME, Col.PAUSED_AT).values(workflow, now)
                    .onConflictDoNothing().execute() == 1;
        }
        return ctx.deleteFrom(t.pausedWorkflows).where(Col.NAME.eq(workflow)).execute() == 1;
    }

    boolean isPaused(DSLContext ctx, String workflow) {
        return ctx.fetchExists(t.pausedWorkflows, Col.NAME.eq(workflow));
    }
}
