package dev.orchestrator;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * An orchestrator: registers workflows, triggers runs, and (once {@link #start() started})
 * schedules their tasks on executors, with all state in a {@link dev.orchestrator.spi.Store}.
 *
 * <pre>{@code
 * try (Orchestrator orchestrator = Orchestrator.builder()
 *         .storeUrl("jdbc:sqlite:orchestrator.db")
 *         .build()) {
 *     orchestrator.start();
 *     orchestrator.register(WorkflowSpec.of("hello", StepSpec.process("say", "/bin/echo", "hello").tasks(20)));
 *     RunInfo done = orchestrator.trigger("hello").await(Duration.ofMinutes(1));
 * }
 * }</pre>
 *
 * <p>Thread-safe. Registration, triggers and queries work before {@link #start()} too: a
 * stopped orchestrator is a client of the store (several hosts may trigger runs that one
 * started orchestrator executes).
 */
public interface Orchestrator extends AutoCloseable {

    /** A builder with the defaults described on each of its setters. */
    static OrchestratorBuilder builder() {
        return new OrchestratorBuilder();
    }

    /**
     * Starts the scheduler: registers this node, takes over tasks of dead nodes, and begins
     * claiming and dispatching tasks.
     *
     * @throws IllegalStateException if already started or closed, or if the store refuses a
     *                               second scheduling process (one SQLite file is scheduled by one
     *                               process; the message names the file and the holder)
     */
    void start();

    /**
     * Registers a workflow, or a new version of it if its spec changed. Registering the same
     * spec again returns the existing version.
     *
     * @throws IllegalArgumentException if a step names an unknown executor type or its job is
     *                                  invalid for that executor; nothing is written then
     */
    WorkflowInfo register(WorkflowSpec spec);

    /** Triggers a run of the latest version of {@code workflow} with no parameters. */
    default RunHandle trigger(String workflow) {
        return trigger(workflow, TriggerOptions.NONE);
    }

    /**
     * Triggers a run of the latest version of {@code workflow}. If {@code options} carries an
     * idempotency key already used by a run of this workflow, returns that run instead. With a
     * {@link WorkflowSpec#maxConcurrentRuns()} and {@link ConcurrencyPolicy#QUEUE}, a run over the
     * limit is created and waits {@code PENDING}.
     *
     * @throws IllegalArgumentException   if no workflow of that name is registered
     * @throws IllegalStateException      if the workflow is paused
     * @throws ConcurrencyLimitException if its {@link ConcurrencyPolicy#REFUSE} limit of runs that
     *                                    have not ended is reached; nothing is written then
     */
    RunHandle trigger(String workflow, TriggerOptions options);

    /** A handle on an existing run, or empty if there is no run with this id. */
    Optional<RunHandle> run(long runId);

    /** The latest version of a workflow, or empty if none of this name is registered. */
    Optional<WorkflowInfo> workflow(String name);

    /** The latest version of every registered workflow, by name. */
    List<WorkflowInfo> workflows();

    /**
     * Deletes a workflow: it can no longer be triggered; its runs and history stay.
     *
     * @return whether it existed
     */
    boolean deleteWorkflow(String name);

    /**
     * One page of the runs that match {@code query}, newest first. Ask for the next page with
     * the page's {@link RunPage#nextCursor()}.
     *
     * @param query the criteria, page size and cursor; {@link RunQuery#all()} for every run
     * @return the page
     */
    RunPage runs(RunQuery query);

    /**
     * Cancels a run: tasks that have not started end {@code CANCELLED} at once; running tasks are
     * stopped through their executors, on whichever node runs them (within about a second on
     * PostgreSQL), and their attempts end {@code CANCELLED}. The run ends {@code CANCELLED} and
     * {@link RunHandle#await} returns. A run that has ended is left as it is.
     *
     * @return what changed, and a line saying so
     * @throws IllegalArgumentException if there is no run with this id
     */
    CancelResult cancel(long runId);

    /**
     * Cancels one task, as {@link #cancel(long)} does its run's tasks. Its run goes on, and ends
     * {@code FAILED}, as one of its tasks did not succeed (steps that depend on it are skipped).
     *
     * @throws IllegalArgumentException if there is no task with this id
     */
    CancelResult cancelTask(long taskId);

    /**
     * Runs the failed, cancelled and skipped tasks of an ended run again, as new attempts in the
     * same run (Airflow's "clear"); succeeded tasks stay. The run is {@code RUNNING} again.
     *
     * @return how many tasks run again; 0 if every task had succeeded
     * @throws IllegalArgumentException if there is no run with this id
     * @throws IllegalStateException    if the run has not ended
     */
    int retry(long runId);

    /**
     * Pauses a workflow: while paused, triggering it is refused ({@link IllegalStateException}),
     * and runs already triggered go on.
     *
     * @return whether it was running (not paused) before
     * @throws IllegalArgumentException if no workflow of this name is registered
     */
    boolean pauseWorkflow(String name);

    /**
     * Resumes a paused workflow.
     *
     * @return whether it was paused
     * @throws IllegalArgumentException if no workflow of this name is registered
     */
    boolean resumeWorkflow(String name);

    /** Whether the workflow of this name is paused. */
    boolean isPaused(String name);

    /** Tasks of a run, by step then index. */
    List<TaskInfo> tasks(long runId);

    /**
     * The steps of a run with their progress counters, by index; empty if there is no such run.
     * Costs the same for a run of any size.
     *
     * @throws UnsupportedOperationException if the store does not keep step rows
     */
    List<StepInfo> steps(long runId);

    /**
     * One page of a run's tasks, by step then task index, optionally of one step and status.
     *
     * @throws UnsupportedOperationException if the store does not page tasks
     */
    TaskPage tasks(TaskQuery query);

    /**
     * The nodes that share the store, by id, with their last heartbeat and the tasks each runs.
     *
     * @throws UnsupportedOperationException if the store does not list nodes
     */
    List<NodeInfo> nodes();

    /**
     * This node's own state, read from memory without a store call, so it answers at once even
     * while the database is away: its identity and incarnation, whether it is scheduling, its
     * last accepted heartbeat and its age, whether it holds its lease or is fenced (and since
     * when it last fenced itself), and whether its scheduler loop and heartbeat threads run.
     * Meant for health checks. Works in every state: before {@link #start()} and after
     * {@link #close()} it reports a node that is not scheduling. Thread-safe.
     */
    NodeStatus nodeStatus();

    /** Attempts of one task, oldest first. */
    List<AttemptInfo> attempts(long taskId);

    // ---- schedules

    /**
     * Creates a schedule: from now on a started orchestrator (any node on the same store) fires
     * it, each fire creating one run with {@link ScheduleSpec#triggerOptions(Instant)}.
     *
     * @return the schedule with its first fire
     * @throws IllegalArgumentException quoting the name if its workflow is not registered or a
     *                                  schedule of that name exists; nothing is written then
     */
    ScheduleInfo createSchedule(ScheduleSpec spec);

    /** A schedule with its next and last fire, or empty if none has this name. */
    Optional<ScheduleInfo> schedule(String name);

    /** Every schedule, by name. */
    List<ScheduleInfo> schedules();

    /**
     * Pauses a schedule: it fires nothing until resumed. Pausing a paused schedule does nothing.
     *
     * @return whether the schedule exists
     */
    boolean pauseSchedule(String name);

    /**
     * Resumes a paused schedule at its first fire after now; fires missed while it was paused are
     * dropped. Resuming a schedule that is not paused does nothing.
     *
     * @return whether the schedule exists
     */
    boolean resumeSchedule(String name);

    /**
     * Deletes a schedule; the runs it created stay.
     *
     * @return whether it existed
     */
    boolean deleteSchedule(String name);

    /**
     * The next {@code count} fires of a schedule after now (from its start, if later), fewer when
     * it ends sooner. For a paused schedule, the fires it would have if resumed now.
     *
     * @throws IllegalArgumentException if no schedule has this name, or {@code count} is not
     *                                  between 1 and 1000
     */
    List<Instant> upcomingFires(String name, int count);

    /**
     * Fires the schedules due at the clock's current instant, at once, and returns the runs
     * created. A started orchestrator does this on its own when a fire is due; this call is for
     * tests with a controlled clock and for hosts that fire schedules without starting a
     * scheduler. Safe with any number of orchestrators: each fire creates one run.
     */
    int fireDueSchedules();

    /**
     * Stops claiming and starting tasks; hands back the tasks it had claimed and not started
     * (they run elsewhere, or at the next start, without using an attempt); waits up to the
     * builder's shutdown timeout for running tasks to end; then stops the rest through their
     * executors and hands them back too; writes every pending update; removes this node; and
     * releases the store if the builder opened it. Idempotent. A JVM shutdown hook is not
     * installed: call this from the host's own shutdown path.
     */
    @Override
    void close();
}
