package dev.orchestrator.jdbc.internal;

import dev.orchestrator.AttemptOutcome;
import dev.orchestrator.TaskStatus;
import dev.orchestrator.spi.TaskUpdate;
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

import static dev.orchestrator.jdbc.internal.Col.q;

/**
 * {@link TaskWriter} for PostgreSQL: each write is one {@code UPDATE ... FROM unnest(arrays) WITH
 * ORDINALITY ... RETURNING ord}, so a batch of any size costs one statement, and the returned
 * ordinals tell which updates applied. When one task appears twice in a batch, its row is
 * updated once. Every statement is rendered once, with one bind value per array.
 */
public final class ArrayTaskWriter implements TaskWriter {

    private static final Field<Long> ORD = DSL.field(DSL.name("u", "ord"), SQLDataType.BIGINT);

    private final Jdbc jdbc;
    private final Stmt insertAttempts;
    private final Stmt running;
    private final Stmt attemptsRunning;
    private final Stmt heartbeats;
    private final Stmt end;
    private final Stmt endRunning;
    private final Stmt retry;
    private final Stmt attemptsEnded;
    private final Stmt attemptsEndedRunning;

    /** Statements for {@code t}, rendered once with {@code r}, run by {@code jdbc}. */
    public ArrayTaskWriter(Tables t, DSLContext r, Jdbc jdbc) {
        this.jdbc = jdbc;
        // Scalar bind values first, then the arrays: the order in which the SQL takes them.
        insertAttempts = Stmt.of(r, r.insertInto(t.attempts, Col.TASK_ID, Col.ATTEMPT, Col.OUTCOME, Col.NODE,
                        Col.STARTED_AT)
                .select(r.select(q("u", Col.TASK_ID), q("u", Col.ATTEMPT), Statuses.lit(AttemptOutcome.RUNNING),
                                DSL.param(SQLDataType.VARCHAR), DSL.param(SQLDataType.BIGINT))
                        .from(unnest(long[].class, "task_id", int[].class, "attempt"))), 4);
        running = Stmt.of(r, r.update(t.tasks.as("t"))
                .set(Col.HEARTBEAT_AT, DSL.param(SQLDataType.BIGINT))
                .set(Col.STATUS, Statuses.lit(TaskStatus.RUNNING))
                .set(Col.EXECUTION_NAME, q("u", Col.EXECUTION_NAME))
                .from(unnest(long[].class, "id", int[].class, "attempt", String[].class, "execution_name"))
                .where(liveTask())
                .returningResult(ORD), 4);
        attemptsRunning = Stmt.of(r, r.update(t.attempts.as("a"))
                .set(Col.EXECUTION_NAME, q("u", Col.EXECUTION_NAME))
                .set(Col.OUTPUT_REF, q("u", Col.OUTPUT_REF))
                .from(unnest(long[].class, "task_id", int[].class, "attempt", String[].class, "execution_name",
                        String[].class, "output_ref"))
                .where(attemptRow()), 4);
        heartbeats = Stmt.of(r, r.update(t.tasks.as("t"))
                .set(Col.HEARTBEAT_AT, DSL.param(SQLDataType.BIGINT))
                .from(unnest(long[].class, "id", int[].class, "attempt"))
                .where(liveTask()), 3);
        end = Stmt.of(r, r.update(t.tasks.as("t"))
                .set(Col.FINISHED_AT, DSL.param(SQLDataType.BIGINT))
                .set(Col.STATUS, q("u", Col.STATUS))
                .set(Col.EXIT_CODE, q("u", Col.EXIT_CODE))
                .set(Col.ERROR, q("u", Col.ERROR))
                .set(Col.OUTPUT_TAIL, q("u", Col.OUTPUT_TAIL))
                .set(Col.OWNER, DSL.inline((String) null, SQLDataType.VARCHAR))
                .from(unnest(long[].class, "id", int[].class, "attempt", String[].class, "status",
                        int[].class, "exit_code", String[].class, "error", String[].class, "output_tail"))
                .where(liveTask())
                .returningResult(ORD, q("t", Col.RUN_ID), q("t", Col.STEP_INDEX)), 7);
        endRunning = Stmt.of(r, r.update(t.tasks.as("t"))
                .set(Col.FINISHED_AT, DSL.param(SQLDataType.BIGINT))
                .set(Col.HEARTBEAT_AT, DSL.param(SQLDataType.BIGINT))
                .set(Col.STATUS, q("u", Col.STATUS))
                .set(Col.EXECUTION_NAME, q("u", Col.EXECUTION_NAME))
                .set(Col.EXIT_CODE, q("u", Col.EXIT_CODE))
                .set(Col.ERROR, q("u", Col.ERROR))
                .set(Col.OUTPUT_TAIL, q("u", Col.OUTPUT_TAIL))
                .set(Col.OWNER, DSL.inline((String) null, SQLDataType.VARCHAR))
                .from(unnest(long[].class, "id", int[].class, "attempt", String[].class, "status",
                        String[].class, "execution_name", int[].class, "exit_code", String[].class, "error",
                        String[].class, "output_tail"))
                .where(liveTask())
                .returningResult(ORD, q("t", Col.RUN_ID), q("t", Col.STEP_INDEX)), 9);
        retry = Stmt.of(r, r.update(t.tasks.as("t"))
                .set(Col.STATUS, Statuses.lit(TaskStatus.PENDING))
                .set(Col.READY_AT, q("u", Col.READY_AT))
                .set(Col.EXIT_CODE, q("u", Col.EXIT_CODE))
                .set(Col.ERROR, q("u", Col.ERROR))
                .set(Col.OUTPUT_TAIL, q("u", Col.OUTPUT_TAIL))
                .set(Col.OWNER, DSL.inline((String) null, SQLDataType.VARCHAR))
                .from(unnest(long[].class, "id", int[].class, "attempt", long[].class, "ready_at",
                        int[].class, "exit_code", String[].class, "error", String[].class, "output_tail"))
                .where(liveTask())
                .returningResult(ORD), 6);
        attemptsEnded = Stmt.of(r, r.update(t.attempts.as("a"))
                .set(Col.FINISHED_AT, DSL.param(SQLDataType.BIGINT))
                .set(Col.OUTCOME, q("u", Col.OUTCOME))
                .set(Col.EXIT_CODE, q("u", Col.EXIT_CODE))
                .set(Col.ERROR, q("u", Col.ERROR))
                .set(Col.OUTPUT_TAIL, q("u", Col.OUTPUT_TAIL))
                .from(unnest(long[].class, "task_id", int[].class, "attempt", String[].class, "outcome",
                        int[].class, "exit_code", String[].class, "error", String[].class, "output_tail"))
                .where(attemptRow()), 7);
        attemptsEndedRunning = Stmt.of(r, r.update(t.attempts.as("a"))
                .set(Col.FINISHED_AT, DSL.param(SQLDataType.BIGINT))
                .set(Col.OUTCOME, q("u", Col.OUTCOME))
                .set(Col.EXIT_CODE, q("u", Col.EXIT_CODE))
                .set(Col.ERROR, q("u", Col.ERROR))
                .set(Col.OUTPUT_TAIL, q("u", Col.OUTPUT_TAIL))
                .set(Col.EXECUTION_NAME, q("u", Col.EXECUTION_NAME))
                .set(Col.OUTPUT_REF, q("u", Col.OUTPUT_REF))
                .from(unnest(long[].class, "task_id", int[].class, "attempt", String[].class, "outcome",
                        int[].class, "exit_code", String[].class, "error", String[].class, "output_tail",
                        String[].class, "execution_name", String[].class, "output_ref"))
                .where(attemptRow()), 9);
    }

    @Override
    public void insertAttempts(Connection c, long[] taskIds, int[] attempts, String node, long now)
            throws SQLException {
        int n = taskIds.length;
        if (n == 0) {
            return;
        }
        Long[] ids = new Long[n];
        Integer[] att = new Integer[n];
        for (int i = 0; i < n; i++) {
            ids[i] = taskIds[i];
            att[i] = attempts[i];
        }
        jdbc.update(c, insertAttempts, node, now, ids, att);
    }

    @Override
    public boolean[] running(Connection c, List<TaskUpdate> updates, long now) throws SQLException {
        int n = updates.size();
        Long[] ids = new Long[n];
        Integer[] attempts = new Integer[n];
        String[] names = new String[n];
        for (int i = 0; i < n; i++) {
            TaskUpdate u = updates.get(i);
            ids[i] = u.taskId();
            attempts[i] = u.attempt();
            names[i] = u.executionName();
        }
        boolean[] applied = new boolean[n];
        jdbc.query(c, running, new Object[]{now, ids, attempts, names}, rs -> applied[(int) rs.getLong(1) - 1] = true);
        return applied;
    }

    @Override
    public void attemptsRunning(Connection c, List<TaskUpdate> applied) throws SQLException {
        int n = applied.size();
        if (n == 0) {
            return;
        }
        Long[] ids = new Long[n];
        Integer[] attempts = new Integer[n];
        String[] names = new String[n];
        String[] refs = new String[n];
        for (int i = 0; i < n; i++) {
            TaskUpdate u = applied.get(i);
            ids[i] = u.taskId();
            attempts[i] = u.attempt();
            names[i] = u.executionName();
            refs[i] = u.outputRef();
        }
        jdbc.update(c, attemptsRunning, ids, attempts, names, refs);
    }

    @Override
    public void heartbeats(Connection c, List<TaskUpdate> updates, long now) throws SQLException {
        int n = updates.size();
        if (n == 0) {
            return;
        }
        Long[] ids = new Long[n];
        Integer[] attempts = new Integer[n];
        for (int i = 0; i < n; i++) {
            ids[i] = updates.get(i).taskId();
            attempts[i] = updates.get(i).attempt();
        }
        jdbc.update(c, heartbeats, now, ids, attempts);
    }

    @Override
    public StepKey[] end(Connection c, List<TaskUpdate> updates, List<TaskUpdate> running, List<String> statuses,
                         long now) throws SQLException {
        StepKey[] steps = new StepKey[updates.size()];
        List<Integer> plain = new ArrayList<>();
        List<Integer> merged = new ArrayList<>();
        for (int i = 0; i < updates.size(); i++) {
            (running.get(i) == null ? plain : merged).add(i);
        }
        if (!plain.isEmpty()) {
            int n = plain.size();
            Long[] ids = new Long[n];
            Integer[] attempts = new Integer[n];
            String[] status = new String[n];
            Integer[] exits = new Integer[n];
            String[] errors = new String[n];
            String[] tails = new String[n];
            for (int k = 0; k < n; k++) {
                int i = plain.get(k);
                TaskUpdate u = updates.get(i);
                ids[k] = u.taskId();
                attempts[k] = u.attempt();
                status[k] = statuses.get(i);
                exits[k] = u.exitCode();
                errors[k] = u.error();
                tails[k] = u.outputTail();
            }
            jdbc.query(c, end, new Object[]{now, ids, attempts, status, exits, errors, tails},
                    rs -> steps[plain.get((int) rs.getLong(1) - 1)] = new StepKey(rs.getLong(2), rs.getInt(3)));
        }
        if (!merged.isEmpty()) {
            int n = merged.size();
            Long[] ids = new Long[n];
            Integer[] attempts = new Integer[n];
            String[] status = new String[n];
            String[] names = new String[n];
            Integer[] exits = new Integer[n];
            String[] errors = new String[n];
            String[] tails = new String[n];
            for (int k = 0; k < n; k++) {
                int i = merged.get(k);
                TaskUpdate u = updates.get(i);
                ids[k] = u.taskId();
                attempts[k] = u.attempt();
                status[k] = statuses.get(i);
                names[k] = running.get(i).executionName();
                exits[k] = u.exitCode();
                errors[k] = u.error();
                tails[k] = u.outputTail();
            }
            jdbc.query(c, endRunning, new Object[]{now, now, ids, attempts, status, names, exits, errors, tails},
                    rs -> steps[merged.get((int) rs.getLong(1) - 1)] = new StepKey(rs.getLong(2), rs.getInt(3)));
        }
        return steps;
    }

    @Override
    public boolean[] retry(Connection c, List<TaskUpdate> updates) throws SQLException {
        int n = updates.size();
        boolean[] applied = new boolean[n];
        if (n == 0) {
            return applied;
        }
        Long[] ids = new Long[n];
        Integer[] attempts = new Integer[n];
        Long[] readyAt = new Long[n];
        Integer[] exits = new Integer[n];
        String[] errors = new String[n];
        String[] tails = new String[n];
        for (int i = 0; i < n; i++) {
            TaskUpdate u = updates.get(i);
            ids[i] = u.taskId();
            attempts[i] = u.attempt();
            readyAt[i] = Millis.of(u.retryAt());
            exits[i] = u.exitCode();
            errors[i] = u.error();
            tails[i] = u.outputTail();
        }
        jdbc.query(c, retry, new Object[]{ids, attempts, readyAt, exits, errors, tails},
                rs -> applied[(int) rs.getLong(1) - 1] = true);
        return applied;
    }

    @Override
    public void attemptsEnded(Connection c, List<TaskUpdate> applied, List<TaskUpdate> running, long now)
            throws SQLException {
        List<Integer> plain = new ArrayList<>();
        List<Integer> merged = new ArrayList<>();
        for (int i = 0; i < applied.size(); i++) {
            (running.get(i) == null ? plain : merged).add(i);
        }
        if (!plain.isEmpty()) {
            int n = plain.size();
            Long[] ids = new Long[n];
            Integer[] attempts = new Integer[n];
            String[] outcomes = new String[n];
            Integer[] exits = new Integer[n];
            String[] errors = new String[n];
            String[] tails = new String[n];
            for (int k = 0; k < n; k++) {
                TaskUpdate u = applied.get(plain.get(k));
                ids[k] = u.taskId();
                attempts[k] = u.attempt();
                outcomes[k] = u.outcome().name();
                exits[k] = u.exitCode();
                errors[k] = u.error();
                tails[k] = u.outputTail();
            }
            jdbc.update(c, attemptsEnded, now, ids, attempts, outcomes, exits, errors, tails);
        }
        if (!merged.isEmpty()) {
            int n = merged.size();
            Long[] ids = new Long[n];
            Integer[] attempts = new Integer[n];
            String[] outcomes = new String[n];
            Integer[] exits = new Integer[n];
            String[] errors = new String[n];
            String[] tails = new String[n];
            String[] names = new String[n];
            String[] refs = new String[n];
            for (int k = 0; k < n; k++) {
                int i = merged.get(k);
                TaskUpdate u = applied.get(i);
                TaskUpdate r = running.get(i);
                ids[k] = u.taskId();
                attempts[k] = u.attempt();
                outcomes[k] = u.outcome().name();
                exits[k] = u.exitCode();
                errors[k] = u.error();
                tails[k] = u.outputTail();
                names[k] = r.executionName();
                refs[k] = r.outputRef();
            }
            jdbc.update(c, attemptsEndedRunning, now, ids, attempts, outcomes, exits, errors, tails, names, refs);
        }
    }

    private static Condition liveTask() {
        return q("t", Col.ID).eq(q("u", Col.ID)).and(q("t", Col.ATTEMPT).eq(q("u", Col.ATTEMPT)))
                .and(q("t", Col.STATUS).in(Statuses.lit(TaskStatus.DISPATCHED), Statuses.lit(TaskStatus.RUNNING)));
    }

    private static Condition attemptRow() {
        return q("a", Col.TASK_ID).eq(q("u", Col.TASK_ID)).and(q("a", Col.ATTEMPT).eq(q("u", Col.ATTEMPT)));
    }

    /**
     * {@code unnest(?, ?, ...) WITH ORDINALITY AS u(columns..., ord)}, one array bind value per
     * column; the arguments alternate array type ({@code long[]}, {@code int[]} or
     * {@code String[]}) and column name.
     */
    private static Table<?> unnest(Object... typesThenNames) {
        int arrays = typesThenNames.length / 2;
        String[] columns = new String[arrays + 1];
        Object[] parts = new Object[arrays];
        StringBuilder template = new StringBuilder("unnest(");
        for (int i = 0; i < arrays; i++) {
            Class<?> type = (Class<?>) typesThenNames[2 * i];
            columns[i] = (String) typesThenNames[2 * i + 1];
            parts[i] = type == long[].class ? DSL.param(SQLDataType.BIGINT.array())
                    : type == int[].class ? DSL.param(SQLDataType.INTEGER.array())
                    : DSL.param(SQLDataType.VARCHAR.array());
            template.append(i == 0 ? "" : ", ").append('{').append(i).append('}');
        }
        columns[arrays] = "ord";
        return DSL.table(template.append(") with ordinality").toString(), parts).as("u", columns);
    }
}
