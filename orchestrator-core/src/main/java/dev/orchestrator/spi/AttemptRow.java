package dev.orchestrator.spi;

import dev.orchestrator.AttemptOutcome;

import java.time.Instant;

/**
 * One stored attempt of a task, as {@link Store#listAttempts} returns it; never overwritten once
 * ended.
 *
 * @param taskId        the task
 * @param attempt       attempt number, from 1
 * @param outcome       how it ended, or {@link AttemptOutcome#RUNNING}
 * @param node          node that ran it
 * @param executionName the executor's execution name, or {@code null}
 * @param exitCode      exit code, or {@code null}
 * @param error         error text, or {@code null}
 * @param outputTail    last few KB of output, or {@code null}
 * @param outputRef     where the executor keeps the whole output, or {@code null}
 * @param startedAt     when it was claimed
 * @param finishedAt    when it ended, or {@code null}
 */
public record AttemptRow(long taskId, int attempt, AttemptOutcome outcome, String node, String executionName,
                         Integer exitCode, String error, String outputTail, String outputRef, Instant startedAt,
                         Instant finishedAt) {
}
