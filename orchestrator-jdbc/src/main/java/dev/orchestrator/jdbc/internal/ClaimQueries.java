package dev.orchestrator.jdbc.internal;

import dev.orchestrator.AttemptOutcome;
import dev.orchestrator.RunStatus;
import dev.orchestrator.TaskStatus;
import dev.orchestrator.spi.ClaimedTask;
import org.jooq.DSLContext;
import org.jooq.Record6;
import org.jooq.Result;
import org.jooq.impl.DSL;
import org.jooq.impl.SQLDataType;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

import static dev.orchestrator.jdbc.internal.Col.ATTEMPT;
import static dev.orchestrator.jdbc.internal.Col.EXECUTION_NAME;
import static dev.orchestrator.jdbc.internal.Col.HEARTBEAT_AT;
import static dev.orchestrator.jdbc.internal.Col.ID;
import static dev.orchestrator.jdbc.internal.Col.OWNER;
import static dev.orchestrator.jdbc.internal.Col.READY_AT;
import static dev.orchestrator.jdbc.internal.Col.RUN_ID;
import static dev.orchestrator.jdbc.internal.Col.STARTED_AT;
import static dev.orchestrator.jdbc.internal.Col.STATUS;
import static dev.orchestrator.jdbc.internal.Col.STEP_INDEX;
import static dev.orchestrator.jdbc.internal.Col.TASK_INDEX;

/**
 * The claim: one {@code UPDATE ... WHERE id IN (SELECT ... LIMIT n) RETURNING} over the partial
 * index of {@code PENDING} tasks, one batch of attempt rows, and one update of runs still
 * {@code PENDING}.
 */
public final class ClaimQueries {

    /** Largest id list bound in one statement. */
    static final int CHUNK = 500;

    private final Tables t;
    private final DialectSupport dialect;
    private final Stmt insertAttempt;

    /** The claim for {@code tables} on {@code dialect}. */
    public ClaimQueries(Tables tables, DialectSupport dialect, DSLContext renderer) {
        this.t = tables;
        this.dialect = dialect;
        this.insertAttempt = Stmt.of(renderer, renderer.insertInto(t.attempts, Col.TASK_ID, Col.ATTEMPT, Col.OUTCOME,
                        Col.NODE, Col.STARTED_AT)
                .values(DSL.param(SQLDataType.BIGINT), DSL.param(SQLDataType.INTEGER),
                        Statuses.lit(AttemptOutcome.RUNNING), DSL.param(SQLDataType.VARCHAR),
                        DSL.param(SQLDataType.BIGINT)), 4);
    }

    /** Claims up to {@code limit} ready tasks for {@code nodeId}. */
    public List<ClaimedTask> claim(DSLContext ctx, Connection c, String nodeId, int limit, long now)
            throws SQLException {
        dialect.beforeClaim(ctx);
        var candidates = dialect.lockCandidates(ctx.select(ID).from(t.tasks)
                .where(STATUS.eq(Statuses.lit(TaskStatus.PENDING))).and(READY_AT.le(now))
                .orderBy(READY_AT, ID).limit(limit));
        Result<Record6<Long, Long, Integer, Integer, Integer, Long>> rows = ctx.update(t.tasks)
                .set(STATUS, Statuses.lit(TaskStatus.DISPATCHED))
                .set(OWNER, nodeId)
                .set(ATTEMPT, ATTEMPT.plus(DSL.inline(1)))
                .set(STARTED_AT, now)
                .set(HEARTBEAT_AT, now)
                .set(EXECUTION_NAME, DSL.castNull(SQLDataType.VARCHAR))
                .where(ID.in(candidates))
                .returningResult(ID, RUN_ID, STEP_INDEX, TASK_INDEX, ATTEMPT, READY_AT)
                .fetch();
        if (rows.isEmpty()) {
            return List.of();
        }
        List<Object[]> attempts = new ArrayList<>(rows.size());
        for (var r : rows) {
            attempts.add(new Object[]{r.value1(), r.value5(), nodeId, now});
        }
        JdbcBatch.run(c, insertAttempt.sql(), attempts);
        Map<Long, RunInfo> runs = runInfo(ctx, rows.getValues(RUN_ID));
        startRuns(ctx, runs, now);
        List<ClaimedTask> claimed = new ArrayList<>(rows.size());
        for (var r : rows) {
            RunInfo run = runs.get(r.value2());
            claimed.add(new ClaimedTask(r.value1(), r.value2(), run.workflowVersionId(), r.value3(), r.value4(),
                    r.value5(), TaskStatus.DISPATCHED, null, run.paramsJson(), Instant.ofEpochMilli(r.value6()),
                    Instant.ofEpochMilli(now)));
        }
        claimed.sort(Comparator.comparingLong(ClaimedTask::taskId));
        return claimed;
    }

    /** The version, parameters and status of each of {@code runIds}, in one query per chunk. */
    public Map<Long, RunInfo> runInfo(DSLContext ctx, Collection<Long> runIds) {
        List<Long> ids = new ArrayList<>(new TreeSet<>(runIds));
        Map<Long, RunInfo> infos = new HashMap<>();
        for (int from = 0; from < ids.size(); from += CHUNK) {
            List<Long> chunk = ids.subList(from, Math.min(ids.size(), from + CHUNK));
            ctx.select(ID, Col.WORKFLOW_VERSION_ID, Col.PARAMS_JSON, STATUS).from(t.runs).where(ID.in(chunk))
                    .forEach(r -> infos.put(r.value1(), new RunInfo(r.value2(), r.value3(),
                            RunStatus.PENDING.name().equals(r.value4()))));
        }
        return infos;
    }

    private void startRuns(DSLContext ctx, Map<Long, RunInfo> runs, long now) {
        List<Long> pending = runs.entrySet().stream().filter(e -> e.getValue().pending()).map(Map.Entry::getKey)
                .sorted().toList();
        for (int from = 0; from < pending.size(); from += CHUNK) {
            ctx.update(t.runs).set(STATUS, Statuses.lit(RunStatus.RUNNING)).set(STARTED_AT, now)
                    .where(ID.in(pending.subList(from, Math.min(pending.size(), from + CHUNK))))
                    .and(STATUS.eq(Statuses.lit(RunStatus.PENDING)))
                    .execute();
        }
    }
}
