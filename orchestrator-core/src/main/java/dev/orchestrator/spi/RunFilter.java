package dev.orchestrator.spi;

import dev.orchestrator.RunStatus;

/**
 * Which runs {@link Store#listRuns} returns, newest first.
 *
 * @param workflow workflow name, or {@code null} for all
 * @param status   status, or {@code null} for all
 * @param limit    most rows returned, at least 1
 */
public record RunFilter(String workflow, RunStatus status, int limit) {
    /** Checks {@code limit}. */
    public RunFilter {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be at least 1, got " + limit);
        }
    }
}
