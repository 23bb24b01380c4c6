package dev.orchestrator.jdbc.internal;

import dev.orchestrator.AttemptOutcome;
import dev.orchestrator.RunStatus;
import dev.orchestrator.TaskStatus;
import dev.orchestrator.spi.ClaimedTask;
import org.jooq.Condition;
import org.jooq.DSLContext;
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
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

import static dev.orchestrator.jdbc.internal.Col.ATTEMPT;
import static dev.orchestrator.jdbc.internal.Col.EXECUTION_NAME;
import static dev.orchestrator.jdbc.internal.Col.HEARTBEAT_AT;
import static dev.orchestrator.jdbc.internal.Col.ID;
import static dev.orchestrator.jdbc.internal.Col.LIMIT_ID;
import static dev.orchestrator.jdbc.internal.Col.OWNER;
import static dev.orchestrator.jdbc.internal.Col.READY_AT;
import static dev.orchestrator.jdbc.internal.Col.RUN_ID;
import static dev.orchestrator.jdbc.internal.Col.STARTED_AT;
import static dev.orchestrator.jdbc.internal.Col.STATUS;
import static dev.orchestrator.jdbc.internal.Col.STEP_INDEX;
import static dev.orchestrator.jdbc.internal.Col.TASK_INDEX;

/**
 * The claim: one {@code UPDATE ... WHERE id IN (SELECT ... LIMIT n) RETURNING} over the partial
 * index of unlimited {@code PENDING} tasks, one batch of attempt rows, and one update of runs still
 * {@code PENDING}. Tasks under a concurrency limit are claimed first, by {@link LimitedClaims},
 * only when its {@link LimitPacer} says limited work may be claimable: otherwise the claim runs
 * exactly the statements it runs without limits.
 */
final class ClaimQueries {

    /** Largest id list bound in one statement. */
    static final int CHUNK = 500;

    private final Tables t;
    private final Jdbc jdbc;
    private final DialectSupport dialect;
    private final TaskWriter writer;
    private final String beforeClaim;
    private final DSLContext renderer;
    /** Claim and ready-check statements per sorted set of executor types. */
    private final Map<List<String>, Stmt> claims = new ConcurrentHashMap<>();
    /** PostgreSQL: the claim with its attempts insert and its runs' start and read, per set of types. */
    private final Map<List<String>, Stmt> wholeClaims = new ConcurrentHashMap<>();
    private final Map<List<String>, Stmt> anyReady = new ConcurrentHashMap<>();
    private final Stmt runInfo;
    private final Stmt startRuns;
    private final LimitedClaims limited;
    /** PostgreSQL: {@link #startRuns} and {@link #runInfo} as one statement; {@code null} on SQLite. */
    private final Stmt startAndReadRuns;

    /**
     * The claim for {@code tables} on {@code dialect}, rendered once with {@code r} and run by
     * {@code jdbc}; with {@code sessionPrepared}, the scheduler's connections were prepared for
     * claims when they opened, and a claim runs no {@link DialectSupport#beforeClaimSql()}.
     */
    public ClaimQueries(Tables tables, DialectSupport dialect, DSLContext r, Jdbc jdbc, TaskWriter writer,
                        boolean sessionPrepared) {
        this.t = tables;
        this.jdbc = jdbc;
        this.dialect = dialect;
        this.writer = writer;
        this.beforeClaim = sessionPrepared ? null : dialect.beforeClaimSql();
        this.renderer = r;
        this.limited = new LimitedClaims(tables, dialect, r, jdbc);
        this.runInfo = Stmt.of(r, r.select(ID, Col.WORKFLOW_VERSION_ID, Col.PARAMS_JSON, STATUS).from(t.runs)
                .where(dialect.idIn(ID)), 1);
        this.startRuns = Stmt.of(r, r.update(t.runs).set(STATUS, Statuses.lit(RunStatus.RUNNING))
                .set(STARTED_AT, DSL.param(SQLDataType.BIGINT))
                .where(dialect.idIn(ID))
                .and(STATUS.eq(Statuses.lit(RunStatus.PENDING))), 2);
        this.startAndReadRuns = dialect instanceof PostgresSupport
                ? new Stmt("with s as (" + startRuns.sql() + " returning 1) " + runInfo.sql(), 3) : null;
    }

    /** The claim statement of a node that runs {@code types} (sorted; empty: any type), rendered once. */
    private Stmt claimStatement(List<String> types) {
        return claims.computeIfAbsent(types, k -> {
            var candidates = dialect.lockCandidates(renderer.select(ID).from(t.tasks)
                    .where(STATUS.eq(Statuses.lit(TaskStatus.PENDING))).and(LIMIT_ID.isNull())
                    .and(READY_AT.le(DSL.param(SQLDataType.BIGINT))).and(typeFilter(k))
                    .orderBy(READY_AT, ID).limit(DSL.param(SQLDataType.INTEGER)));
            return Stmt.of(renderer, renderer.update(t.tasks)
                    .set(STATUS, Statuses.lit(TaskStatus.DISPATCHED))
                    .set(OWNER, DSL.param(SQLDataType.VARCHAR))
                    .set(ATTEMPT, ATTEMPT.plus(DSL.inline(1)))
                    .set(STARTED_AT, DSL.param(SQLDataType.BIGINT))
                    .set(HEARTBEAT_AT, DSL.param(SQLDataType.BIGINT))
                    .set(EXECUTION_NAME, DSL.castNull(SQLDataType.VARCHAR))
                    .where(ID.in(candidates))
                    .returningResult(ID, RUN_ID, STEP_INDEX, TASK_INDEX, ATTEMPT, READY_AT), 5 + k.size());
        });
    }

    /**
     * PostgreSQL: the claim of {@link #claimStatement}, the claimed tasks' {@code RUNNING} attempt
     * rows, and the start and read of their runs, in one statement. The runs still pending are
     * locked in id order first, as the separate statements do, so that two nodes starting the same
     * runs cannot deadlock; the final read sees the runs as they were before the statement, which
     * is all the claim needs (their version and parameters).
     */
    private Stmt wholeClaimStatement(List<String> types) {
        return wholeClaims.computeIfAbsent(types, k -> {
            Stmt claim = claimStatement(k);
            String runs = renderer.render(t.runs);
            String sql = "with c as (" + claim.sql() + "),"
                    + " a as (insert into " + renderer.render(t.attempts)
                    + " (task_id, attempt, outcome, node, started_at) select c.id, c.attempt, '"
                    + AttemptOutcome.RUNNING.name() + "', cast(? as varchar), cast(? as bigint) from c order by c.id),"
                    + " p as (select id from " + runs + " where id in (select run_id from c) and status = '"
                    + RunStatus.PENDING.name() + "' order by id for update),"
                    + " s as (update " + runs + " set status = '" + RunStatus.RUNNING.name()
                    + "', started_at = cast(? as bigint) where id in (select id from p))"
                    + " select c.id, c.run_id, c.step_index, c.task_index, c.attempt, c.ready_at,"
                    + " r.workflow_version_id, r.params_json from c join " + runs + " r on r.id = c.run_id";
            return new Stmt(sql, claim.parameters() + 3);
        });
    }

    /** Whether any task of {@code types} is ready, rendered once per set of types. */
    private Stmt anyReadyStatement(List<String> types) {
        return anyReady.computeIfAbsent(types, k -> Stmt.of(renderer, renderer.selectOne().from(t.tasks)
                .where(STATUS.eq(Statuses.lit(TaskStatus.PENDING))).and(LIMIT_ID.isNull())
                .and(READY_AT.le(DSL.param(SQLDataType.BIGINT))).and(typeFilter(k)).limit(DSL.inline(1)), 1 + k.size()));
    }

    /** Tasks that need no particular executor, or one of {@code types}; every task if {@code types} is empty. */
    private static Condition typeFilter(List<String> types) {
        if (types.isEmpty()) {
            return DSL.noCondition();
        }
        return Col.EXECUTOR.isNull().or(Col.EXECUTOR.in(types.stream().map(x -> DSL.param(SQLDataType.VARCHAR)).toList()));
    }

    /** {@code types} as the sorted key of the statement caches; empty for any type. */
    static List<String> typeKey(Set<String> types) {
        return types == null ? List.of() : types.stream().sorted().toList();
    }

    /** When this store's claims look for limited tasks. */
    public LimitPacer limits() {
        return limited.pacer();
    }

    /**
     * Whether any task of {@code types} is ready at {@code now}: one read, no transaction, for idle
     * polls; a second read for limited tasks only when the limited pass is due.
     */
    public boolean anyReady(Connection c, List<String> types, long now) throws SQLException {
        if (anyUnlimitedReady(c, types, now)) {
            return true;
        }
        if (!limited.pacer().due(now)) {
            return false;
        }
        if (limited.anyReady(c, types, now)) {
            return true;
        }
        long signal = limited.pacer().startPass();
        limited.pacer().passed(signal, now, false, false);
        return false;
    }

    private boolean anyUnlimitedReady(Connection c, List<String> types, long now) throws SQLException {
        boolean[] found = {false};
        Object[] args = new Object[1 + types.size()];
        args[0] = now;
        for (int i = 0; i < types.size(); i++) {
            args[1 + i] = types.get(i);
        }
        jdbc.query(c, anyReadyStatement(types), args, rs -> found[0] = true);
        return found[0];
    }

    /**
     * Claims up to {@code limit} ready tasks of {@code types} (see {@link #typeKey}) for {@code nodeId},
     * of which at most {@code startable} limited ones (the node can start them at once: a limited task
     * claimed ahead would hold a place of its limit without running).
     */
    public List<ClaimedTask> claim(DSLContext ctx, Connection c, String nodeId, List<String> types, int limit,
                                   int startable, long now) throws SQLException {
        if (beforeClaim != null) {
            jdbc.execute(c, beforeClaim);
        }
        List<long[]> rows = new ArrayList<>(Math.min(limit, 1024));
        // Limited tasks first: they are few (their limits bound them), and unlimited work cannot starve them.
        if (startable > 0 && limited.pacer().due(now)) {
            limited.claim(ctx, c, nodeId, types, Math.min(limit, startable), now, rows);
        }
        int limitedRows = rows.size();
        int rest = limit - rows.size();
        if (rest > 0 && limitedRows == 0 && startAndReadRuns != null) {
            return claimWhole(c, nodeId, types, rest, now);
        }
        if (rest > 0) {
            jdbc.query(c, claimStatement(types), claimArgs(nodeId, types, rest, now), rs -> rows.add(new long[]{
                    rs.getLong(1), rs.getLong(2), rs.getInt(3), rs.getInt(4), rs.getInt(5), rs.getLong(6)}));
        }
        if (rows.isEmpty()) {
            return List.of();
        }
        // Task id order, after the limited ones: the dispatcher starts claims in this order, and a
        // limited task must start at once, not wait claimed ahead while holding a place of its limit.
        rows.subList(0, limitedRows).sort(Comparator.comparingLong(r -> r[0]));
        rows.subList(limitedRows, rows.size()).sort(Comparator.comparingLong(r -> r[0]));
        int n = rows.size();
        long[] ids = new long[n];
        int[] attempts = new int[n];
        Set<Long> runIds = new TreeSet<>();
        for (int i = 0; i < n; i++) {
            long[] r = rows.get(i);
            ids[i] = r[0];
            attempts[i] = (int) r[4];
            runIds.add(r[1]);
        }
        writer.insertAttempts(c, ids, attempts, nodeId, now);
        Map<Long, RunInfo> runs = startRuns(c, runIds, now);
        List<ClaimedTask> claimed = new ArrayList<>(n);
        Instant startedAt = Instant.ofEpochMilli(now);
        for (long[] r : rows) {
            RunInfo run = runs.get(r[1]);
            claimed.add(new ClaimedTask(r[0], r[1], run.workflowVersionId(), (int) r[2], (int) r[3], (int) r[4],
                    TaskStatus.DISPATCHED, null, run.params(), Instant.ofEpochMilli(r[5]), startedAt));
        }
        return claimed;
    }

    /** The bind values of {@link #claimStatement}, then {@code more}. */
    private static Object[] claimArgs(String nodeId, List<String> types, int limit, long now, Object... more) {
        Object[] args = new Object[5 + types.size() + more.length];
        args[0] = nodeId;
        args[1] = now;
        args[2] = now;
        args[3] = now;
        for (int i = 0; i < types.size(); i++) {
            args[4 + i] = types.get(i);
        }
        args[4 + types.size()] = limit;
        System.arraycopy(more, 0, args, 5 + types.size(), more.length);
        return args;
    }

    /** PostgreSQL, no limited task claimed: {@link #wholeClaimStatement}, one statement for the whole claim. */
    private List<ClaimedTask> claimWhole(Connection c, String nodeId, List<String> types, int limit, long now)
            throws SQLException {
        Object[] args = claimArgs(nodeId, types, limit, now, nodeId, now, now); // then the attempts' and runs'
        List<ClaimedTask> claimed = new ArrayList<>(Math.min(limit, 1024));
        Instant startedAt = Instant.ofEpochMilli(now);
        jdbc.query(c, wholeClaimStatement(types), args, rs -> claimed.add(new ClaimedTask(rs.getLong(1), rs.getLong(2),
                rs.getLong(7), rs.getInt(3), rs.getInt(4), rs.getInt(5), TaskStatus.DISPATCHED, null,
                ParamsCodec.decode(rs.getString(8)), Instant.ofEpochMilli(rs.getLong(6)), startedAt)));
        // Task id order: the dispatcher starts claims in this order, as after the separate statements.
        claimed.sort(Comparator.comparingLong(ClaimedTask::taskId));
        return claimed;
    }

    /**
     * Reads the version and parameters of the claimed tasks' runs and starts those still
     * {@code PENDING}: one statement on PostgreSQL (the update in a CTE; the read sees the rows as
     * before it, which is all it needs), a read and, if a run was pending, an update on SQLite.
     */
    private Map<Long, RunInfo> startRuns(Connection c, Set<Long> runIds, long now) throws SQLException {
        Map<Long, RunInfo> runs = new HashMap<>();
        Object ids = dialect.ids(runIds);
        Jdbc.Row row = rs -> runs.put(rs.getLong(1), new RunInfo(rs.getLong(2), ParamsCodec.decode(rs.getString(3)),
                RunStatus.PENDING.name().equals(rs.getString(4))));
        if (startAndReadRuns != null) {
            jdbc.query(c, startAndReadRuns, new Object[]{now, ids, ids}, row);
            return runs;
        }
        jdbc.query(c, runInfo, new Object[]{ids}, row);
        List<Long> pending = new ArrayList<>();
        runs.forEach((id, info) -> {
            if (info.pending()) {
                pending.add(id);
            }
        });
        if (!pending.isEmpty()) {
            pending.sort(null);
            jdbc.update(c, startRuns, now, dialect.ids(pending));
        }
        return runs;
    }

    /** The version, parameters and status of each of {@code runIds}, in one query per chunk. */
    public Map<Long, RunInfo> runInfo(DSLContext ctx, Collection<Long> runIds) {
        List<Long> ids = new ArrayList<>(new TreeSet<>(runIds));
        Map<Long, RunInfo> infos = new HashMap<>();
        for (int from = 0; from < ids.size(); from += CHUNK) {
            List<Long> chunk = ids.subList(from, Math.min(ids.size(), from + CHUNK));
            ctx.select(ID, Col.WORKFLOW_VERSION_ID, Col.PARAMS_JSON, STATUS).from(t.runs).where(ID.in(chunk))
                    .forEach(r -> infos.put(r.value1(), new RunInfo(r.value2(), ParamsCodec.decode(r.value3()),
                            RunStatus.PENDING.name().equals(r.value4()))));
        }
        return infos;
    }
}
