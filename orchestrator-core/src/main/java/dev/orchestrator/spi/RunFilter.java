package dev.orchestrator.spi;

import dev.orchestrator.RunStatus;

import java.time.Instant;

/**
 * Which runs {@link Store#listRuns} returns: those matching every non-null criterion, newest
 * (highest id) first, at most {@code limit}. A {@code null} criterion matches any run. To page,
 * pass the id of the last run of a page as {@code beforeId} of the next.
 *
 * @param workflow      workflow name, or {@code null} for any
 * @param status        status, or {@code null} for any
 * @param triggeredBy   exactly this trigger (such as {@code manual}), or {@code null} for any
 * @param createdAfter  only runs created at or after this instant (inclusive), or {@code null}
 * @param createdBefore only runs created before this instant (exclusive), or {@code null}
 * @param beforeId      the page cursor: only runs with an id lower than this, or {@code null}
 * @param limit         most rows returned, between 1 and {@value #MAX_LIMIT}
 */
public record RunFilter(String workflow, RunStatus status, String triggeredBy, Instant createdAfter,
                        Instant createdBefore, Long beforeId, int limit) {

    /** Largest accepted {@code limit}. */
    public static final int MAX_LIMIT = 10_000;

    /**
     * Checks {@code limit}.
     *
     * @throws IllegalArgumentException if {@code limit} is not between 1 and {@value #MAX_LIMIT}
     */
    public RunFilter {
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new IllegalArgumentException("limit must be between 1 and " + MAX_LIMIT + ", got " + limit);
        }
    }

    /** Any run, newest first, at most {@code limit}. */
    public static RunFilter latest(int limit) {
        return new RunFilter(null, null, null, null, null, null, limit);
    }
}
