package dev.orchestrator.jdbc.internal;

import dev.orchestrator.AttemptOutcome;
import dev.orchestrator.TaskStatus;
import dev.orchestrator.spi.TaskUpdate;
import org.jooq.impl.DSL;
import org.jooq.impl.SQLDataType;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

import static dev.orchestrator.jdbc.internal.Col.ERROR;
import static dev.orchestrator.jdbc.internal.Col.EXECUTION_NAME;
import static dev.orchestrator.jdbc.internal.Col.EXIT_CODE;
import static dev.orchestrator.jdbc.internal.Col.FINISHED_AT;
import static dev.orchestrator.jdbc.internal.Col.HEARTBEAT_AT;
import static dev.orchestrator.jdbc.internal.Col.ID;
import static dev.orchestrator.jdbc.internal.Col.NODE;
import static dev.orchestrator.jdbc.internal.Col.OUTCOME;
import static dev.orchestrator.jdbc.internal.Col.OUTPUT_REF;
import static dev.orchestrator.jdbc.internal.Col.OUTPUT_TAIL;
import static dev.orchestrator.jdbc.internal.Col.OWNER;
import static dev.orchestrator.jdbc.internal.Col.READY_AT;
import static dev.orchestrator.jdbc.internal.Col.STARTED_AT;
import static dev.orchestrator.jdbc.internal.Col.STATUS;
import static dev.orchestrator.jdbc.internal.Col.TASK_ID;
import static dev.orchestrator.jdbc.internal.RowWrite.Result.APPLIED;
import static dev.orchestrator.jdbc.internal.RowWrite.Result.NONE;
import static dev.orchestrator.jdbc.internal.RowWrite.Result.STEPS;
import static dev.orchestrator.jdbc.internal.RowWrite.literal;
import static dev.orchestrator.jdbc.internal.RowWrite.row;
import static dev.orchestrator.jdbc.internal.RowWrite.scalar;

/**
 * The per-task writes of {@link ClaimQueries} and {@link UpdateApplier}, each for many updates at
 * once, written once for every database: each is a {@link RowWrite}, and the dialect's
 * {@link Binder} only binds its values (arrays on PostgreSQL, JDBC batches on SQLite). Every task
 * write is guarded by {@code id}, {@code attempt} and {@code status IN ('DISPATCHED','RUNNING')},
 * and reports which updates it applied. Thread-safe.
 */
final class TaskWriter {

    private final Binder.Bound insertAttempts;
    private final Binder.Bound running;
    private final Binder.Bound attemptsRunning;
    private final Binder.Bound heartbeats;
    private final Binder.Bound end;
    private final Binder.Bound endRunning;
    private final Binder.Bound retry;
    private final Binder.Bound attemptsEnded;
    private final Binder.Bound attemptsEndedRunning;

    /** The writes on {@code t}, rendered once by {@code binder}. */
    TaskWriter(Tables t, Binder binder) {
        var noOwner = literal(OWNER, DSL.inline((String) null, SQLDataType.VARCHAR));
        insertAttempts = binder.prepare(RowWrite.insert(t.attempts, TASK_ID,
                literal(OUTCOME, Statuses.lit(AttemptOutcome.RUNNING)), scalar(NODE), scalar(STARTED_AT)));
        running = binder.prepare(RowWrite.update(t.tasks, ID, true, APPLIED,
                scalar(HEARTBEAT_AT), literal(STATUS, Statuses.lit(TaskStatus.RUNNING)), row(EXECUTION_NAME),
                row(Col.EXECUTOR_STATE)));
        attemptsRunning = binder.prepare(RowWrite.update(t.attempts, TASK_ID, false, NONE,
                row(EXECUTION_NAME), row(OUTPUT_REF)));
        heartbeats = binder.prepare(RowWrite.update(t.tasks, ID, true, NONE, scalar(HEARTBEAT_AT)));
        end = binder.prepare(RowWrite.update(t.tasks, ID, true, STEPS,
                scalar(FINISHED_AT), row(STATUS), row(EXIT_CODE), row(ERROR), row(OUTPUT_TAIL), noOwner));
        endRunning = binder.prepare(RowWrite.update(t.tasks, ID, true, STEPS,
                scalar(FINISHED_AT), row(STATUS), row(EXIT_CODE), row(ERROR), row(OUTPUT_TAIL), noOwner,
                scalar(HEARTBEAT_AT), row(EXECUTION_NAME)));
        retry = binder.prepare(RowWrite.update(t.tasks, ID, true, APPLIED,
                literal(STATUS, Statuses.lit(TaskStatus.PENDING)), row(READY_AT), row(EXIT_CODE), row(ERROR),
                row(OUTPUT_TAIL), noOwner));
        attemptsEnded = binder.prepare(RowWrite.update(t.attempts, TASK_ID, false, NONE,
                scalar(FINISHED_AT), row(OUTCOME), row(EXIT_CODE), row(ERROR), row(OUTPUT_TAIL)));
        attemptsEndedRunning = binder.prepare(RowWrite.update(t.attempts, TASK_ID, false, NONE,
                scalar(FINISHED_AT), row(OUTCOME), row(EXIT_CODE), row(ERROR), row(OUTPUT_TAIL),
                row(EXECUTION_NAME), row(OUTPUT_REF)));
    }

    /** Inserts the {@code RUNNING} attempt rows of claimed tasks ({@code taskIds[i]}, {@code attempts[i]}). */
    void insertAttempts(Connection c, long[] taskIds, int[] attempts, String node, long now) throws SQLException {
        List<Object[]> rows = new ArrayList<>(taskIds.length);
        for (int i = 0; i < taskIds.length; i++) {
            rows.add(new Object[]{taskIds[i], attempts[i]});
        }
        insertAttempts.run(c, new Object[]{node, now}, rows);
    }

    /** {@code -> RUNNING} with the execution name and executor state; returns, per update, whether it applied. */
    boolean[] running(Connection c, List<TaskUpdate> updates, long now) throws SQLException {
        List<Object[]> rows = new ArrayList<>(updates.size());
        for (TaskUpdate u : updates) {
            rows.add(new Object[]{u.taskId(), u.attempt(), u.executionName(), u.executorState()});
        }
        return running.run(c, new Object[]{now}, rows);
    }

    /** Records the execution name and output reference on the attempt rows of applied RUNNING updates. */
    void attemptsRunning(Connection c, List<TaskUpdate> applied) throws SQLException {
        List<Object[]> rows = new ArrayList<>(applied.size());
        for (TaskUpdate u : applied) {
            rows.add(new Object[]{u.taskId(), u.attempt(), u.executionName(), u.outputRef()});
        }
        attemptsRunning.run(c, new Object[0], rows);
    }

    /** Records a heartbeat time on live tasks. */
    void heartbeats(Connection c, List<TaskUpdate> updates, long now) throws SQLException {
        List<Object[]> rows = new ArrayList<>(updates.size());
        for (TaskUpdate u : updates) {
            rows.add(new Object[]{u.taskId(), u.attempt()});
        }
        heartbeats.run(c, new Object[]{now}, rows);
    }

    /**
     * Ends tasks with {@code statuses[i]}. When {@code running[i]} is not {@code null}, it is the
     * RUNNING update of the same attempt from the same batch, written in the same row update (as
     * if it had been applied just before: execution name and heartbeat time).
     *
     * @return per update, the task's step if the update applied, else {@code null}
     */
    StepKey[] end(Connection c, List<TaskUpdate> updates, List<TaskUpdate> running, List<String> statuses, long now)
            throws SQLException {
        Split plain = new Split();
        Split merged = new Split();
        for (int i = 0; i < updates.size(); i++) {
            TaskUpdate u = updates.get(i);
            TaskUpdate r = running.get(i);
            Object[] row = r == null
                    ? new Object[]{u.taskId(), u.attempt(), statuses.get(i), u.exitCode(), u.error(), u.outputTail()}
                    : new Object[]{u.taskId(), u.attempt(), statuses.get(i), u.exitCode(), u.error(), u.outputTail(),
                    r.executionName()};
            (r == null ? plain : merged).add(i, row);
        }
        StepKey[] steps = new StepKey[updates.size()];
        plain.scatter(end.runForSteps(c, new Object[]{now}, plain.rows), steps);
        merged.scatter(endRunning.runForSteps(c, new Object[]{now, now}, merged.rows), steps);
        return steps;
    }

    /** Requeues tasks ({@code PENDING}, {@code ready_at = retryAt}); returns, per update, whether it applied. */
    boolean[] retry(Connection c, List<TaskUpdate> updates) throws SQLException {
        List<Object[]> rows = new ArrayList<>(updates.size());
        for (TaskUpdate u : updates) {
            rows.add(new Object[]{u.taskId(), u.attempt(), Millis.of(u.retryAt()), u.exitCode(), u.error(),
                    u.outputTail()});
        }
        return retry.run(c, new Object[0], rows);
    }

    /**
     * Ends the attempt rows of applied ENDED updates; when {@code running[i]} is not {@code null},
     * also records its execution name and output reference (as {@link #attemptsRunning} would).
     */
    void attemptsEnded(Connection c, List<TaskUpdate> applied, List<TaskUpdate> running, long now)
            throws SQLException {
        List<Object[]> plain = new ArrayList<>(applied.size());
        List<Object[]> merged = new ArrayList<>();
        for (int i = 0; i < applied.size(); i++) {
            TaskUpdate u = applied.get(i);
            TaskUpdate r = running.get(i);
            if (r == null) {
                plain.add(new Object[]{u.taskId(), u.attempt(), u.outcome().name(), u.exitCode(), u.error(),
                        u.outputTail()});
            } else {
                merged.add(new Object[]{u.taskId(), u.attempt(), u.outcome().name(), u.exitCode(), u.error(),
                        u.outputTail(), r.executionName(), r.outputRef()});
            }
        }
        attemptsEnded.run(c, new Object[]{now}, plain);
        attemptsEndedRunning.run(c, new Object[]{now}, merged);
    }

    /** Some of a batch's updates: their rows, and where each came from in the batch. */
    private static final class Split {
        final List<Object[]> rows = new ArrayList<>();
        final List<Integer> indexes = new ArrayList<>();

        void add(int index, Object[] row) {
            indexes.add(index);
            rows.add(row);
        }

        /** Puts each result back at its update's place in the batch. */
        void scatter(StepKey[] results, StepKey[] all) {
            for (int k = 0; k < results.length; k++) {
                all[indexes.get(k)] = results[k];
            }
        }
    }
}
