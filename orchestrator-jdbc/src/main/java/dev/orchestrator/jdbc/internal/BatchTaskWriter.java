package dev.orchestrator.jdbc.internal;

import dev.orchestrator.AttemptOutcome;
import dev.orchestrator.TaskStatus;
import dev.orchestrator.spi.TaskUpdate;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.impl.DSL;
import org.jooq.impl.SQLDataType;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static dev.orchestrator.jdbc.internal.Col.ATTEMPT;
import static dev.orchestrator.jdbc.internal.Col.ERROR;
import static dev.orchestrator.jdbc.internal.Col.EXECUTION_NAME;
import static dev.orchestrator.jdbc.internal.Col.EXIT_CODE;
import static dev.orchestrator.jdbc.internal.Col.FINISHED_AT;
import static dev.orchestrator.jdbc.internal.Col.HEARTBEAT_AT;
import static dev.orchestrator.jdbc.internal.Col.ID;
import static dev.orchestrator.jdbc.internal.Col.OUTCOME;
import static dev.orchestrator.jdbc.internal.Col.OUTPUT_REF;
import static dev.orchestrator.jdbc.internal.Col.OUTPUT_TAIL;
import static dev.orchestrator.jdbc.internal.Col.OWNER;
import static dev.orchestrator.jdbc.internal.Col.READY_AT;
import static dev.orchestrator.jdbc.internal.Col.RUN_ID;
import static dev.orchestrator.jdbc.internal.Col.STATUS;
import static dev.orchestrator.jdbc.internal.Col.STEP_INDEX;
import static dev.orchestrator.jdbc.internal.Col.TASK_ID;

/**
 * {@link TaskWriter} as JDBC batches of statements rendered once: right for SQLite, where a
 * statement costs no round trip (a batch is one call into the driver, and the statements stay
 * prepared, see {@link Jdbc}) and each row's update count tells whether it applied.
 */
public final class BatchTaskWriter implements TaskWriter {

    private final Jdbc jdbc;
    private final DialectSupport dialect;
    private final Stmt insertAttempt;
    private final Stmt taskRunning;
    private final Stmt attemptRunning;
    private final Stmt taskHeartbeat;
    private final Stmt taskEnd;
    private final Stmt taskEndRunning;
    private final Stmt taskRetry;
    private final Stmt attemptEnd;
    private final Stmt attemptEndRunning;
    private final Stmt stepsOf;

    /** Statements for {@code t}, rendered once with {@code r}, run by {@code jdbc}. */
    public BatchTaskWriter(Tables t, DSLContext r, Jdbc jdbc, DialectSupport dialect) {
        this.jdbc = jdbc;
        this.dialect = dialect;
        Condition live = ID.eq(DSL.param(SQLDataType.BIGINT)).and(ATTEMPT.eq(DSL.param(SQLDataType.INTEGER)))
                .and(STATUS.in(Statuses.lit(TaskStatus.DISPATCHED), Statuses.lit(TaskStatus.RUNNING)));
        Condition attemptRow = TASK_ID.eq(DSL.param(SQLDataType.BIGINT)).and(ATTEMPT.eq(DSL.param(SQLDataType.INTEGER)));
        insertAttempt = Stmt.of(r, r.insertInto(t.attempts, TASK_ID, ATTEMPT, OUTCOME, Col.NODE, Col.STARTED_AT)
                .values(DSL.param(SQLDataType.BIGINT), DSL.param(SQLDataType.INTEGER),
                        Statuses.lit(AttemptOutcome.RUNNING), DSL.param(SQLDataType.VARCHAR),
                        DSL.param(SQLDataType.BIGINT)), 4);
        taskRunning = Stmt.of(r, r.update(t.tasks)
                .set(STATUS, Statuses.lit(TaskStatus.RUNNING))
                .set(EXECUTION_NAME, DSL.param(SQLDataType.VARCHAR))
                .set(HEARTBEAT_AT, DSL.param(SQLDataType.BIGINT))
                .where(live), 4);
        attemptRunning = Stmt.of(r, r.update(t.attempts)
                .set(EXECUTION_NAME, DSL.param(SQLDataType.VARCHAR))
                .set(OUTPUT_REF, DSL.param(SQLDataType.VARCHAR))
                .where(attemptRow), 4);
        taskHeartbeat = Stmt.of(r, r.update(t.tasks)
                .set(HEARTBEAT_AT, DSL.param(SQLDataType.BIGINT))
                .where(live), 3);
        taskEnd = Stmt.of(r, r.update(t.tasks)
                .set(STATUS, DSL.param(SQLDataType.VARCHAR))
                .set(EXIT_CODE, DSL.param(SQLDataType.INTEGER))
                .set(ERROR, DSL.param(SQLDataType.VARCHAR))
                .set(OUTPUT_TAIL, DSL.param(SQLDataType.VARCHAR))
                .set(FINISHED_AT, DSL.param(SQLDataType.BIGINT))
                .set(OWNER, DSL.inline((String) null, SQLDataType.VARCHAR))
                .where(live), 7);
        taskEndRunning = Stmt.of(r, r.update(t.tasks)
                .set(STATUS, DSL.param(SQLDataType.VARCHAR))
                .set(EXIT_CODE, DSL.param(SQLDataType.INTEGER))
                .set(ERROR, DSL.param(SQLDataType.VARCHAR))
                .set(OUTPUT_TAIL, DSL.param(SQLDataType.VARCHAR))
                .set(FINISHED_AT, DSL.param(SQLDataType.BIGINT))
                .set(OWNER, DSL.inline((String) null, SQLDataType.VARCHAR))
                .set(EXECUTION_NAME, DSL.param(SQLDataType.VARCHAR))
                .set(HEARTBEAT_AT, DSL.param(SQLDataType.BIGINT))
                .where(live), 9);
        taskRetry = Stmt.of(r, r.update(t.tasks)
                .set(STATUS, Statuses.lit(TaskStatus.PENDING))
                .set(READY_AT, DSL.param(SQLDataType.BIGINT))
                .set(EXIT_CODE, DSL.param(SQLDataType.INTEGER))
                .set(ERROR, DSL.param(SQLDataType.VARCHAR))
                .set(OUTPUT_TAIL, DSL.param(SQLDataType.VARCHAR))
                .set(OWNER, DSL.inline((String) null, SQLDataType.VARCHAR))
                .where(live), 6);
        attemptEnd = Stmt.of(r, r.update(t.attempts)
                .set(OUTCOME, DSL.param(SQLDataType.VARCHAR))
                .set(EXIT_CODE, DSL.param(SQLDataType.INTEGER))
                .set(ERROR, DSL.param(SQLDataType.VARCHAR))
                .set(OUTPUT_TAIL, DSL.param(SQLDataType.VARCHAR))
                .set(FINISHED_AT, DSL.param(SQLDataType.BIGINT))
                .where(attemptRow), 7);
        attemptEndRunning = Stmt.of(r, r.update(t.attempts)
                .set(OUTCOME, DSL.param(SQLDataType.VARCHAR))
                .set(EXIT_CODE, DSL.param(SQLDataType.INTEGER))
                .set(ERROR, DSL.param(SQLDataType.VARCHAR))
                .set(OUTPUT_TAIL, DSL.param(SQLDataType.VARCHAR))
                .set(FINISHED_AT, DSL.param(SQLDataType.BIGINT))
                .set(EXECUTION_NAME, DSL.param(SQLDataType.VARCHAR))
                .set(OUTPUT_REF, DSL.param(SQLDataType.VARCHAR))
                .where(attemptRow), 9);
        stepsOf = Stmt.of(r, r.select(ID, RUN_ID, STEP_INDEX).from(t.tasks).where(dialect.idIn(ID)), 1);
    }

    @Override
    public void insertAttempts(Connection c, long[] taskIds, int[] attempts, String node, long now)
            throws SQLException {
        List<Object[]> rows = new ArrayList<>(taskIds.length);
        for (int i = 0; i < taskIds.length; i++) {
            rows.add(new Object[]{taskIds[i], attempts[i], node, now});
        }
        jdbc.batch(c, insertAttempt, rows);
    }

    @Override
    public boolean[] running(Connection c, List<TaskUpdate> updates, long now) throws SQLException {
        List<Object[]> rows = new ArrayList<>(updates.size());
        for (TaskUpdate u : updates) {
            rows.add(new Object[]{u.executionName(), now, u.taskId(), u.attempt()});
        }
        return applied(jdbc.batch(c, taskRunning, rows));
    }

    @Override
    public void attemptsRunning(Connection c, List<TaskUpdate> applied) throws SQLException {
        List<Object[]> rows = new ArrayList<>(applied.size());
        for (TaskUpdate u : applied) {
            rows.add(new Object[]{u.executionName(), u.outputRef(), u.taskId(), u.attempt()});
        }
        jdbc.batch(c, attemptRunning, rows);
    }

    @Override
    public void heartbeats(Connection c, List<TaskUpdate> updates, long now) throws SQLException {
        List<Object[]> rows = new ArrayList<>(updates.size());
        for (TaskUpdate u : updates) {
            rows.add(new Object[]{now, u.taskId(), u.attempt()});
        }
        jdbc.batch(c, taskHeartbeat, rows);
    }

    @Override
    public StepKey[] end(Connection c, List<TaskUpdate> updates, List<TaskUpdate> running, List<String> statuses,
                         long now) throws SQLException {
        // One batch per statement shape, each in task id order; rows of different tasks are independent.
        List<Object[]> plain = new ArrayList<>(updates.size());
        List<Integer> plainIndex = new ArrayList<>(updates.size());
        List<Object[]> merged = new ArrayList<>(updates.size());
        List<Integer> mergedIndex = new ArrayList<>(updates.size());
        for (int i = 0; i < updates.size(); i++) {
            TaskUpdate u = updates.get(i);
            TaskUpdate r = running.get(i);
            if (r == null) {
                plain.add(new Object[]{statuses.get(i), u.exitCode(), u.error(), u.outputTail(), now, u.taskId(),
                        u.attempt()});
                plainIndex.add(i);
            } else {
                merged.add(new Object[]{statuses.get(i), u.exitCode(), u.error(), u.outputTail(), now,
                        r.executionName(), now, u.taskId(), u.attempt()});
                mergedIndex.add(i);
            }
        }
        boolean[] applied = new boolean[updates.size()];
        mark(applied, plainIndex, jdbc.batch(c, taskEnd, plain));
        mark(applied, mergedIndex, jdbc.batch(c, taskEndRunning, merged));
        List<Long> ids = new ArrayList<>();
        for (int i = 0; i < applied.length; i++) {
            if (applied[i]) {
                ids.add(updates.get(i).taskId());
            }
        }
        StepKey[] steps = new StepKey[updates.size()];
        if (ids.isEmpty()) {
            return steps;
        }
        Map<Long, StepKey> byTask = new HashMap<>();
        jdbc.query(c, stepsOf, new Object[]{dialect.ids(ids)},
                rs -> byTask.put(rs.getLong(1), new StepKey(rs.getLong(2), rs.getInt(3))));
        for (int i = 0; i < applied.length; i++) {
            if (applied[i]) {
                steps[i] = byTask.get(updates.get(i).taskId());
            }
        }
        return steps;
    }

    @Override
    public boolean[] retry(Connection c, List<TaskUpdate> updates) throws SQLException {
        List<Object[]> rows = new ArrayList<>(updates.size());
        for (TaskUpdate u : updates) {
            rows.add(new Object[]{Millis.of(u.retryAt()), u.exitCode(), u.error(), u.outputTail(), u.taskId(),
                    u.attempt()});
        }
        return applied(jdbc.batch(c, taskRetry, rows));
    }

    @Override
    public void attemptsEnded(Connection c, List<TaskUpdate> applied, List<TaskUpdate> running, long now)
            throws SQLException {
        List<Object[]> plain = new ArrayList<>(applied.size());
        List<Object[]> merged = new ArrayList<>(applied.size());
        for (int i = 0; i < applied.size(); i++) {
            TaskUpdate u = applied.get(i);
            TaskUpdate r = running.get(i);
            if (r == null) {
                plain.add(new Object[]{u.outcome().name(), u.exitCode(), u.error(), u.outputTail(), now, u.taskId(),
                        u.attempt()});
            } else {
                merged.add(new Object[]{u.outcome().name(), u.exitCode(), u.error(), u.outputTail(), now,
                        r.executionName(), r.outputRef(), u.taskId(), u.attempt()});
            }
        }
        jdbc.batch(c, attemptEnd, plain);
        jdbc.batch(c, attemptEndRunning, merged);
    }

    private static void mark(boolean[] applied, List<Integer> indexes, int[] counts) {
        for (int i = 0; i < counts.length; i++) {
            applied[indexes.get(i)] = JdbcBatch.applied(counts[i]);
        }
    }

    private static boolean[] applied(int[] counts) {
        boolean[] applied = new boolean[counts.length];
        for (int i = 0; i < counts.length; i++) {
            applied[i] = JdbcBatch.applied(counts[i]);
        }
        return applied;
    }
}
