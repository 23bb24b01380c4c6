package dev.orchestrator;

import java.time.Instant;
import java.util.Map;

/**
 * A snapshot of one run.
 *
 * @param id              run id
 * @param workflow        workflow name
 * @param workflowVersion the workflow version the run started with
 * @param status          status when read
 * @param triggeredBy     who or what triggered it: {@code manual}, {@code schedule:<id>}, {@code api:<caller>}
 * @param parameters      parameters handed to every task
 * @param idempotencyKey  the trigger's idempotency key, or {@code null}
 * @param taskCount       number of tasks over all steps
 * @param succeeded       tasks that succeeded
 * @param failed          tasks that failed
 * @param finished        tasks that ended in any way (succeeded, failed, skipped, cancelled)
 * @param createdAt       when it was triggered
 * @param startedAt       when its first task was claimed, or {@code null}
 * @param finishedAt      when it ended, or {@code null}
 */
public record RunInfo(long id, String workflow, int workflowVersion, RunStatus status, String triggeredBy,
                      Map<String, String> parameters, String idempotencyKey, int taskCount, int succeeded,
                      int failed, int finished, Instant createdAt, Instant startedAt, Instant finishedAt) {
}
