package dev.orchestrator.jdbc.internal;

import dev.orchestrator.RunStatus;
import dev.orchestrator.spi.RunFilter;
import dev.orchestrator.spi.RunRow;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.Record;
import org.jooq.SelectOnConditionStep;
import org.jooq.impl.DSL;

import java.util.List;
import java.util.Optional;

import static dev.orchestrator.jdbc.internal.Col.q;

/** Reads of {@code runs}, joined with their workflow version's number. */
final class RunQueries {

    private static final Field<?>[] COLUMNS = {
            q("r", Col.ID), q("r", Col.WORKFLOW_VERSION_ID), q("r", Col.WORKFLOW_NAME), q("w", Col.VERSION),
            q("r", Col.STATUS), q("r", Col.TRIGGERED_BY), q("r", Col.PARAMS_JSON), q("r", Col.IDEMPOTENCY_KEY),
            q("r", Col.TASK_COUNT), q("r", Col.SUCCEEDED), q("r", Col.FAILED), q("r", Col.FINISHED),
            q("r", Col.CREATED_AT), q("r", Col.STARTED_AT), q("r", Col.FINISHED_AT)};

    private final Tables t;

    /** Reads of {@code tables.runs}. */
    public RunQueries(Tables tables) {
        this.t = tables;
    }

    /** One run. */
    public Optional<RunRow> find(DSLContext ctx, long runId) {
        return select(ctx).where(q("r", Col.ID).eq(runId)).fetchOptional().map(RunQueries::row);
    }

    /** The run of {@code workflow} with {@code idempotencyKey}. */
    public Optional<RunRow> findByKey(DSLContext ctx, String workflow, String idempotencyKey) {
        return select(ctx).where(q("r", Col.WORKFLOW_NAME).eq(workflow))
                .and(q("r", Col.IDEMPOTENCY_KEY).eq(idempotencyKey)).fetchOptional().map(RunQueries::row);
    }

    /**
     * Runs matching {@code filter}, highest id first. Each criterion has an index that leads with
     * it and ends with {@code id} ({@code runs_workflow_idx}, {@code runs_status_idx},
     * {@code runs_triggered_by_idx}, {@code runs_created_idx}), and the primary key serves the
     * unfiltered listing and the cursor.
     */
    public List<RunRow> list(DSLContext ctx, RunFilter filter) {
        Condition where = DSL.noCondition();
        if (filter.workflow() != null) {
            where = where.and(q("r", Col.WORKFLOW_NAME).eq(filter.workflow()));
        }
        if (filter.status() != null) {
            where = where.and(q("r", Col.STATUS).eq(filter.status().name()));
        }
        if (filter.triggeredBy() != null) {
            where = where.and(q("r", Col.TRIGGERED_BY).eq(filter.triggeredBy()));
        }
        if (filter.createdAfter() != null) {
            where = where.and(q("r", Col.CREATED_AT).ge(filter.createdAfter().toEpochMilli()));
        }
        if (filter.createdBefore() != null) {
            where = where.and(q("r", Col.CREATED_AT).lt(filter.createdBefore().toEpochMilli()));
        }
        if (filter.beforeId() != null) {
            where = where.and(q("r", Col.ID).lt(filter.beforeId()));
        }
        return select(ctx).where(where).orderBy(q("r", Col.ID).desc()).limit(filter.limit()).fetch(RunQueries::row);
    }

    private SelectOnConditionStep<Record> select(DSLContext ctx) {
        return ctx.select(COLUMNS).from(t.runs.as("r"))
                .join(t.workflows.as("w")).on(q("w", Col.ID).eq(q("r", Col.WORKFLOW_VERSION_ID)));
    }

    private static RunRow row(Record r) {
        return new RunRow(r.get(0, Long.class), r.get(1, Long.class), r.get(2, String.class), r.get(3, Integer.class),
                RunStatus.valueOf(r.get(4, String.class)), r.get(5, String.class), ParamsCodec.decode(r.get(6, String.class)),
                r.get(7, String.class), r.get(8, Integer.class), r.get(9, Integer.class), r.get(10, Integer.class),
                r.get(11, Integer.class), Millis.at(r.get(12, Long.class)), Millis.at(r.get(13, Long.class)),
                Millis.at(r.get(14, Long.class)));
    }
}
