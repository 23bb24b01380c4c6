package dev.orchestrator.jdbc.internal;

import dev.orchestrator.AttemptOutcome;
import dev.orchestrator.TaskStatus;
import dev.orchestrator.spi.ClaimedTask;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.Record9;
import org.jooq.Result;
import org.jooq.impl.DSL;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static dev.orchestrator.jdbc.internal.Col.q;

/**
 * Node heartbeats on the store's clock, taking over the in-flight tasks of dead nodes in
 * conditional writes, and the tasks a node owns.
 */
final class NodeQueries {

    private final Tables t;
    private final ClaimQueries claims;
    private final DialectSupport dialect;

    /** Statements on {@code tables.nodes} and the in-flight tasks. */
    NodeQueries(Tables tables, ClaimQueries claims, DialectSupport dialect) {
        this.t = tables;
        this.claims = claims;
        this.dialect = dialect;
    }

    /** Refreshes the node's row, or inserts it; returns whether it existed. */
    boolean heartbeat(DSLContext ctx, String nodeId, long now) {
        Field<Long> clock = dialect.clockMillis(now);
        if (ctx.update(t.nodes).set(Col.HEARTBEAT_AT, clock).where(Col.NODE_ID.eq(nodeId)).execute() == 1) {
            return true;
        }
        ctx.insertInto(t.nodes, Col.NODE_ID, Col.HEARTBEAT_AT, Col.STARTED_AT).values(DSL.val(nodeId), clock, clock)
                .onConflict(Col.NODE_ID).doUpdate().set(Col.HEARTBEAT_AT, clock)
                .execute();
        return false;
    }

    /** Deletes the node's row. */
    void remove(DSLContext ctx, String nodeId) {
        ctx.deleteFrom(t.nodes).where(Col.NODE_ID.eq(nodeId)).execute();
    }

    /**
     * Tasks whose owner is not {@code nodeId} and has no node row renewed within the lease. The
     * task columns are unqualified (so the condition serves an UPDATE too): inside the subquery,
     * {@code owner} can only be the task's, as the nodes table has no such column.
     */
    private Condition ownedByTheDead(String nodeId, long leaseMillis, long now) {
        return Col.OWNER.ne(nodeId)
                .andNotExists(DSL.selectOne().from(t.nodes.as("n"))
                        .where(q("n", Col.NODE_ID).eq(Col.OWNER))
                        .and(q("n", Col.HEARTBEAT_AT).ge(dialect.clockMillis(now).minus(leaseMillis))));
    }

    private static Condition inFlight() {
        return Col.STATUS.in(Statuses.lit(TaskStatus.DISPATCHED), Statuses.lit(TaskStatus.RUNNING));
    }

    /**
     * Whether a take-over would find anything: an in-flight task whose owner has no live node row,
     * or a dead node row. One read, so the usual case (all alive) costs no write transaction.
     */
    boolean anythingDead(DSLContext ctx, String nodeId, long leaseMillis, long now) {
        return ctx.select(DSL.exists(DSL.selectOne().from(t.tasks)
                        .where(inFlight()).and(ownedByTheDead(nodeId, leaseMillis, now)))
                        .or(DSL.exists(DSL.selectOne().from(t.nodes).where(Col.NODE_ID.ne(nodeId))
                                .and(Col.HEARTBEAT_AT.lt(dialect.clockMillis(now).minus(leaseMillis))))))
                .fetchOne(0, Boolean.class);
    }

    /**
     * Moves the dead owners' in-flight tasks ({@code DISPATCHED} and {@code RUNNING}) to
     * {@code nodeId} and returns them, and deletes the dead node rows. The taker releases the
     * dispatched ones, or lets their executor look for an execution they may have started. Each
     * step is one conditional statement: a node that renewed its lease keeps its tasks.
     */
    List<ClaimedTask> takeOver(DSLContext ctx, String nodeId, long leaseMillis, long now) {
        List<String> deadOwners = ctx.selectDistinct(Col.OWNER).from(t.tasks)
                .where(inFlight())
                .and(ownedByTheDead(nodeId, leaseMillis, now))
                .fetch(r -> r.value1());
        if (deadOwners.isEmpty()) {
            ctx.deleteFrom(t.nodes).where(Col.NODE_ID.ne(nodeId))
                    .and(Col.HEARTBEAT_AT.lt(dialect.clockMillis(now).minus(leaseMillis))).execute();
            return List.of();
        }
        // Named owners, so a concurrent take-over that moved a task first makes this one skip it;
        // and the liveness condition again, so an owner that renewed meanwhile keeps its tasks.
        var rows = ctx.update(t.tasks)
                .set(Col.OWNER, nodeId)
                .set(Col.HEARTBEAT_AT, now)
                .where(inFlight())
                .and(Col.OWNER.in(deadOwners))
                .and(ownedByTheDead(nodeId, leaseMillis, now))
                .returningResult(Col.ID, Col.RUN_ID, Col.STEP_INDEX, Col.TASK_INDEX, Col.ATTEMPT, Col.STATUS,
                        Col.EXECUTION_NAME, Col.STARTED_AT, Col.EXECUTOR_STATE)
                .fetch();
        ctx.deleteFrom(t.nodes).where(Col.NODE_ID.ne(nodeId))
                .and(Col.HEARTBEAT_AT.lt(dialect.clockMillis(now).minus(leaseMillis))).execute();
        return toClaimed(ctx, rows);
    }

    /** The in-flight tasks owned by {@code nodeId}. */
    List<ClaimedTask> inFlightOf(DSLContext ctx, String nodeId) {
        var rows = ctx.select(Col.ID, Col.RUN_ID, Col.STEP_INDEX, Col.TASK_INDEX, Col.ATTEMPT, Col.STATUS,
                        Col.EXECUTION_NAME, Col.STARTED_AT, Col.EXECUTOR_STATE)
                .from(t.tasks)
                .where(Col.OWNER.eq(nodeId)).and(inFlight())
                .fetch();
        return toClaimed(ctx, rows);
    }

    private List<ClaimedTask> toClaimed(DSLContext ctx,
            Result<Record9<Long, Long, Integer, Integer, Integer, String, String, Long, String>> rows) {
        if (rows.isEmpty()) {
            return List.of();
        }
        Map<Long, RunInfo> runs = claims.runInfo(ctx, rows.getValues(Col.RUN_ID));
        Map<Long, Integer> lost = lostAttempts(ctx, rows.getValues(Col.ID));
        List<ClaimedTask> out = new ArrayList<>(rows.size());
        for (var r : rows) {
            RunInfo run = runs.get(r.value2());
            out.add(new ClaimedTask(r.value1(), r.value2(), run.workflowVersionId(), r.value3(), r.value4(),
                    r.value5(), TaskStatus.valueOf(r.value6()), r.value7(), run.params(), null,
                    r.value8() == null ? null : Instant.ofEpochMilli(r.value8()), lost.getOrDefault(r.value1(), 0),
                    // A dispatched attempt has reported nothing: a state left there is an earlier attempt's.
                    TaskStatus.RUNNING.name().equals(r.value6()) ? r.value9() : null));
        }
        out.sort(Comparator.comparingLong(ClaimedTask::taskId));
        return out;
    }

    /** How many attempts of each task ended lost. */
    private Map<Long, Integer> lostAttempts(DSLContext ctx, List<Long> taskIds) {
        Map<Long, Integer> lost = new HashMap<>();
        for (int from = 0; from < taskIds.size(); from += ClaimQueries.CHUNK) {
            List<Long> chunk = taskIds.subList(from, Math.min(taskIds.size(), from + ClaimQueries.CHUNK));
            ctx.select(Col.TASK_ID, DSL.count()).from(t.attempts)
                    .where(Col.TASK_ID.in(chunk)).and(Col.OUTCOME.eq(AttemptOutcome.LOST.name()))
                    .groupBy(Col.TASK_ID)
                    .forEach(r -> lost.put(r.value1(), r.value2()));
        }
        return lost;
    }
}
