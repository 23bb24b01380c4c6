package dev.orchestrator.spi;

import dev.orchestrator.RunStatus;

import java.time.Instant;
import java.util.Map;

/**
 * One stored run with its counters.
 *
 * @param id                run id
 * @param workflowVersionId workflow version it runs
 * @param workflow          workflow name
 * @param workflowVersion   workflow version number
 * @param status            status
 * @param triggeredBy       who or what triggered it
 * @param params            parameters (an immutable copy)
 * @param idempotencyKey    key, or {@code null}
 * @param taskCount         tasks over all steps
 * @param succeeded         tasks that succeeded
 * @param failed            tasks that failed
 * @param finished          tasks that ended in any way
 * @param createdAt         when created
 * @param startedAt         when its first task was claimed, or {@code null}
 * @param finishedAt        when it ended, or {@code null}
 */
public record RunRow(long id, long workflowVersionId, String workflow, int workflowVersion, RunStatus status,
                     String triggeredBy, Map<String, String> params, String idempotencyKey, int taskCount, int succeeded,
                     int failed, int finished, Instant createdAt, Instant startedAt, Instant finishedAt) {
    /** Copies {@code params}. */
    public RunRow {
        params = Map.copyOf(params);
    }
}
