package dev.orchestrator.jdbc.internal;

import dev.orchestrator.TaskStatus;
import org.jooq.DSLContext;
import org.jooq.impl.DSL;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

import static dev.orchestrator.jdbc.internal.Col.DEPENDS_ON;
import static dev.orchestrator.jdbc.internal.Col.DEPS_PENDING;
import static dev.orchestrator.jdbc.internal.Col.FINISHED;
import static dev.orchestrator.jdbc.internal.Col.FINISHED_AT;
import static dev.orchestrator.jdbc.internal.Col.READY_AT;
import static dev.orchestrator.jdbc.internal.Col.RUN_ID;
import static dev.orchestrator.jdbc.internal.Col.STATUS;
import static dev.orchestrator.jdbc.internal.Col.STEP_INDEX;
import static dev.orchestrator.jdbc.internal.Col.TASK_COUNT;

/**
 * What happens when steps end: a succeeded step releases each dependent step whose last pending
 * dependency it was ({@code WAITING -> PENDING}, set-based per step); a failed or skipped step skips
 * its waiting dependents and, transitively, theirs. Runs once per ended step, not per task.
 */
final class StepCascade {

    private final Tables t;
    private final Jdbc jdbc;
    private final DialectSupport dialect;
    /** The dependency edges of a set of runs: one text for any number of runs, so it is prepared once. */
    private final Stmt dependents;

    /** The cascade over {@code tables}; its hot read rendered with {@code r} and run by {@code jdbc}. */
    public StepCascade(Tables tables, DSLContext r, Jdbc jdbc, DialectSupport dialect) {
        this.t = tables;
        this.jdbc = jdbc;
        this.dialect = dialect;
        this.dependents = Stmt.of(r, r.select(RUN_ID, DEPENDS_ON, STEP_INDEX).from(t.stepDeps)
                .where(dialect.idIn(RUN_ID)), 1);
    }

    /**
     * Propagates the end of {@code ended} steps (value: whether the step succeeded).
     *
     * @return per run, the tasks skipped in this cascade (to add to the run's counters)
     */
    public Map<Long, Counters> propagate(DSLContext ctx, Connection c, Map<StepKey, Boolean> ended, long now)
            throws SQLException {
        Map<Long, Counters> skippedPerRun = new HashMap<>();
        Map<StepKey, List<Integer>> dependents = dependents(c, ended.keySet());
        Deque<Map.Entry<StepKey, Boolean>> queue = new ArrayDeque<>(ended.entrySet());
        while (!queue.isEmpty()) {
            var e = queue.poll();
            StepKey step = e.getKey();
            for (int d : dependents.getOrDefault(step, List.of())) {
                StepKey dependent = new StepKey(step.runId(), d);
                if (e.getValue()) {
                    release(ctx, dependent, now);
                } else {
                    Integer skipped = skip(ctx, dependent, now);
                    if (skipped != null) {
                        skippedPerRun.computeIfAbsent(step.runId(), k -> new Counters()).finished += skipped;
                        queue.add(Map.entry(dependent, false));
                    }
                }
            }
        }
        return skippedPerRun;
    }

    private Map<StepKey, List<Integer>> dependents(Connection c, Collection<StepKey> steps) throws SQLException {
        Map<StepKey, List<Integer>> map = new HashMap<>();
        List<Long> runIds = new ArrayList<>(new TreeSet<>(steps.stream().map(StepKey::runId).toList()));
        for (int from = 0; from < runIds.size(); from += ClaimQueries.CHUNK) {
            Object ids = dialect.ids(runIds.subList(from, Math.min(runIds.size(), from + ClaimQueries.CHUNK)));
            jdbc.query(c, dependents, new Object[]{ids}, rs -> map.computeIfAbsent(
                    new StepKey(rs.getLong(1), rs.getInt(2)), k -> new ArrayList<>()).add(rs.getInt(3)));
        }
        return map;
    }

    private void release(DSLContext ctx, StepKey step, long now) {
        var left = ctx.update(t.runSteps)
                .set(DEPS_PENDING, DEPS_PENDING.minus(DSL.inline(1)))
                .set(STATUS, DSL.when(DEPS_PENDING.eq(DSL.inline(1)), Statuses.lit(Statuses.STEP_READY))
                        .otherwise(STATUS))
                .where(RUN_ID.eq(step.runId())).and(STEP_INDEX.eq(step.stepIndex()))
                .and(STATUS.eq(Statuses.lit(Statuses.STEP_WAITING)))
                .returningResult(STATUS)
                .fetchOptional();
        if (left.isPresent() && Statuses.STEP_READY.equals(left.get().value1())) {
            ctx.update(t.tasks).set(STATUS, Statuses.lit(TaskStatus.PENDING)).set(READY_AT, now)
                    .where(RUN_ID.eq(step.runId())).and(STEP_INDEX.eq(step.stepIndex()))
                    .and(STATUS.eq(Statuses.lit(TaskStatus.WAITING)))
                    .execute();
            WakeNotifier.readyNow(ctx);
        }
    }

    /** Skips a waiting step and its tasks; returns its task count, or {@code null} if it was not waiting. */
    private Integer skip(DSLContext ctx, StepKey step, long now) {
        var skipped = ctx.update(t.runSteps)
                .set(STATUS, Statuses.lit(Statuses.STEP_SKIPPED))
                .set(FINISHED, TASK_COUNT)
                .where(RUN_ID.eq(step.runId())).and(STEP_INDEX.eq(step.stepIndex()))
                .and(STATUS.eq(Statuses.lit(Statuses.STEP_WAITING)))
                .returningResult(TASK_COUNT)
                .fetchOptional();
        if (skipped.isEmpty()) {
            return null;
        }
        ctx.update(t.tasks).set(STATUS, Statuses.lit(TaskStatus.SKIPPED)).set(FINISHED_AT, now)
                .where(RUN_ID.eq(step.runId())).and(STEP_INDEX.eq(step.stepIndex()))
                .and(STATUS.eq(Statuses.lit(TaskStatus.WAITING)))
                .execute();
        return skipped.get().value1();
    }
}
