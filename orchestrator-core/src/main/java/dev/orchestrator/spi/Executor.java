package dev.orchestrator.spi;

import dev.orchestrator.JobSpec;

import java.util.List;

/**
 * Runs task attempts. One instance serves every task of its type; it must be thread-safe.
 *
 * <p>The scheduler calls {@link #start} from its dispatch threads and expects it to return
 * quickly: long work belongs on the executor's own threads, reported through the attempt's
 * {@link StatusSink}. An exception thrown by {@code start} fails that attempt with the
 * exception's message; it never stops the scheduler.
 */
public interface Executor extends AutoCloseable {

    /** The executor type that steps name, such as {@code process}. */
    String type();

    /**
     * Checks a job spec when its workflow is registered.
     *
     * @throws IllegalArgumentException naming the field and the rule if the job cannot run
     */
    default void validate(JobSpec job) {
    }

    /**
     * Checks, when a run is triggered, that its parameters can reach a step of this executor's
     * type: a backend may limit what a task's environment holds. Called once per step of this
     * type, before anything is written; the default accepts any parameters (the orchestrator's
     * own limits, see {@link dev.orchestrator.TriggerOptions}, apply to every run).
     *
     * @param job        the step's job spec
     * @param parameters the run's parameters (after merging those of a re-run)
     * @throws IllegalArgumentException naming the parameter and the rule if a task of the step
     *                                  could not start with them
     */
    default void validateParameters(JobSpec job, java.util.Map<String, String> parameters) {
    }

    /** Starts one attempt. Reports {@code RUNNING}, then {@code SUCCEEDED} or {@code FAILED}, to its sink. */
    void start(TaskContext task, StatusSink sink);

    /**
     * Starts several attempts claimed together. The default starts each one; executors that
     * can group attempts (one remote execution for many tasks) override this.
     */
    default void startAll(List<Dispatch> batch) {
        for (Dispatch d : batch) {
            try {
                start(d.task(), d.sink());
            } catch (RuntimeException e) {
                d.sink().report(StatusUpdate.failed(null, "executor could not start the task: " + e, null));
            }
        }
    }

    /**
     * Whether this executor runs attempts claimed together as one unit through {@link #startAll}
     * (one remote execution for many tasks). If so, the scheduler starts its attempts only in
     * batches; otherwise a slot freed by an ending attempt starts the next one at once, alone.
     * Default {@code false}.
     */
    default boolean groupsTasks() {
        return false;
    }

    /**
     * Stops an attempt (timeout or cancellation). The attempt still reports how it ended.
     * The default does nothing.
     */
    default void cancel(TaskContext task) {
    }

    /**
     * Stops several attempts at once (a cancelled run). The default stops each with
     * {@link #cancel}; executors that can stop many in one call override this.
     */
    default void cancelAll(List<TaskContext> tasks) {
        for (TaskContext t : tasks) {
            cancel(t);
        }
    }

    /**
     * Stops an attempt, giving it {@code grace} to end on its own before it is forced: the
     * process executor sends SIGTERM to the task's process group, then SIGKILL once the grace
     * has passed. The orchestrator calls this for timeouts, cancels and shutdown, with its
     * {@code cancelGrace} setting. The attempt still reports how it ended. The default calls
     * {@link #cancel(TaskContext)}, for executors whose stop has no grace (a remote cancel).
     */
    default void cancel(TaskContext task, java.time.Duration grace) {
        cancel(task);
    }

    /** Stops several attempts with {@code grace}; see {@link #cancel(TaskContext, java.time.Duration)}. The default calls {@link #cancelAll(List)}. */
    default void cancelAll(List<TaskContext> tasks, java.time.Duration grace) {
        cancelAll(tasks);
    }

    /**
     * Whether this executor reports {@link StatusUpdate.Kind#STARTED} when a task really begins
     * to run (its backend may queue accepted tasks). If so, the step's timeout and heartbeat
     * timeout count from that report; before it, an attempt has no deadline. Default
     * {@code false}: both count from dispatch.
     */
    default boolean reportsStart() {
        return false;
    }

    /** Whether {@link #adopt} can follow an execution started by another node. Default {@code false}. */
    default boolean canAdopt() {
        return false;
    }

    /**
     * Whether {@link #adopt} also takes attempts that were dispatched and have no recorded
     * execution name (their node may have died between starting the execution and recording
     * its name). If so, a dead node's dispatched attempts of this type are handed to
     * {@code adopt} with a {@code null} execution name instead of being released: the executor
     * looks for an execution it started for the attempt and follows it, or reports
     * {@link StatusUpdate.Kind#RELEASED} when there is none. Default {@code false}.
     */
    default boolean adoptsUnnamed() {
        return false;
    }

    /**
     * Follows an execution that another node (or an earlier instance) started, named by
     * {@link TaskContext#executionName()} (with the {@link TaskContext#executorState()} the
     * executor reported with it), reporting to {@code sink} as if this executor had started it.
     * With {@link #adoptsUnnamed()}, the name may be {@code null}: see there.
     */
    default void adopt(TaskContext task, StatusSink sink) {
        throw new UnsupportedOperationException(type() + " executor cannot adopt executions");
    }

    /**
     * Called by the scheduler each time this node renewed its lease: the node owns its tasks
     * for at least {@code validFor} from now (the lease less the time the renewal took and a
     * safety margin). An executor that can stop work from outside a frozen or dead node (the
     * process executor's watchdog) stops it when no renewal comes in time, so no task runs on
     * after other nodes may take it over; it counts {@code validFor} from this call, not from
     * when its watchdog hears of it, and starts nothing once it has passed (the scheduler checks
     * the lease when it hands a task over, but the start itself may come later). Must return
     * quickly. The default does nothing:
     * in-process executors cannot be stopped from outside a frozen JVM, and their late results
     * are dropped by attempt fencing instead.
     */
    default void leaseRenewed(java.time.Duration validFor) {
    }

    /**
     * These ended runs were pruned from the store (the orchestrator's retention): the executor
     * may delete what it kept of them, such as log files. The default does nothing.
     */
    default void forgetRuns(java.util.Collection<Long> runIds) {
    }

    /** Releases resources; running executions may be left running. The default does nothing. */
    @Override
    default void close() {
    }
}
