package dev.orchestrator.spi;

import dev.orchestrator.TaskStatus;

import java.time.Instant;
import java.util.Map;

/**
 * A task this node now owns, as returned by a claim or a take-over.
 *
 * @param taskId            task id
 * @param runId             run id
 * @param workflowVersionId the run's workflow version (its spec is cached by the scheduler)
 * @param stepIndex         step position in the workflow
 * @param taskIndex         index within the step
 * @param attempt           the attempt this claim started (claim) or the attempt in flight (take-over)
 * @param status            {@code DISPATCHED} after a claim; {@code DISPATCHED} or {@code RUNNING} after a take-over
 * @param executionName     the execution in flight (take-over only), or {@code null}
 * @param params            the run's parameters (an immutable copy)
 * @param readyAt           when the task became ready (for dispatch-lag metrics), or {@code null} if unknown
 * @param startedAt         when the attempt was claimed: a take-over keeps the attempt's timeout counted from it;
 *                          {@code null} if unknown (then the timeout counts from dispatch)
 * @param lostAttempts      how many earlier attempts of the task ended {@code LOST} (take-over only; 0 after a claim)
 * @param executorState     the executor state recorded with the execution name (take-over only), or {@code null}
 */
public record ClaimedTask(long taskId, long runId, long workflowVersionId, int stepIndex, int taskIndex, int attempt,
                          TaskStatus status, String executionName, Map<String, String> params, Instant readyAt,
                          Instant startedAt, int lostAttempts, String executorState) {

    /** A claimed task without executor state. */
    public ClaimedTask(long taskId, long runId, long workflowVersionId, int stepIndex, int taskIndex, int attempt,
                       TaskStatus status, String executionName, Map<String, String> params, Instant readyAt,
                       Instant startedAt, int lostAttempts) {
        this(taskId, runId, workflowVersionId, stepIndex, taskIndex, attempt, status, executionName, params, readyAt,
                startedAt, lostAttempts, null);
    }

    /** A claimed task with no lost attempts counted. */
    public ClaimedTask(long taskId, long runId, long workflowVersionId, int stepIndex, int taskIndex, int attempt,
                       TaskStatus status, String executionName, Map<String, String> params, Instant readyAt,
                       Instant startedAt) {
        this(taskId, runId, workflowVersionId, stepIndex, taskIndex, attempt, status, executionName, params, readyAt,
                startedAt, 0);
    }
    /** Copies {@code params}. */
    public ClaimedTask {
        params = Map.copyOf(params);
    }
}
