package dev.orchestrator.jdbc.internal;

import dev.orchestrator.spi.TaskUpdate;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

/**
 * The per-task writes of {@link ClaimQueries} and {@link UpdateApplier}, each for many updates at
 * once, with statements rendered once. Every task write is guarded by {@code id}, {@code attempt}
 * and {@code status IN ('DISPATCHED','RUNNING')}, and reports which updates it applied. SQLite
 * runs them as JDBC batches; PostgreSQL as one set-based statement over arrays.
 */
public interface TaskWriter {

    /** Inserts the {@code RUNNING} attempt rows of claimed tasks ({@code taskIds[i]}, {@code attempts[i]}). */
    void insertAttempts(Connection c, long[] taskIds, int[] attempts, String node, long now) throws SQLException;

    /** {@code -> RUNNING} with the execution name; returns, per update, whether it applied. */
    boolean[] running(Connection c, List<TaskUpdate> updates, long now) throws SQLException;

    /** Records the execution name and output reference on the attempt rows of applied RUNNING updates. */
    void attemptsRunning(Connection c, List<TaskUpdate> applied) throws SQLException;

    /** Records a heartbeat time on live tasks. */
    void heartbeats(Connection c, List<TaskUpdate> updates, long now) throws SQLException;

    /**
     * Ends tasks with {@code statuses[i]}. When {@code running[i]} is not {@code null}, it is the
     * RUNNING update of the same attempt from the same batch, written in the same row update (as
     * if it had been applied just before: execution name and heartbeat time).
     *
     * @return per update, the task's step if the update applied, else {@code null}
     */
    StepKey[] end(Connection c, List<TaskUpdate> updates, List<TaskUpdate> running, List<String> statuses, long now)
            throws SQLException;

    /** Requeues tasks ({@code PENDING}, {@code ready_at = retryAt}); returns, per update, whether it applied. */
    boolean[] retry(Connection c, List<TaskUpdate> updates) throws SQLException;

    /**
     * Ends the attempt rows of applied ENDED updates; when {@code running[i]} is not {@code null},
     * also records its execution name and output reference (as {@link #attemptsRunning} would).
     */
    void attemptsEnded(Connection c, List<TaskUpdate> applied, List<TaskUpdate> running, long now)
            throws SQLException;
}
