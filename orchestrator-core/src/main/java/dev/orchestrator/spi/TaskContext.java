package dev.orchestrator.spi;

import dev.orchestrator.JobSpec;

import java.time.Instant;
import java.util.Map;

/**
 * Everything an executor needs to start, cancel or adopt one attempt of one task.
 *
 * @param taskId        the store's task id
 * @param runId         the run
 * @param workflow      workflow name
 * @param step          step name
 * @param stepIndex     position of the step in the workflow
 * @param taskIndex     index within the step, from 0
 * @param taskCount     number of tasks of the step
 * @param attempt       attempt number, from 1
 * @param parameters    run parameters
 * @param job           the step's job spec
 * @param deadline      when the attempt must have ended (the step's timeout), or {@code null}
 * @param executionName the execution to adopt or cancel, or {@code null} for a new attempt
 * @param executorState what the executor reported with the execution name
 *                      ({@link StatusUpdate#executorState()}), for an adopted attempt; else {@code null}
 */
public record TaskContext(long taskId, long runId, String workflow, String step, int stepIndex, int taskIndex,
                          int taskCount, int attempt, Map<String, String> parameters, JobSpec job, Instant deadline,
                          String executionName, String executorState) {

    /** A context without executor state. */
    public TaskContext(long taskId, long runId, String workflow, String step, int stepIndex, int taskIndex,
                       int taskCount, int attempt, Map<String, String> parameters, JobSpec job, Instant deadline,
                       String executionName) {
        this(taskId, runId, workflow, step, stepIndex, taskIndex, taskCount, attempt, parameters, job, deadline,
                executionName, null);
    }
}
