package dev.orchestrator.spi;

import dev.orchestrator.TaskStatus;

import java.time.Instant;

/**
 * One stored task, as {@link Store#listTasks} returns it.
 *
 * @param id            task id
 * @param runId         its run
 * @param stepIndex     position of its step in the workflow spec
 * @param stepName      name of its step
 * @param taskIndex     index within the step, from 0
 * @param status        status when read
 * @param attempt       current (or last) attempt number, from 1; 0 before the first claim
 * @param readyAt       earliest time it may be claimed, or {@code null} while it waits for upstream steps
 * @param owner         node that holds it while dispatched or running, or {@code null}
 * @param executionName the executor's name for the current or last execution, or {@code null}
 * @param exitCode      exit code of the last ended attempt, or {@code null}
 * @param error         error of the last failed attempt, or {@code null}
 * @param outputTail    last few KB of the last ended attempt's output, or {@code null}
 * @param startedAt     when the current or last attempt was claimed, or {@code null}
 * @param finishedAt    when the task ended, or {@code null}
 */
public record TaskRow(long id, long runId, int stepIndex, String stepName, int taskIndex, TaskStatus status,
                      int attempt, Instant readyAt, String owner, String executionName, Integer exitCode,
                      String error, String outputTail, Instant startedAt, Instant finishedAt) {
}
