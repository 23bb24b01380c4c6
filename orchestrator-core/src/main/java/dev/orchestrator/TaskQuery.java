package dev.orchestrator;

/**
 * Which tasks of one run {@link Orchestrator#tasks(TaskQuery)} returns: by step then task index,
 * optionally of one step and one status, one page at a time. Immutable; each {@code withXxx}
 * method returns a copy.
 *
 * <pre>{@code
 * TaskPage failed = orchestrator.tasks(TaskQuery.of(runId).withStatus(TaskStatus.FAILED).withLimit(50));
 * }</pre>
 *
 * @param runId  the run
 * @param step   only the step of this index, or {@code null} for every step
 * @param status only tasks in this status, or {@code null} for any
 * @param cursor a page's {@link TaskPage#nextCursor()}, or {@code null} for the first page
 * @param limit  page size, between 1 and {@value #MAX_LIMIT}; {@value #DEFAULT_LIMIT} by default
 */
public record TaskQuery(long runId, Integer step, TaskStatus status, String cursor, int limit) {

    /** Default page size. */
    public static final int DEFAULT_LIMIT = 100;
    /** Largest page size. */
    public static final int MAX_LIMIT = 1_000;

    /**
     * Checks every value.
     *
     * @throws IllegalArgumentException if {@code step} is negative, {@code limit} is out of range or
     *                                  {@code cursor} is not one a {@link TaskPage} returned
     */
    public TaskQuery {
        if (step != null && step < 0) {
            throw new IllegalArgumentException("step must be 0 or more, got " + step);
        }
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new IllegalArgumentException("limit must be between 1 and " + MAX_LIMIT + ", got " + limit);
        }
        if (cursor != null) {
            parseCursor(cursor);
        }
    }

    /** Every task of {@code runId}, first page of {@value #DEFAULT_LIMIT}. */
    public static TaskQuery of(long runId) {
        return new TaskQuery(runId, null, null, null, DEFAULT_LIMIT);
    }

    /** Only the step of index {@code step} ({@code null} for all). */
    public TaskQuery withStep(Integer step) {
        return new TaskQuery(runId, step, status, cursor, limit);
    }

    /** Only tasks in {@code status} ({@code null} for any). */
    public TaskQuery withStatus(TaskStatus status) {
        return new TaskQuery(runId, step, status, cursor, limit);
    }

    /** The page after {@code cursor} ({@code null} for the first). */
    public TaskQuery after(String cursor) {
        return new TaskQuery(runId, step, status, cursor, limit);
    }

    /** Pages of {@code limit} tasks. */
    public TaskQuery withLimit(int limit) {
        return new TaskQuery(runId, step, status, cursor, limit);
    }

    /** The cursor as {@code {stepIndex, taskIndex}}, or {@code null}. */
    public int[] cursorPosition() {
        return cursor == null ? null : parseCursor(cursor);
    }

    private static int[] parseCursor(String cursor) {
        int dot = cursor.indexOf('.');
        try {
            if (dot > 0) {
                int s = Integer.parseInt(cursor, 0, dot, 10);
                int t = Integer.parseInt(cursor, dot + 1, cursor.length(), 10);
                if (s >= 0 && t >= 0) {
                    return new int[]{s, t};
                }
            }
        } catch (NumberFormatException e) {
            // falls through to the error below
        }
        throw new IllegalArgumentException("cursor must be a TaskPage.nextCursor() such as '0.99', got '" + cursor + "'");
    }
}
