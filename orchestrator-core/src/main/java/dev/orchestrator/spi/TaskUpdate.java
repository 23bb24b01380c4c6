package dev.orchestrator.spi;

import dev.orchestrator.AttemptOutcome;

import java.time.Instant;

/**
 * One change of a task attempt, written by {@link Store#applyUpdates}. An update whose
 * {@code attempt} is not the task's current attempt, or whose task is not {@code DISPATCHED} or
 * {@code RUNNING}, is stale and ignored.
 *
 * @param taskId        task id
 * @param attempt       the attempt it is about
 * @param kind          what changed
 * @param executionName execution name ({@link Kind#RUNNING}), or {@code null}
 * @param outputRef     where the whole output is ({@link Kind#RUNNING}), or {@code null}
 * @param outcome       how the attempt ended ({@link Kind#ENDED}): anything but {@code RUNNING}
 * @param exitCode      exit code, or {@code null}
 * @param error         error text, or {@code null}
 * @param outputTail    output tail, or {@code null}
 * @param retryAt       {@link Kind#ENDED} without success only: when set, the task goes back to
 *                      {@code PENDING} with {@code ready_at = retryAt} (it keeps its attempt
 *                      number; the next claim starts attempt + 1); when {@code null}, the task ends
 * @param owner         {@link Kind#RELEASED} only: the node that holds the attempt; a release applies only
 *                      while that node still owns the task (a late or repeated one changes nothing)
 * @param executorState ({@link Kind#RUNNING}) the executor's state for adopting the execution
 *                      ({@link dev.orchestrator.spi.StatusUpdate#executorState()}), stored on the task
 *                      with the execution name and returned by take-overs; or {@code null}
 */
public record TaskUpdate(long taskId, int attempt, Kind kind, String executionName, String outputRef,
                         AttemptOutcome outcome, Integer exitCode, String error, String outputTail, Instant retryAt,
                         String owner, String executorState) {

    /** An update without executor state. */
    public TaskUpdate(long taskId, int attempt, Kind kind, String executionName, String outputRef,
                      AttemptOutcome outcome, Integer exitCode, String error, String outputTail, Instant retryAt,
                      String owner) {
        this(taskId, attempt, kind, executionName, outputRef, outcome, exitCode, error, outputTail, retryAt, owner,
                null);
    }

    /** Kinds of change. */
    public enum Kind {
        /** {@code DISPATCHED -> RUNNING}; records the execution name on task and attempt. */
        RUNNING,
        /** Records a heartbeat time on the task. */
        HEARTBEAT,
        /** The attempt ended; see {@link TaskUpdate#outcome()} and {@link TaskUpdate#retryAt()}. */
        ENDED,
        /**
         * The attempt is handed back unused: it never ran, or it stopped because its node shut
         * down. The task goes back to {@code PENDING}, ready now, with its attempt number and no
         * attempt row, as if it had never been claimed; no counter changes.
         */
        RELEASED
    }

    /** {@code DISPATCHED -> RUNNING}. */
    public static TaskUpdate running(long taskId, int attempt, String executionName, String outputRef) {
        return new TaskUpdate(taskId, attempt, Kind.RUNNING, executionName, outputRef, null, null, null, null, null, null);
    }

    /** {@code DISPATCHED -> RUNNING}, with the executor's state for adopting the execution (may be null). */
    public static TaskUpdate running(long taskId, int attempt, String executionName, String outputRef,
                                     String executorState) {
        return new TaskUpdate(taskId, attempt, Kind.RUNNING, executionName, outputRef, null, null, null, null, null,
                null, executorState);
    }

    /** A heartbeat. */
    public static TaskUpdate heartbeat(long taskId, int attempt) {
        return new TaskUpdate(taskId, attempt, Kind.HEARTBEAT, null, null, null, null, null, null, null, null);
    }

    /** Attempt {@code attempt}, held by node {@code owner}, is handed back unused (see {@link Kind#RELEASED}). */
    public static TaskUpdate released(long taskId, int attempt, String owner) {
        if (owner == null || owner.isEmpty()) {
            throw new IllegalArgumentException("owner must not be empty for a release");
        }
        return new TaskUpdate(taskId, attempt, Kind.RELEASED, null, null, null, null, null, null, null, owner);
    }

    /** The attempt ended with {@code outcome}; {@code retryAt} non-null requeues the task. */
    public static TaskUpdate ended(long taskId, int attempt, AttemptOutcome outcome, Integer exitCode, String error,
                                   String outputTail, Instant retryAt) {
        if (outcome == null || outcome == AttemptOutcome.RUNNING) {
            throw new IllegalArgumentException("outcome must be an ended outcome, got " + outcome);
        }
        return new TaskUpdate(taskId, attempt, Kind.ENDED, null, null, outcome, exitCode, error, outputTail, retryAt, null);
    }
}
