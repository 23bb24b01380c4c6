package dev.orchestrator.spi;

import java.util.List;
import java.util.Map;

/**
 * A run to create, with its steps.
 *
 * @param workflowVersionId the workflow version it runs
 * @param triggeredBy       who or what triggered it
 * @param params            its parameters (an immutable copy; empty for none)
 * @param idempotencyKey    key unique per workflow name, or {@code null}
 * @param steps             its steps, in workflow order
 */
public record NewRun(long workflowVersionId, String triggeredBy, Map<String, String> params, String idempotencyKey,
                     List<NewStep> steps) {
    /**
     * Copies {@code params} and {@code steps}.
     *
     * @throws NullPointerException if {@code params} or {@code steps} is null or holds a null
     */
    public NewRun {
        params = Map.copyOf(params);
        steps = List.copyOf(steps);
    }
}
