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
     * @throws IllegalStateException if already started or closed
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
     * idempotency key already used by a run of this workflow, returns that run instead.
     *
     * @throws IllegalArgumentException if no workflow of that name is registered
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

    /** Tasks of a run, by step then index. */
    List<TaskInfo> tasks(long runId);

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
     * Stops claiming, waits up to the builder's shutdown timeout for running tasks to end,
     * writes every pending status update, and releases the store if the builder opened it.
     * Tasks still running after the timeout are left to be taken over by another node or a
     * later start. Idempotent.
     */
    @Override
    void close();
}
