package dev.orchestrator.jdbc.internal;

import dev.orchestrator.AttemptOutcome;
import dev.orchestrator.TaskStatus;
import dev.orchestrator.spi.AttemptRow;
import dev.orchestrator.spi.TaskRow;
import org.jooq.DSLContext;
import org.jooq.Record;

import java.util.List;

import static dev.orchestrator.jdbc.internal.Col.q;

/** Listings of {@code tasks} and {@code attempts}. */
final class TaskQueries {

    private final Tables t;

    /** Listings of {@code tables.tasks} and {@code tables.attempts}. */
    public TaskQueries(Tables tables) {
        this.t = tables;
    }

    /** All tasks of a run, by step index then task index. */
    public List<TaskRow> listTasks(DSLContext ctx, long runId) {
        return ctx.select(q("t", Col.ID), q("t", Col.RUN_ID), q("t", Col.STEP_INDEX), q("s", Col.NAME),
                        q("t", Col.TASK_INDEX), q("t", Col.STATUS), q("t", Col.ATTEMPT), q("t", Col.READY_AT),
                        q("t", Col.OWNER), q("t", Col.EXECUTION_NAME), q("t", Col.EXIT_CODE), q("t", Col.ERROR),
                        q("t", Col.OUTPUT_TAIL), q("t", Col.STARTED_AT), q("t", Col.FINISHED_AT))
                .from(t.tasks.as("t"))
                .join(t.runSteps.as("s")).on(q("s", Col.RUN_ID).eq(q("t", Col.RUN_ID))
                        .and(q("s", Col.STEP_INDEX).eq(q("t", Col.STEP_INDEX))))
                .where(q("t", Col.RUN_ID).eq(runId))
                .orderBy(q("t", Col.STEP_INDEX), q("t", Col.TASK_INDEX))
                .fetch(TaskQueries::task);
    }

    /** All attempts of a task, oldest first. */
    public List<AttemptRow> listAttempts(DSLContext ctx, long taskId) {
        return ctx.select(Col.TASK_ID, Col.ATTEMPT, Col.OUTCOME, Col.NODE, Col.EXECUTION_NAME, Col.EXIT_CODE,
                        Col.ERROR, Col.OUTPUT_TAIL, Col.OUTPUT_REF, Col.STARTED_AT, Col.FINISHED_AT)
                .from(t.attempts).where(Col.TASK_ID.eq(taskId)).orderBy(Col.ATTEMPT)
                .fetch(r -> new AttemptRow(r.value1(), r.value2(), AttemptOutcome.valueOf(r.value3()), r.value4(),
                        r.value5(), r.value6(), r.value7(), r.value8(), r.value9(), Millis.at(r.value10()),
                        Millis.at(r.value11())));
    }

    private static TaskRow task(Record r) {
        return new TaskRow(r.get(0, Long.class), r.get(1, Long.class), r.get(2, Integer.class),
                r.get(3, String.class), r.get(4, Integer.class), TaskStatus.valueOf(r.get(5, String.class)),
                r.get(6, Integer.class), Millis.at(r.get(7, Long.class)), r.get(8, String.class),
                r.get(9, String.class), r.get(10, Integer.class), r.get(11, String.class), r.get(12, String.class),
                Millis.at(r.get(13, Long.class)), Millis.at(r.get(14, Long.class)));
    }
}
