package dev.orchestrator.jdbc.internal;

import dev.orchestrator.TaskStatus;
import org.jooq.Condition;
import org.jooq.Field;
import org.jooq.impl.DSL;

/**
 * Status literals, inlined (never bound) so that the partial indexes on {@code tasks} match.
 * Step statuses are internal: {@code WAITING} (upstream steps pending), {@code READY} (its tasks
 * may run), {@code SUCCEEDED}, {@code FAILED}, {@code SKIPPED}.
 */
final class Statuses {

    private Statuses() {
    }

    public static final String STEP_WAITING = "WAITING";
    public static final String STEP_READY = "READY";
    public static final String STEP_SUCCEEDED = "SUCCEEDED";
    public static final String STEP_FAILED = "FAILED";
    public static final String STEP_SKIPPED = "SKIPPED";
    /** A step that was still waiting when its run was cancelled. */
    public static final String STEP_CANCELLED = "CANCELLED";

    /** {@code value} as an inlined SQL string literal. */
    public static Field<String> lit(String value) {
        return DSL.inline(value);
    }

    /** {@code status IN ('DISPATCHED', 'RUNNING')}: the task is in flight (owned by a node). */
    public static Condition inFlight(Field<String> status) {
        return status.in(lit(TaskStatus.DISPATCHED), lit(TaskStatus.RUNNING));
    }

    /** {@code value}'s name as an inlined SQL string literal. */
    public static Field<String> lit(Enum<?> value) {
        return DSL.inline(value.name());
    }
}
