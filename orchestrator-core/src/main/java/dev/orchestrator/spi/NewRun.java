package dev.orchestrator.spi;

import dev.orchestrator.ConcurrencyPolicy;

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
 * @param maxConcurrentRuns at most this many runs of the workflow (by name) run at once, or {@code null}
 *                          for no limit; see {@link #concurrencyPolicy}
 * @param concurrencyPolicy with {@link ConcurrencyPolicy#QUEUE} the run is created and its tasks are not
 *                          claimed while {@code maxConcurrentRuns} runs of the workflow are
 *                          {@code RUNNING}; with {@link ConcurrencyPolicy#REFUSE} the store throws
 *                          {@link dev.orchestrator.ConcurrencyLimitException} and writes nothing while that
 *                          many have not ended. {@code QUEUE} when {@code null}
 */
public record NewRun(long workflowVersionId, String triggeredBy, Map<String, String> params, String idempotencyKey,
                     List<NewStep> steps, Integer maxConcurrentRuns, ConcurrencyPolicy concurrencyPolicy) {
    /**
     * Copies {@code params} and {@code steps}.
     *
     * @throws NullPointerException     if {@code params} or {@code steps} is null or holds a null
     * @throws IllegalArgumentException if {@code maxConcurrentRuns} is below 1
     */
    public NewRun {
        params = Map.copyOf(params);
        steps = List.copyOf(steps);
        if (maxConcurrentRuns != null && maxConcurrentRuns < 1) {
            throw new IllegalArgumentException("maxConcurrentRuns must be at least 1, got " + maxConcurrentRuns);
        }
        concurrencyPolicy = concurrencyPolicy == null ? ConcurrencyPolicy.QUEUE : concurrencyPolicy;
    }

    /** A run of a workflow without a limit on its runs. */
    public NewRun(long workflowVersionId, String triggeredBy, Map<String, String> params, String idempotencyKey,
                  List<NewStep> steps) {
        this(workflowVersionId, triggeredBy, params, idempotencyKey, steps, null, null);
    }

    /** Whether any concurrency limit applies to this run (its own or one of its steps'). */
    public boolean limited() {
        return maxConcurrentRuns != null || steps.stream().anyMatch(s -> s.maxConcurrentTasks() != null);
    }
}
