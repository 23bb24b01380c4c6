package dev.orchestrator.jdbc.internal;

import dev.orchestrator.TaskStatus;
import org.jooq.DSLContext;
import org.jooq.impl.DSL;

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

    /** The cascade over {@code tables}. */
    public StepCascade(Tables tables) {
        this.t = tables;
    }

    /**
     * Propagates the end of {@code ended} steps (value: whether the step succeeded).
     *
     * @return per run, the tasks skipped in this cascade (to add to the run's counters)
     */
    public Map<Long, Counters> propagate(DSLContext ctx, Map<StepKey, Boolean> ended, long now) {
        Map<Long, Counters> skippedPerRun = new HashMap<>();
        Map<StepKey, List<Integer>> dependents = dependents(ctx, ended.keySet());
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

    private Map<StepKey, List<Integer>> dependents(DSLContext ctx, Collection<StepKey> steps) {
        Map<StepKey, List<Integer>> map = new HashMap<>();
        List<Long> runIds = new ArrayList<>(new TreeSet<>(steps.stream().map(StepKey::runId).toList()));
        for (int from = 0; from < runIds.size(); from += ClaimQueries.CHUNK) {
            ctx.select(RUN_ID, DEPENDS_ON, STEP_INDEX).from(t.stepDeps)
                    .where(RUN_ID.in(runIds.subList(from, Math.min(runIds.size(), from + ClaimQueries.CHUNK))))
                    .forEach(r -> map.computeIfAbsent(new StepKey(r.value1(), r.value2()), k -> new ArrayList<>())
                            .add(r.value3()));
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
