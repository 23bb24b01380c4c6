package dev.orchestrator.jdbc.internal;

import dev.orchestrator.TaskStatus;
import dev.orchestrator.spi.TaskUpdate;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.impl.DSL;
import org.jooq.impl.SQLDataType;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

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
import static dev.orchestrator.jdbc.internal.Col.STATUS;
import static dev.orchestrator.jdbc.internal.Col.TASK_ID;

/**
 * {@link TaskWriter} as JDBC batches of statements rendered once: right for SQLite, where a
 * statement costs no round trip and each row's update count tells whether it applied.
 */
public final class BatchTaskWriter implements TaskWriter {

    private final Stmt taskRunning;
    private final Stmt attemptRunning;
    private final Stmt taskHeartbeat;
    private final Stmt taskEnd;
    private final Stmt taskRetry;
    private final Stmt attemptEnd;

    /** Statements for {@code t}, rendered once with {@code r}. */
    public BatchTaskWriter(Tables t, DSLContext r) {
        Condition live = ID.eq(DSL.param(SQLDataType.BIGINT)).and(ATTEMPT.eq(DSL.param(SQLDataType.INTEGER)))
                .and(STATUS.in(Statuses.lit(TaskStatus.DISPATCHED), Statuses.lit(TaskStatus.RUNNING)));
        Condition attemptRow = TASK_ID.eq(DSL.param(SQLDataType.BIGINT)).and(ATTEMPT.eq(DSL.param(SQLDataType.INTEGER)));
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
    }

    @Override
    public boolean[] running(DSLContext ctx, Connection c, List<TaskUpdate> updates, long now) throws SQLException {
        List<Object[]> rows = new ArrayList<>(updates.size());
        for (TaskUpdate u : updates) {
            rows.add(new Object[]{u.executionName(), now, u.taskId(), u.attempt()});
        }
        return applied(JdbcBatch.run(c, taskRunning.sql(), rows));
    }

    @Override
    public void attemptsRunning(DSLContext ctx, Connection c, List<TaskUpdate> applied) throws SQLException {
        List<Object[]> rows = new ArrayList<>(applied.size());
        for (TaskUpdate u : applied) {
            rows.add(new Object[]{u.executionName(), u.outputRef(), u.taskId(), u.attempt()});
        }
        JdbcBatch.run(c, attemptRunning.sql(), rows);
    }

    @Override
    public void heartbeats(DSLContext ctx, Connection c, List<TaskUpdate> updates, long now) throws SQLException {
        List<Object[]> rows = new ArrayList<>(updates.size());
        for (TaskUpdate u : updates) {
            rows.add(new Object[]{now, u.taskId(), u.attempt()});
        }
        JdbcBatch.run(c, taskHeartbeat.sql(), rows);
    }

    @Override
    public boolean[] end(DSLContext ctx, Connection c, List<TaskUpdate> updates, List<String> statuses, long now)
            throws SQLException {
        List<Object[]> rows = new ArrayList<>(updates.size());
        for (int i = 0; i < updates.size(); i++) {
            TaskUpdate u = updates.get(i);
            rows.add(new Object[]{statuses.get(i), u.exitCode(), u.error(), u.outputTail(), now, u.taskId(),
                    u.attempt()});
        }
        return applied(JdbcBatch.run(c, taskEnd.sql(), rows));
    }

    @Override
    public boolean[] retry(DSLContext ctx, Connection c, List<TaskUpdate> updates) throws SQLException {
        List<Object[]> rows = new ArrayList<>(updates.size());
        for (TaskUpdate u : updates) {
            rows.add(new Object[]{Millis.of(u.retryAt()), u.exitCode(), u.error(), u.outputTail(), u.taskId(),
                    u.attempt()});
        }
        return applied(JdbcBatch.run(c, taskRetry.sql(), rows));
    }

    @Override
    public void attemptsEnded(DSLContext ctx, Connection c, List<TaskUpdate> applied, long now) throws SQLException {
        List<Object[]> rows = new ArrayList<>(applied.size());
        for (TaskUpdate u : applied) {
            rows.add(new Object[]{u.outcome().name(), u.exitCode(), u.error(), u.outputTail(), now, u.taskId(),
                    u.attempt()});
        }
        JdbcBatch.run(c, attemptEnd.sql(), rows);
    }

    private static boolean[] applied(int[] counts) {
        boolean[] applied = new boolean[counts.length];
        for (int i = 0; i < counts.length; i++) {
            applied[i] = JdbcBatch.applied(counts[i]);
        }
        return applied;
    }
}
