package dev.orchestrator.spi;

import java.util.List;

/**
 * A run to create, with its steps.
 *
 * @param workflowVersionId the workflow version it runs
 * @param triggeredBy       who or what triggered it
 * @param paramsJson        its parameters as a JSON object of strings
 * @param idempotencyKey    key unique per workflow name, or {@code null}
 * @param steps             its steps, in workflow order
 */
public record NewRun(long workflowVersionId, String triggeredBy, String paramsJson, String idempotencyKey,
                     List<NewStep> steps) {
    /** Copies {@code steps}. */
    public NewRun {
        steps = List.copyOf(steps);
    }
}
