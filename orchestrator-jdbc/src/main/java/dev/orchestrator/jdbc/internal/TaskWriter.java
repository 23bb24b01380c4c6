package dev.orchestrator.jdbc.internal;

import dev.orchestrator.spi.TaskUpdate;
import org.jooq.DSLContext;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

/**
 * The per-task writes of {@link UpdateApplier}, each for many updates at once. Every task write is
 * guarded by {@code id}, {@code attempt} and {@code status IN ('DISPATCHED','RUNNING')}, and
 * reports which updates it applied. SQLite runs them as JDBC batches; PostgreSQL as one
 * set-based statement over arrays.
 */
public interface TaskWriter {

    /** {@code -> RUNNING} with the execution name; returns, per update, whether it applied. */
    boolean[] running(DSLContext ctx, Connection c, List<TaskUpdate> updates, long now) throws SQLException;

    /** Records the execution name and output reference on the attempt rows of applied RUNNING updates. */
    void attemptsRunning(DSLContext ctx, Connection c, List<TaskUpdate> applied) throws SQLException;

    /** Records a heartbeat time on live tasks. */
    void heartbeats(DSLContext ctx, Connection c, List<TaskUpdate> updates, long now) throws SQLException;

    /** Ends tasks with {@code statuses[i]}; returns, per update, whether it applied. */
    boolean[] end(DSLContext ctx, Connection c, List<TaskUpdate> updates, List<String> statuses, long now)
            throws SQLException;

    /** Requeues tasks ({@code PENDING}, {@code ready_at = retryAt}); returns, per update, whether it applied. */
    boolean[] retry(DSLContext ctx, Connection c, List<TaskUpdate> updates) throws SQLException;

    /** Ends the attempt rows of applied ENDED updates. */
    void attemptsEnded(DSLContext ctx, Connection c, List<TaskUpdate> applied, long now) throws SQLException;
}
