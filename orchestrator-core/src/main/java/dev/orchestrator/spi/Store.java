package dev.orchestrator.spi;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Where an orchestrator keeps all of its state. Narrow and batch-shaped: the scheduler calls
 * {@link #claimReady} and {@link #applyUpdates} with many tasks at once, and each call is one
 * transaction. Every method that depends on time takes {@code now}; implementations never read
 * the database's clock, so tests control time and every database agrees.
 *
 * <p>Implementations must be thread-safe and must pass the store contract suite published in
 * {@code orchestrator-core}'s test-jar ({@code dev.orchestrator.testkit.StoreContractTest}).
 */
public interface Store extends AutoCloseable {

    // ---- workflows

    /**
     * Saves a workflow version. If the latest version of {@code name} has exactly this
     * {@code specJson}, returns it unchanged; otherwise inserts version {@code latest + 1}
     * (or 1). A deleted workflow registered again continues its version numbers.
     */
    WorkflowRow saveWorkflow(String name, String specJson, Instant now);

    /** The latest version of a workflow that is not deleted. */
    Optional<WorkflowRow> findWorkflow(String name);

    /** One workflow version by id, deleted or not (runs keep their version). */
    Optional<WorkflowRow> findWorkflowVersion(long versionId);

    /** The latest version of every workflow that is not deleted, by name. */
    List<WorkflowRow> listWorkflows();

    /** Marks a workflow deleted; its runs and versions stay. Returns whether it existed. */
    boolean deleteWorkflow(String name, Instant now);

    // ---- runs

    /**
     * Creates a run, its step rows and all of its tasks in one transaction: tasks of steps
     * without dependencies are {@code PENDING} with {@code ready_at = now}, the others
     * {@code WAITING}. If {@code run.idempotencyKey()} is set and a run of the same workflow name
     * already has it, nothing is written and that run is returned with {@code created = false}
     * (also under concurrent calls). A run with limits ({@link NewRun#limited()}) records them for
     * the claim; with {@link dev.orchestrator.ConcurrencyPolicy#REFUSE}, if the workflow already
     * has {@code maxConcurrentRuns} runs that have not ended, nothing is written and
     * {@link dev.orchestrator.ConcurrencyLimitException} is thrown (also under concurrent calls
     * from several nodes). A store that cannot keep limits throws
     * {@link UnsupportedOperationException} for a limited run.
     *
     * @throws dev.orchestrator.ConcurrencyLimitException when a REFUSE limit is reached
     */
    CreatedRun createRun(NewRun run, Instant now);

    /** One run. */
    Optional<RunRow> findRun(long runId);

    /** Runs matching the filter, newest (highest id) first; see {@link RunFilter}. */
    List<RunRow> listRuns(RunFilter filter);

    /** All tasks of a run, by step index then task index. */
    List<TaskRow> listTasks(long runId);

    /** All attempts of one task, oldest first. */
    List<AttemptRow> listAttempts(long taskId);

    /**
     * The steps of a run with their counters, by step index; empty if there is no such run. Read
     * from the per-step counters, never by counting tasks (the in-flight count is read from the
     * in-flight tasks only), so it costs the same for a run of any size. The default throws.
     *
     * @throws UnsupportedOperationException if this store does not keep step rows
     */
    default List<StepRow> listSteps(long runId) {
        throw new UnsupportedOperationException(getClass().getName() + " does not implement listSteps");
    }

    /**
     * One page of a run's tasks, by step index then task index (see {@link TaskFilter}), served
     * by an index on {@code (run, step, task index)}. The default throws.
     *
     * @throws UnsupportedOperationException if this store does not page tasks
     */
    default List<TaskRow> listTasks(TaskFilter filter) {
        throw new UnsupportedOperationException(getClass().getName() + " does not implement listTasks(TaskFilter)");
    }

    /**
     * Every node row, by id, with the number of tasks each holds in flight. The default throws.
     *
     * @throws UnsupportedOperationException if this store does not list nodes
     */
    default List<NodeRow> listNodes() {
        throw new UnsupportedOperationException(getClass().getName() + " does not implement listNodes");
    }

    // ---- scheduling (called by the scheduler loop only)

    /**
     * Claims up to {@code limit} {@code PENDING} tasks with {@code ready_at <= now}, oldest
     * {@code ready_at} first, in one statement: each becomes {@code DISPATCHED}, owned by
     * {@code nodeId}, with its attempt number one higher, and gets an attempt row
     * ({@code RUNNING}, started {@code now}). Runs still {@code PENDING} become {@code RUNNING}.
     * Concurrent claims from several nodes never return the same task. Limits recorded by
     * {@link #createRun} hold across concurrent claims from several nodes: a step's
     * {@code maxConcurrentTasks} caps its tasks {@code DISPATCHED} or {@code RUNNING} across all runs
     * of the workflow, and a queued run's tasks are not claimed while {@code maxConcurrentRuns}
     * runs of its workflow are {@code RUNNING}.
     */
    List<ClaimedTask> claimReady(String nodeId, int limit, Instant now);

    /**
     * {@link #claimReady(String, int, Instant)} of only the tasks whose step needs one of
     * {@code executorTypes} (or no particular type), so nodes with different executors share one
     * store. The default ignores the types.
     */
    default List<ClaimedTask> claimReady(String nodeId, Set<String> executorTypes, int limit, Instant now) {
        return claimReady(nodeId, limit, now);
    }

    /**
     * Applies a batch of attempt updates in one transaction: task rows, attempt rows, per-step
     * and per-run counters; when a step has ended, releases its dependent steps' tasks
     * ({@code WAITING -> PENDING}) if it succeeded or skips them (and their dependents) if it
     * failed; when every task of a run has ended, ends the run ({@code SUCCEEDED} if all
     * succeeded, else {@code FAILED}). Stale updates (see {@link TaskUpdate}) are ignored.
     *
     * @return ids of the runs that ended in this batch
     */
    List<Long> applyUpdates(List<TaskUpdate> updates, Instant now);

    /**
     * {@link #applyUpdates} then, if {@code limit > 0}, {@link #claimReady}, with the same
     * results as the two calls in that order. A store may do both in one transaction (one commit
     * instead of two on the scheduler's busiest path); the default makes the two calls.
     */
    default WriteAndClaim applyUpdatesAndClaim(List<TaskUpdate> updates, String nodeId, int limit, Instant now) {
        return applyUpdatesAndClaim(updates, nodeId, null, limit, now);
    }

    /**
     * {@link #applyUpdates} then, if {@code limit > 0}, {@link #claimReady(String, Set, int, Instant)}
     * ({@code executorTypes} null for any type). The default makes the two calls.
     */
    default WriteAndClaim applyUpdatesAndClaim(List<TaskUpdate> updates, String nodeId, Set<String> executorTypes,
                                               int limit, Instant now) {
        List<Long> ended = updates.isEmpty() ? List.of() : applyUpdates(updates, now);
        List<ClaimedTask> claimed = limit <= 0 ? List.of()
                : executorTypes == null ? claimReady(nodeId, limit, now) : claimReady(nodeId, executorTypes, limit, now);
        return new WriteAndClaim(ended, claimed);
    }

    /**
     * {@link #applyUpdatesAndClaim(List, String, Set, int, Instant)}, where at most {@code startable}
     * of the {@code limit} tasks claimed may be tasks under a concurrency limit: those the node can
     * start at once. A limited task claimed ahead of a free slot would hold a place of its limit
     * without running. The default ignores {@code startable}.
     */
    default WriteAndClaim applyUpdatesAndClaim(List<TaskUpdate> updates, String nodeId, Set<String> executorTypes,
                                               int limit, int startable, Instant now) {
        return applyUpdatesAndClaim(updates, nodeId, executorTypes, limit, now);
    }

    // ---- nodes

    /**
     * Records that {@code nodeId} is alive (inserting its row if needed), on the store's clock:
     * the database's time on a server database, {@code now} on an embedded one, so nodes never
     * compare the wall clocks of different machines.
     *
     * @return whether the node's row existed; {@code false} for a new node, or for a node that
     *         others declared dead (it must then fence itself)
     */
    boolean heartbeat(String nodeId, Instant now);

    /**
     * {@link #heartbeat(String, Instant)} within about {@code timeout}: a store that talks to a
     * server gives up waiting for it after that long (and throws), so the node can retry before
     * its lease runs out instead of blocking on a silent connection. The orchestrator calls this
     * from a thread of its own, never the scheduler loop's, so a store should keep heartbeats off
     * the connections other calls may hold or wait for. The default ignores the limit.
     *
     * @throws RuntimeException if the heartbeat failed or did not complete in time
     */
    default boolean heartbeat(String nodeId, Instant now, Duration timeout) {
        return heartbeat(nodeId, now);
    }

    /**
     * Takes over the in-flight tasks of dead nodes: nodes other than {@code nodeId} whose last
     * heartbeat is older than {@code lease} on the store's clock (see {@link #heartbeat}), and
     * owners with no node row at all. One conditional write per table, so a node that renewed in
     * time is never taken over. Their {@code DISPATCHED} (claimed, never reported running) and
     * {@code RUNNING} tasks become owned by {@code nodeId} (status, attempt, execution name and
     * executor state unchanged) and are returned with their count of lost attempts; the caller
     * releases the dispatched ones ({@link TaskUpdate.Kind#RELEASED}), unless their executor finds
     * an execution they started ({@link Executor#adoptsUnnamed()}). The dead nodes' rows are
     * deleted. Concurrent take-overs never return the same task twice.
     */
    List<ClaimedTask> takeOverDeadNodes(String nodeId, Duration lease, Instant now);

    /**
     * The tasks the store says {@code nodeId} owns ({@code DISPATCHED} or {@code RUNNING}), so a
     * node can release or recover those it does not know of (a claim whose acknowledgement was
     * lost, a restart under the same id).
     */
    List<ClaimedTask> inFlightOf(String nodeId);

    /**
     * Called when an orchestrator starts scheduling on this store. A store that cannot be
     * scheduled by several processes at once (an embedded database file) refuses a second
     * process here with an {@link IllegalStateException} naming the file and the holder. The
     * default does nothing.
     */
    default void acquireSchedulerLock(String nodeId) {
    }

    // ---- run control

    /**
     * Cancels a run that has not ended: tasks that have not started become {@code CANCELLED} at
     * once (each with an attempt that says so), running ones get a cancel request that their
     * owner acts on ({@link #cancelRequested}), and the run ends {@code CANCELLED} when its last
     * task has. A run that has ended is left as it is. The default refuses.
     */
    default CancelOutcome cancelRun(long runId, Instant now) {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " does not support cancelling runs");
    }

    /** Cancels one task the same way; see {@link #cancelRun}. The default refuses. */
    default CancelOutcome cancelTask(long taskId, Instant now) {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " does not support cancelling tasks");
    }

    /** The in-flight tasks of {@code nodeId} with a pending cancel, by task id, with their attempts. Default: none. */
    default Map<Long, Integer> cancelRequested(String nodeId) {
        return Map.of();
    }

    /**
     * Starts the failed, cancelled and skipped tasks of an ended run again, as new attempts in the
     * same run; succeeded tasks stay. Steps whose upstream steps all succeeded become ready; the
     * run is {@code RUNNING} again. Returns how many tasks will run again (0: nothing to do). The
     * caller checks that the run exists and has ended. The default refuses.
     */
    default int retryRun(long runId, Instant now) {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " does not support re-running runs");
    }

    /**
     * The directory that belongs to this store, where executors keep the files of its attempts
     * (the process executor's logs) unless the host chose another: for example beside a SQLite
     * file. Two stores on one host must not return the same directory. Empty: the store has no
     * such place, and the orchestrator uses a folder of the temporary directory. The default is
     * empty.
     */
    default java.util.Optional<java.nio.file.Path> defaultLogDirectory() {
        return java.util.Optional.empty();
    }

    /** Pauses ({@code true}) or resumes a workflow by name; returns whether that changed anything. The default refuses. */
    default boolean setWorkflowPaused(String name, boolean paused, Instant now) {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " does not support pausing workflows");
    }

    /** Whether the workflow of this name is paused. Default {@code false}. */
    default boolean isWorkflowPaused(String name) {
        return false;
    }

    /**
     * What a trigger reads before it writes: the latest version of {@code name} that is not
     * deleted, and whether the workflow is paused; empty if there is no such version. The default
     * asks {@link #findWorkflow} and {@link #isWorkflowPaused}; a store may answer in one read.
     */
    default Optional<TriggerTarget> findTriggerTarget(String name) {
        return findWorkflow(name).map(w -> new TriggerTarget(w, isWorkflowPaused(name)));
    }

    /**
     * Creates {@code run} as {@link #createRun} does, but only while its version is still the
     * latest version of {@code workflow} that is not deleted, and the workflow is not paused;
     * otherwise writes nothing and returns empty, and the caller reads the workflow again. It lets
     * a trigger use the version it remembers from an earlier trigger without reading it first, so a
     * store should check with the write, in one statement where it can. The default reads first
     * ({@link #findTriggerTarget}), then creates.
     *
     * @throws dev.orchestrator.ConcurrencyLimitException when a REFUSE limit is reached
     */
    default Optional<CreatedRun> createRunOfLatest(NewRun run, String workflow, Instant now) {
        Optional<TriggerTarget> target = findTriggerTarget(workflow);
        if (target.isEmpty() || target.get().paused()
                || target.get().workflow().versionId() != run.workflowVersionId()) {
            return Optional.empty();
        }
        return Optional.of(createRun(run, now));
    }

    /**
     * Deletes up to {@code limit} ended runs that finished before {@code finishedBefore}, with
     * their steps, tasks and attempts, oldest first, and returns their ids. The default refuses.
     */
    default List<Long> pruneRuns(Instant finishedBefore, int limit) {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " does not support pruning runs");
    }

    /** Deletes a node's row (graceful shutdown); tasks it still owns become orphans to take over. */
    void removeNode(String nodeId);

    // ---- schedules

    /**
     * Creates a schedule row ({@code lastFireAt} and {@code lastRunId} are ignored and stored as
     * {@code null}).
     *
     * @throws IllegalArgumentException quoting the name if a schedule of that name exists; nothing
     *                                  is written then
     */
    ScheduleRow createSchedule(ScheduleRow schedule);

    /** One schedule. */
    Optional<ScheduleRow> findSchedule(String name);

    /** Every schedule, by name. */
    List<ScheduleRow> listSchedules();

    /** Deletes a schedule; its runs stay. Returns whether it existed. */
    boolean deleteSchedule(String name);

    /**
     * Pauses or resumes a schedule. Resuming also sets its next fire to {@code nextFireAt} (which
     * may be {@code null}: none left); pausing leaves the next fire as it is. Returns whether the
     * schedule exists.
     */
    boolean setSchedulePaused(String name, boolean paused, Instant nextFireAt);

    /**
     * Up to {@code limit} schedules to fire: those not paused whose next fire is at or before
     * {@code now}, earliest first, and those (paused or not) whose last fire has no run yet
     * ({@link ScheduleRow#firePending()}).
     */
    List<ScheduleRow> dueSchedules(Instant now, int limit);

    /**
     * Compare-and-set: if schedule {@code name} still has {@code expectedNextFire} as its next
     * fire ({@code null} equal to {@code null}), sets its next fire, last fire and last run to the
     * given values (each may be {@code null}) and returns {@code true}; otherwise writes nothing and
     * returns {@code false}. Of concurrent calls with the same expected value, at most one wins.
     */
    boolean advanceSchedule(String name, Instant expectedNextFire, Instant newNextFire, Instant lastFireAt,
                            Long lastRunId);

    /** The earliest next fire of the schedules not paused, or empty if none has one. */
    Optional<Instant> nextScheduleFire();

    // ---- wake-ups

    /**
     * Asks the store to tell {@code listener} when another process (another node, or a client
     * that is not started) may have made work ready or changed schedules, so a started node claims
     * (or reads its schedules) at once instead of at its next poll. A started orchestrator calls this once and closes the returned handle when
     * it stops. The default hears nothing and returns a no-op handle: the poll is the safety net.
     * The JDBC store on PostgreSQL listens with {@code LISTEN/NOTIFY} on a dedicated connection.
     */
    default WakeSubscription listen(WakeListener listener) {
        return () -> { };
    }

    /** A registration made with {@link #listen}; closing it stops the notifications. */
    @FunctionalInterface
    interface WakeSubscription extends AutoCloseable {
        /** Stops the notifications; idempotent, never throws. */
        @Override
        void close();
    }

    /** Closes the store's resources (connection pool). */
    @Override
    void close();
}
