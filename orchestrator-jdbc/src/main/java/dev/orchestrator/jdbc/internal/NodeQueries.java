package dev.orchestrator.jdbc.internal;

import dev.orchestrator.TaskStatus;
import dev.orchestrator.spi.ClaimedTask;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.impl.DSL;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

import static dev.orchestrator.jdbc.internal.Col.q;

/** Node heartbeats, and taking over the in-flight tasks of dead nodes. */
final class NodeQueries {

    private final Tables t;
    private final ClaimQueries claims;

    /** Statements on {@code tables.nodes} and the in-flight tasks. */
    public NodeQueries(Tables tables, ClaimQueries claims) {
        this.t = tables;
        this.claims = claims;
    }

    /** Inserts or refreshes the node's row. */
    public void heartbeat(DSLContext ctx, String nodeId, long now) {
        ctx.insertInto(t.nodes, Col.NODE_ID, Col.HEARTBEAT_AT, Col.STARTED_AT).values(nodeId, now, now)
                .onConflict(Col.NODE_ID).doUpdate().set(Col.HEARTBEAT_AT, now)
                .execute();
    }

    /** Deletes the node's row. */
    public void remove(DSLContext ctx, String nodeId) {
        ctx.deleteFrom(t.nodes).where(Col.NODE_ID.eq(nodeId)).execute();
    }

    /**
     * Whether a take-over would find anything: an in-flight task whose owner has no live node row,
     * or a dead node row. One read, so the usual case (all alive) costs no write transaction.
     */
    public boolean anythingDead(DSLContext ctx, String nodeId, long expiredBefore) {
        Condition inFlight = q("t", Col.STATUS).in(Statuses.lit(TaskStatus.DISPATCHED), Statuses.lit(TaskStatus.RUNNING));
        return ctx.select(DSL.exists(DSL.selectOne().from(t.tasks.as("t"))
                        .where(inFlight)
                        .and(q("t", Col.OWNER).ne(nodeId))
                        .andNotExists(DSL.selectOne().from(t.nodes.as("n"))
                                .where(q("n", Col.NODE_ID).eq(q("t", Col.OWNER)))
                                .and(q("n", Col.HEARTBEAT_AT).ge(expiredBefore))))
                        .or(DSL.exists(DSL.selectOne().from(t.nodes)
                                .where(Col.NODE_ID.ne(nodeId)).and(Col.HEARTBEAT_AT.lt(expiredBefore)))))
                .fetchOne(0, Boolean.class);
    }

    /** Moves the in-flight tasks of dead owners to {@code nodeId} and deletes dead node rows. */
    public List<ClaimedTask> takeOver(DSLContext ctx, String nodeId, long expiredBefore, long now) {
        Condition inFlight = q("t", Col.STATUS).in(Statuses.lit(TaskStatus.DISPATCHED), Statuses.lit(TaskStatus.RUNNING));
        List<String> deadOwners = ctx.selectDistinct(q("t", Col.OWNER)).from(t.tasks.as("t"))
                .where(inFlight)
                .and(q("t", Col.OWNER).ne(nodeId))
                .andNotExists(DSL.selectOne().from(t.nodes.as("n"))
                        .where(q("n", Col.NODE_ID).eq(q("t", Col.OWNER)))
                        .and(q("n", Col.HEARTBEAT_AT).ge(expiredBefore)))
                .fetch(r -> r.value1());
        ctx.deleteFrom(t.nodes).where(Col.NODE_ID.ne(nodeId)).and(Col.HEARTBEAT_AT.lt(expiredBefore)).execute();
        if (deadOwners.isEmpty()) {
            return List.of();
        }
        var rows = ctx.update(t.tasks)
                .set(Col.OWNER, nodeId)
                .set(Col.HEARTBEAT_AT, now)
                .where(Col.STATUS.in(Statuses.lit(TaskStatus.DISPATCHED), Statuses.lit(TaskStatus.RUNNING)))
                .and(Col.OWNER.in(deadOwners))
                .returningResult(Col.ID, Col.RUN_ID, Col.STEP_INDEX, Col.TASK_INDEX, Col.ATTEMPT, Col.STATUS,
                        Col.EXECUTION_NAME, Col.STARTED_AT)
                .fetch();
        if (rows.isEmpty()) {
            return List.of();
        }
        Map<Long, RunInfo> runs = claims.runInfo(ctx, rows.getValues(Col.RUN_ID));
        List<ClaimedTask> taken = new ArrayList<>(rows.size());
        for (var r : rows) {
            RunInfo run = runs.get(r.value2());
            taken.add(new ClaimedTask(r.value1(), r.value2(), run.workflowVersionId(), r.value3(), r.value4(),
                    r.value5(), TaskStatus.valueOf(r.value6()), r.value7(), run.params(), null,
                    r.value8() == null ? null : Instant.ofEpochMilli(r.value8())));
        }
        taken.sort(Comparator.comparingLong(ClaimedTask::taskId));
        return taken;
    }
}
