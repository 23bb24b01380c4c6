package dev.orchestrator.jdbc.internal;

import dev.orchestrator.TaskStatus;
import dev.orchestrator.spi.TaskUpdate;
import org.jooq.DSLContext;
import org.jooq.impl.DSL;

import java.util.List;

/**
 * Hands attempts back unused: the task returns to {@code PENDING}, ready now, with its attempt
 * number as before the claim, no owner, and no row for the released attempt. Rare (shutdown,
 * take-over of never-started tasks, transient errors), so one guarded statement pair per task.
 */
final class Releases {

    private final Tables t;

    Releases(Tables tables) {
        this.t = tables;
    }

    /** Applies the {@link TaskUpdate.Kind#RELEASED} updates of a batch. */
    void apply(DSLContext ctx, List<TaskUpdate> released, long now) {
        for (TaskUpdate u : released) {
            release(ctx, u.taskId(), u.attempt(), u.owner(), now);
        }
    }

    /**
     * Releases attempt {@code attempt} of task {@code taskId} if it is still that task's live
     * attempt and {@code owner} still owns it: a late or repeated release changes nothing, even
     * after another node claimed the task again under the same attempt number.
     */
    void release(DSLContext ctx, long taskId, int attempt, String owner, long now) {
        int n = ctx.update(t.tasks)
                .set(Col.STATUS, Statuses.lit(TaskStatus.PENDING))
                .set(Col.ATTEMPT, Col.ATTEMPT.minus(DSL.inline(1)))
                .set(Col.READY_AT, now)
                .set(Col.OWNER, DSL.castNull(Col.OWNER.getDataType()))
                .set(Col.EXECUTION_NAME, DSL.castNull(Col.EXECUTION_NAME.getDataType()))
                .set(Col.HEARTBEAT_AT, DSL.castNull(Col.HEARTBEAT_AT.getDataType()))
                .where(Col.ID.eq(taskId)).and(Col.ATTEMPT.eq(attempt)).and(Col.OWNER.eq(owner))
                .and(Col.STATUS.in(Statuses.lit(TaskStatus.DISPATCHED), Statuses.lit(TaskStatus.RUNNING)))
                .execute();
        if (n == 1) {
            ctx.deleteFrom(t.attempts).where(Col.TASK_ID.eq(taskId)).and(Col.ATTEMPT.eq(attempt)).execute();
        }
    }
}
