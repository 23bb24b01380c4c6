package dev.orchestrator.jdbc.internal;

import dev.orchestrator.RunStatus;
import dev.orchestrator.TaskStatus;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.Table;
import org.jooq.impl.DSL;
import org.jooq.impl.SQLDataType;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import static dev.orchestrator.jdbc.internal.Col.ATTEMPT;
import static dev.orchestrator.jdbc.internal.Col.EXECUTION_NAME;
import static dev.orchestrator.jdbc.internal.Col.HEARTBEAT_AT;
import static dev.orchestrator.jdbc.internal.Col.ID;
import static dev.orchestrator.jdbc.internal.Col.LIMIT_ID;
import static dev.orchestrator.jdbc.internal.Col.MAX_CONCURRENT;
import static dev.orchestrator.jdbc.internal.Col.OWNER;
import static dev.orchestrator.jdbc.internal.Col.READY_AT;
import static dev.orchestrator.jdbc.internal.Col.RUN_ID;
import static dev.orchestrator.jdbc.internal.Col.STARTED_AT;
import static dev.orchestrator.jdbc.internal.Col.STATUS;
import static dev.orchestrator.jdbc.internal.Col.STEP_INDEX;
import static dev.orchestrator.jdbc.internal.Col.STEP_NAME;
import static dev.orchestrator.jdbc.internal.Col.TASK_INDEX;
import static dev.orchestrator.jdbc.internal.Col.WORKFLOW_NAME;
import static dev.orchestrator.jdbc.internal.Col.q;

/**
 * The limited part of a claim, in the claim's transaction: tasks with a {@code limit_id}
 * (see {@link LimitRows}), which the fast claim never sees. It locks the {@code limits} row of
 * each workflow that has ready limited tasks ({@code FOR UPDATE}, in id order, on PostgreSQL; SQLite
 * has one writer), so limited claims of one workflow are serialized across nodes; then, with
 * statements that see what earlier holders committed, counts the live ({@code DISPATCHED},
 * {@code RUNNING}) tasks of each limited step and the {@code RUNNING} runs of the workflow, and
 * claims within what is left; a node that fills its budget tells the others (PostgreSQL). Only claims change either count upwards, and they hold the lock, so
 * counting live rows needs no counter to keep right on the paths where tasks end.
 */
final class LimitedClaims {

    private final Tables t;
    private final Jdbc jdbc;
    private final DialectSupport dialect;
    private final DSLContext renderer;
    private final LimitPacer pacer = new LimitPacer();
    private final Map<List<String>, Stmt> lockStatements = new ConcurrentHashMap<>();
    private final Map<List<String>, Stmt> anyReadyStatements = new ConcurrentHashMap<>();
    private final Map<List<String>, Stmt> candidateStatements = new ConcurrentHashMap<>();
    private final Map<List<String>, Stmt> gatedCandidateStatements = new ConcurrentHashMap<>();
    private final Stmt stepCounts;
    private final Stmt runningRuns;
    private final Stmt waitingRuns;
    private final Stmt claim;

    LimitedClaims(Tables tables, DialectSupport dialect, DSLContext r, Jdbc jdbc) {
        this.t = tables;
        this.jdbc = jdbc;
        this.dialect = dialect;
        this.renderer = r;
        Table<?> l = t.limits.as("l");
        Table<?> tk = t.tasks.as("t");
        Field<Integer> live = DSL.field(r.selectCount().from(tk).where(q("t", LIMIT_ID).eq(q("l", ID)))
                .and(q("t", LIMIT_ID).isNotNull()).and(Statuses.inFlight(q("t", STATUS))));
        stepCounts = Stmt.of(r, r.select(q("l", ID), q("l", MAX_CONCURRENT), live).from(l)
                .where(q("l", WORKFLOW_NAME).eq(DSL.param(SQLDataType.VARCHAR)))
                .and(q("l", STEP_NAME).ne(DSL.inline(LimitRows.WORKFLOW_ROW))), 1);
        runningRuns = Stmt.of(r, r.select(ID).from(t.runs).where(WORKFLOW_NAME.eq(DSL.param(SQLDataType.VARCHAR)))
                .and(STATUS.eq(Statuses.lit(RunStatus.RUNNING))), 1);
        waitingRuns = Stmt.of(r, r.select(ID).from(t.runs).where(WORKFLOW_NAME.eq(DSL.param(SQLDataType.VARCHAR)))
                .and(STATUS.eq(Statuses.lit(RunStatus.PENDING))).orderBy(ID).limit(DSL.param(SQLDataType.INTEGER)), 2);
        claim = Stmt.of(r, r.update(t.tasks)
                .set(STATUS, Statuses.lit(TaskStatus.DISPATCHED))
                .set(OWNER, DSL.param(SQLDataType.VARCHAR))
                .set(ATTEMPT, ATTEMPT.plus(DSL.inline(1)))
                .set(STARTED_AT, DSL.param(SQLDataType.BIGINT))
                .set(HEARTBEAT_AT, DSL.param(SQLDataType.BIGINT))
                .set(EXECUTION_NAME, DSL.castNull(SQLDataType.VARCHAR))
                .where(dialect.idIn(ID))
                .and(STATUS.eq(Statuses.lit(TaskStatus.PENDING)))
                .returningResult(ID, RUN_ID, STEP_INDEX, TASK_INDEX, ATTEMPT, READY_AT), 4);
    }

    /** When this node looks for limited tasks. */
    LimitPacer pacer() {
        return pacer;
    }

    /** Ready limited tasks of {@code types}, in alias {@code t}. */
    private static Condition readyLimited(List<String> types) {
        return q("t", STATUS).eq(Statuses.lit(TaskStatus.PENDING)).and(q("t", LIMIT_ID).isNotNull())
                .and(q("t", READY_AT).le(DSL.param(SQLDataType.BIGINT))).and(typeFilter(types));
    }

    private static Condition typeFilter(List<String> types) {
        if (types.isEmpty()) {
            return DSL.noCondition();
        }
        Field<String> executor = q("t", Col.EXECUTOR);
        return executor.isNull().or(executor.in(types.stream().map(x -> DSL.param(SQLDataType.VARCHAR)).toList()));
    }

    /** The workflows' own limits rows that have ready limited tasks, locked, in id order. */
    private Stmt lockStatement(List<String> types) {
        return lockStatements.computeIfAbsent(types, k -> {
            Table<?> w = t.limits.as("w");
            Table<?> l = t.limits.as("l");
            Table<?> tk = t.tasks.as("t");
            var ready = renderer.selectOne().from(l).join(tk).on(q("t", LIMIT_ID).eq(q("l", ID)))
                    .where(q("l", WORKFLOW_NAME).eq(q("w", WORKFLOW_NAME))).and(readyLimited(k));
            return Stmt.of(renderer, dialect.lockRows(renderer.select(q("w", ID), q("w", WORKFLOW_NAME),
                            q("w", MAX_CONCURRENT)).from(w)
                    .where(q("w", STEP_NAME).eq(DSL.inline(LimitRows.WORKFLOW_ROW))).and(DSL.exists(ready))
                    .orderBy(q("w", ID))), 1 + k.size());
        });
    }

    private Stmt anyReadyStatement(List<String> types) {
        return anyReadyStatements.computeIfAbsent(types, k -> Stmt.of(renderer, renderer.selectOne()
                .from(t.tasks.as("t")).where(readyLimited(k)).limit(DSL.inline(1)), 1 + k.size()));
    }

    /** Ready tasks of one limits row, oldest run first; {@code gated}: only of the runs bound. */
    private Stmt candidateStatement(List<String> types, boolean gated) {
        return (gated ? gatedCandidateStatements : candidateStatements).computeIfAbsent(types, k -> {
            Condition c = q("t", LIMIT_ID).eq(DSL.param(SQLDataType.BIGINT)).and(readyLimited(k));
            if (gated) {
                c = c.and(dialect.idIn(q("t", RUN_ID)));
            }
            return Stmt.of(renderer, dialect.skipLocked(renderer.select(q("t", ID), q("t", RUN_ID))
                    .from(t.tasks.as("t")).where(c)
                    .orderBy(q("t", RUN_ID), q("t", READY_AT), q("t", ID)).limit(DSL.param(SQLDataType.INTEGER))),
                    3 + k.size() + (gated ? 1 : 0));
        });
    }

    /** Whether any limited task of {@code types} is ready: one read, for idle polls. */
    boolean anyReady(Connection c, List<String> types, long now) throws SQLException {
        boolean[] found = {false};
        jdbc.query(c, anyReadyStatement(types), args(new Object[]{now}, types), rs -> found[0] = true);
        return found[0];
    }

    /**
     * Claims up to {@code budget} limited tasks of {@code types} for {@code nodeId}, within their
     * limits, and adds their rows (id, run, step, task, attempt, ready at) to {@code out}.
     */
    void claim(DSLContext ctx, Connection c, String nodeId, List<String> types, int budget, long now,
               List<long[]> out) throws SQLException {
        long signal = pacer.startPass();
        List<Object[]> workflows = new ArrayList<>();
        jdbc.query(c, lockStatement(types), args(new Object[]{now}, types), rs -> workflows.add(new Object[]{
                rs.getLong(1), rs.getString(2), intOrNull(rs, 3)}));
        List<Long> chosen = new ArrayList<>();
        int left = budget;
        for (Object[] wf : workflows) {
            if (left <= 0) {
                break;
            }
            left -= choose(c, types, (Long) wf[0], (String) wf[1], (Integer) wf[2], left, now, chosen);
        }
        int before = out.size();
        if (!chosen.isEmpty()) {
            jdbc.query(c, claim, new Object[]{nodeId, now, now, dialect.ids(chosen)}, rs -> out.add(new long[]{
                    rs.getLong(1), rs.getLong(2), rs.getInt(3), rs.getInt(4), rs.getInt(5), rs.getLong(6)}));
        }
        pacer.passed(signal, now, !workflows.isEmpty(), out.size() > before);
        if (!workflows.isEmpty() && left <= 0) {
            WakeNotifier.limitsReady(ctx); // this node is full: others may use the room left under the limits
        }
    }

    /**
     * Chooses up to {@code budget} ready tasks of one locked workflow within its limits; returns
     * how many. With a run limit, only tasks of its {@code RUNNING} runs and of as many waiting
     * runs (oldest first) as the limit leaves room for.
     */
    private int choose(Connection c, List<String> types, long workflowRow, String workflow, Integer maxRuns,
                       int budget, long now, List<Long> chosen) throws SQLException {
        List<Long> runs = null;
        if (maxRuns != null) {
            runs = new ArrayList<>();
            List<Long> running = runs;
            jdbc.query(c, runningRuns, new Object[]{workflow}, rs -> running.add(rs.getLong(1)));
            int room = maxRuns - running.size();
            if (room > 0) {
                jdbc.query(c, waitingRuns, new Object[]{workflow, room}, rs -> running.add(rs.getLong(1)));
            }
            if (runs.isEmpty()) {
                return 0;
            }
        }
        // Each limited step's row with its room left; the workflow's own row (tasks of unlimited steps
        // of a run-limited workflow) has no room limit of its own.
        List<long[]> groups = new ArrayList<>();
        jdbc.query(c, stepCounts, new Object[]{workflow}, rs -> {
            Integer max = intOrNull(rs, 2);
            long room = max == null ? Long.MAX_VALUE : max - rs.getLong(3);
            groups.add(new long[]{rs.getLong(1), room});
        });
        groups.add(new long[]{workflowRow, Long.MAX_VALUE});
        int taken = 0;
        for (long[] g : groups) {
            int want = (int) Math.min(g[1], budget - taken);
            if (want <= 0) {
                continue;
            }
            Object[] a = args(new Object[]{g[0], now}, types);
            Object[] bound = new Object[a.length + (runs == null ? 1 : 2)];
            System.arraycopy(a, 0, bound, 0, a.length);
            if (runs != null) {
                bound[a.length] = dialect.ids(runs);
            }
            bound[bound.length - 1] = want;
            int[] n = {0};
            jdbc.query(c, candidateStatement(types, runs != null), bound, rs -> {
                chosen.add(rs.getLong(1));
                n[0]++;
            });
            taken += n[0];
            if (taken >= budget) {
                break;
            }
        }
        return taken;
    }

    private static Integer intOrNull(java.sql.ResultSet rs, int column) throws SQLException {
        int v = rs.getInt(column);
        return rs.wasNull() ? null : v;
    }

    /** {@code head} followed by the executor types. */
    private static Object[] args(Object[] head, List<String> types) {
        Object[] a = new Object[head.length + types.size()];
        System.arraycopy(head, 0, a, 0, head.length);
        for (int i = 0; i < types.size(); i++) {
            a[head.length + i] = types.get(i);
        }
        return a;
    }
}
