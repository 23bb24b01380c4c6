package dev.orchestrator;

import java.time.Instant;
import java.util.Objects;

/**
 * Which runs {@link Orchestrator#runs(RunQuery)} returns, newest first, one page at a time.
 * Every criterion is optional; a query with none lists every run.
 *
 * <pre>{@code
 * RunPage page = orchestrator.runs(RunQuery.builder().workflow("thumbnails").status(RunStatus.FAILED).limit(50).build());
 * RunPage next = orchestrator.runs(RunQuery.builder().workflow("thumbnails").status(RunStatus.FAILED).limit(50)
 *         .cursor(page.nextCursor()).build());
 * }</pre>
 *
 * @param workflow      workflow name, or {@code null} for all
 * @param status        run status, or {@code null} for all
 * @param triggeredBy   who or what triggered the run (for example {@code manual}), or {@code null} for all
 * @param createdAfter  only runs created at or after this instant, or {@code null}
 * @param createdBefore only runs created before this instant, or {@code null}
 * @param limit         most runs in one page, between 1 and {@value #MAX_LIMIT}
 * @param cursor        {@link RunPage#nextCursor()} of the previous page, or {@code null} for the first page
 */
public record RunQuery(String workflow, RunStatus status, String triggeredBy, Instant createdAfter,
                       Instant createdBefore, int limit, String cursor) {

    /** The largest page. */
    public static final int MAX_LIMIT = 10_000;
    /** The page size when none is given. */
    public static final int DEFAULT_LIMIT = 100;

    /** Validates the values; messages name the field and the rule. */
    public RunQuery {
        checkLimit(limit);
        if (createdAfter != null && createdBefore != null && !createdAfter.isBefore(createdBefore)) {
            throw new IllegalArgumentException("createdAfter (" + createdAfter + ") must be before createdBefore ("
                    + createdBefore + ")");
        }
        if (cursor != null) {
            cursorId(cursor);
        }
    }

    /** The first {@value #DEFAULT_LIMIT} runs of any workflow, newest first. */
    public static RunQuery all() {
        return builder().build();
    }

    /** A builder: no criteria, {@value #DEFAULT_LIMIT} runs a page, the first page. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding this query's values, for example to ask for the next page. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.workflow = workflow;
        b.status = status;
        b.triggeredBy = triggeredBy;
        b.createdAfter = createdAfter;
        b.createdBefore = createdBefore;
        b.limit = limit;
        b.cursor = cursor;
        return b;
    }

    /** The id below which the page starts, read from the cursor; {@code Long.MAX_VALUE} on the first page. */
    public long beforeId() {
        return cursor == null ? Long.MAX_VALUE : cursorId(cursor);
    }

    static String cursorOf(long lastRunId) {
        return "r" + lastRunId;
    }

    private static long cursorId(String cursor) {
        if (cursor.length() > 1 && cursor.charAt(0) == 'r') {
            try {
                long id = Long.parseLong(cursor.substring(1));
                if (id > 0) {
                    return id;
                }
            } catch (NumberFormatException e) {
                // fall through to the error below
            }
        }
        throw new IllegalArgumentException("cursor must be a RunPage.nextCursor() value, got '" + cursor + "'");
    }

    private static void checkLimit(int limit) {
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new IllegalArgumentException("limit must be between 1 and " + MAX_LIMIT + ", got " + limit);
        }
    }

    /** Builds a {@link RunQuery}; each setter checks its value at once. Not thread-safe. */
    public static final class Builder {
        private String workflow;
        private RunStatus status;
        private String triggeredBy;
        private Instant createdAfter;
        private Instant createdBefore;
        private int limit = DEFAULT_LIMIT;
        private String cursor;

        private Builder() {
        }

        /** Only runs of this workflow; {@code null} for all. Default: all. */
        public Builder workflow(String workflow) {
            if (workflow != null) {
                Names.check("workflow", workflow);
            }
            this.workflow = workflow;
            return this;
        }

        /** Only runs in this status; {@code null} for all. Default: all. */
        public Builder status(RunStatus status) {
            this.status = status;
            return this;
        }

        /** Only runs triggered by this (for example {@code manual}); {@code null} for all. Default: all. */
        public Builder triggeredBy(String triggeredBy) {
            if (triggeredBy != null) {
                Names.check("triggeredBy", triggeredBy);
            }
            this.triggeredBy = triggeredBy;
            return this;
        }

        /** Only runs created at or after this instant; {@code null} for no bound. Default: none. */
        public Builder createdAfter(Instant createdAfter) {
            this.createdAfter = createdAfter;
            return this;
        }

        /** Only runs created before this instant; {@code null} for no bound. Default: none. */
        public Builder createdBefore(Instant createdBefore) {
            this.createdBefore = createdBefore;
            return this;
        }

        /** Most runs in one page, between 1 and {@value RunQuery#MAX_LIMIT}. Default {@value RunQuery#DEFAULT_LIMIT}. */
        public Builder limit(int limit) {
            checkLimit(limit);
            this.limit = limit;
            return this;
        }

        /** The page after the one whose {@link RunPage#nextCursor()} this is; {@code null} for the first. */
        public Builder cursor(String cursor) {
            if (cursor != null) {
                cursorId(cursor);
            }
            this.cursor = cursor;
            return this;
        }

        /**
         * The query.
         *
         * @throws IllegalStateException if {@code createdAfter} is not before {@code createdBefore}
         */
        public RunQuery build() {
            if (createdAfter != null && createdBefore != null && !createdAfter.isBefore(createdBefore)) {
                throw new IllegalStateException("createdAfter (" + createdAfter + ") must be before createdBefore ("
                        + createdBefore + ")");
            }
            return new RunQuery(workflow, status, triggeredBy, createdAfter, createdBefore, limit, cursor);
        }
    }

    @Override
    public String toString() {
        return "RunQuery[workflow=" + workflow + ", status=" + status + ", triggeredBy=" + triggeredBy
                + ", createdAfter=" + createdAfter + ", createdBefore=" + createdBefore + ", limit=" + limit
                + ", cursor=" + Objects.requireNonNullElse(cursor, "first page") + "]";
    }
}
