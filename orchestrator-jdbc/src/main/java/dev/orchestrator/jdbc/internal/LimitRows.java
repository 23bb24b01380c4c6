package dev.orchestrator.jdbc.internal;

import dev.orchestrator.ConcurrencyLimitException;
import dev.orchestrator.ConcurrencyPolicy;
import dev.orchestrator.RunStatus;
import dev.orchestrator.spi.NewRun;
import dev.orchestrator.spi.NewStep;
import org.jooq.DSLContext;
import org.jooq.impl.DSL;

import java.util.List;

/**
 * The {@code limits} table as a run is created: a limited run writes its workflow's row (its run
 * limit, and the row limited claims lock) and one row per limited step name, with the limits of
 * this run's version, and says under which row each of its tasks is counted. A REFUSE limit is
 * checked here, after the workflow's row is written and so locked: concurrent creates on several
 * nodes are serialized on that row, and each counts the runs the others committed.
 */
final class LimitRows {

    /** {@code step_name} of a workflow's own row (step names are never blank). */
    static final String WORKFLOW_ROW = "";

    private final Tables t;

    LimitRows(Tables tables) {
        this.t = tables;
    }

    /**
     * Writes the limits of {@code run} (a {@link NewRun#limited()} run of {@code workflow}) and
     * returns, per step, the limits row its tasks are counted under: the step's own if it has a
     * limit, else the workflow's if runs queue, else {@code null} (unlimited: the fast claim).
     *
     * @throws ConcurrencyLimitException if the run's REFUSE limit is reached; the caller rolls back
     */
    Long[] record(DSLContext ctx, String workflow, NewRun run) {
        long workflowRow = upsert(ctx, workflow, WORKFLOW_ROW, run.maxConcurrentRuns());
        Integer maxRuns = run.maxConcurrentRuns();
        if (maxRuns != null && run.concurrencyPolicy() == ConcurrencyPolicy.REFUSE) {
            int active = ctx.fetchCount(t.runs, Col.WORKFLOW_NAME.eq(workflow)
                    .and(Col.STATUS.in(Statuses.lit(RunStatus.PENDING), Statuses.lit(RunStatus.RUNNING))));
            if (active >= maxRuns) {
                throw new ConcurrencyLimitException(workflow, maxRuns);
            }
        }
        boolean queued = maxRuns != null && run.concurrencyPolicy() == ConcurrencyPolicy.QUEUE;
        List<NewStep> steps = run.steps();
        Long[] rows = new Long[steps.size()];
        for (int i = 0; i < steps.size(); i++) {
            NewStep s = steps.get(i);
            if (s.maxConcurrentTasks() != null) {
                rows[i] = upsert(ctx, workflow, s.name(), s.maxConcurrentTasks());
            } else if (queued) {
                rows[i] = workflowRow;
            }
        }
        return rows;
    }

    /** Inserts or updates one row with {@code max} (which locks it until the transaction ends); returns its id. */
    private long upsert(DSLContext ctx, String workflow, String step, Integer max) {
        ctx.insertInto(t.limits, Col.WORKFLOW_NAME, Col.STEP_NAME, Col.MAX_CONCURRENT)
                .values(workflow, step, max)
                .onConflict(Col.WORKFLOW_NAME, Col.STEP_NAME).doUpdate()
                .set(Col.MAX_CONCURRENT, DSL.excluded(Col.MAX_CONCURRENT))
                .execute();
        return ctx.select(Col.ID).from(t.limits).where(Col.WORKFLOW_NAME.eq(workflow)).and(Col.STEP_NAME.eq(step))
                .fetchSingle(Col.ID);
    }
}
