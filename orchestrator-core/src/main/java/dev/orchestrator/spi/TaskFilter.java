package dev.orchestrator.spi;

import dev.orchestrator.TaskStatus;

/**
 * Which tasks of one run {@link Store#listTasks(TaskFilter)} returns: those matching every
 * non-null criterion, by step index then task index, after the keyset cursor, at most
 * {@code limit}.
 *
 * @param runId      the run
 * @param stepIndex  only this step, or {@code null} for every step
 * @param status     only this status, or {@code null} for any
 * @param afterStep  the cursor: only tasks after ({@code afterStep}, {@code afterTask}), or {@code null} for the first page
 * @param afterTask  the cursor's task index; set together with {@code afterStep}
 * @param limit      most rows returned, between 1 and {@value #MAX_LIMIT}
 */
public record TaskFilter(long runId, Integer stepIndex, TaskStatus status, Integer afterStep, Integer afterTask,
                         int limit) {

    /** Largest accepted {@code limit}. */
    public static final int MAX_LIMIT = 1_000;

    /**
     * Checks {@code limit} and the cursor.
     *
     * @throws IllegalArgumentException if {@code limit} is out of range, or only one of {@code afterStep}
     *                                  and {@code afterTask} is set
     */
    public TaskFilter {
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new IllegalArgumentException("limit must be between 1 and " + MAX_LIMIT + ", got " + limit);
        }
        if ((afterStep == null) != (afterTask == null)) {
            throw new IllegalArgumentException("afterStep and afterTask must be set together, got "
                    + afterStep + " and " + afterTask);
        }
    }
}
