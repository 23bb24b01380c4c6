package dev.orchestrator.jdbc.internal;

import dev.orchestrator.TaskStatus;
import dev.orchestrator.spi.NodeRow;
import dev.orchestrator.spi.StepRow;
import dev.orchestrator.spi.TaskFilter;
import dev.orchestrator.spi.TaskRow;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.impl.DSL;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static dev.orchestrator.jdbc.internal.Col.q;

/**
 * Read-only listings for dashboards: steps with their counters, a page of a run's tasks, nodes
 * with their in-flight count. Each is served by an index and costs the same for a run of any size:
 * counters come from {@code run_steps}, in-flight counts from the partial in-flight index, task
 * pages from the {@code (run_id, step_index, task_index)} unique index.
 */
final class ListingQueries {

    private final Tables t;

    /** Listings over {@code tables}. */
    ListingQueries(Tables tables) {
        this.t = tables;
    }

    /** The steps of a run, by index. */
    List<StepRow> steps(DSLContext ctx, long runId) {
        var steps = ctx.select(Col.STEP_INDEX, Col.NAME, Col.TASK_COUNT, Col.FINISHED, Col.SUCCEEDED, Col.FAILED,
                        Col.STATUS)
                .from(t.runSteps).where(Col.RUN_ID.eq(runId)).orderBy(Col.STEP_INDEX).fetch();
        if (steps.isEmpty()) {
            return List.of();
        }
        Map<Integer, List<Integer>> deps = new HashMap<>();
        ctx.select(Col.STEP_INDEX, Col.DEPENDS_ON).from(t.stepDeps).where(Col.RUN_ID.eq(runId))
                .orderBy(Col.STEP_INDEX, Col.DEPENDS_ON)
                .forEach(r -> deps.computeIfAbsent(r.value1(), k -> new ArrayList<>()).add(r.value2()));
        // In-flight tasks are few (bounded by the nodes' slots); the partial index holds only them.
        Map<Integer, Integer> inFlight = new HashMap<>();
        ctx.select(Col.STEP_INDEX, DSL.count()).from(t.tasks)
                .where(Statuses.inFlight(Col.STATUS)).and(Col.OWNER.isNotNull()).and(Col.RUN_ID.eq(runId))
                .groupBy(Col.STEP_INDEX)
                .forEach(r -> inFlight.put(r.value1(), r.value2()));
        List<StepRow> rows = new ArrayList<>(steps.size());
        for (var s : steps) {
            rows.add(new StepRow(runId, s.value1(), s.value2(), s.value3(), s.value4(), s.value5(), s.value6(),
                    inFlight.getOrDefault(s.value1(), 0), s.value7(), deps.getOrDefault(s.value1(), List.of())));
        }
        return rows;
    }

    /** One page of a run's tasks, by step index then task index, after the filter's cursor. */
    List<TaskRow> tasks(DSLContext ctx, TaskFilter f) {
        Condition where = q("t", Col.RUN_ID).eq(f.runId());
        if (f.stepIndex() != null) {
            where = where.and(q("t", Col.STEP_INDEX).eq(f.stepIndex()));
        }
        if (f.status() != null) {
            where = where.and(q("t", Col.STATUS).eq(f.status().name()));
            if (f.status() == TaskStatus.DISPATCHED || f.status() == TaskStatus.RUNNING) {
                // the exact predicate of the partial in-flight index, so the planner may read only in-flight rows
                where = where.and(Statuses.inFlight(q("t", Col.STATUS)));
            }
        }
        if (f.afterStep() != null) {
            where = where.and(DSL.row(q("t", Col.STEP_INDEX), q("t", Col.TASK_INDEX)).gt(f.afterStep(), f.afterTask()));
        }
        return ctx.select(q("t", Col.ID), q("t", Col.RUN_ID), q("t", Col.STEP_INDEX), q("s", Col.NAME),
                        q("t", Col.TASK_INDEX), q("t", Col.STATUS), q("t", Col.ATTEMPT), q("t", Col.READY_AT),
                        q("t", Col.OWNER), q("t", Col.EXECUTION_NAME), q("t", Col.EXIT_CODE), q("t", Col.ERROR),
                        q("t", Col.OUTPUT_TAIL), q("t", Col.STARTED_AT), q("t", Col.FINISHED_AT))
                .from(t.tasks.as("t"))
                .join(t.runSteps.as("s")).on(q("s", Col.RUN_ID).eq(q("t", Col.RUN_ID))
                        .and(q("s", Col.STEP_INDEX).eq(q("t", Col.STEP_INDEX))))
                .where(where)
                .orderBy(q("t", Col.STEP_INDEX), q("t", Col.TASK_INDEX))
                .limit(f.limit())
                .fetch(r -> new TaskRow(r.get(0, Long.class), r.get(1, Long.class), r.get(2, Integer.class),
                        r.get(3, String.class), r.get(4, Integer.class), TaskStatus.valueOf(r.get(5, String.class)),
                        r.get(6, Integer.class), Millis.at(r.get(7, Long.class)), r.get(8, String.class),
                        r.get(9, String.class), r.get(10, Integer.class), r.get(11, String.class),
                        r.get(12, String.class), Millis.at(r.get(13, Long.class)), Millis.at(r.get(14, Long.class))));
    }

    /** Every node, by id, with its in-flight count. */
    List<NodeRow> nodes(DSLContext ctx) {
        Map<String, Integer> inFlight = new HashMap<>();
        ctx.select(Col.OWNER, DSL.count()).from(t.tasks)
                .where(Statuses.inFlight(Col.STATUS)).and(Col.OWNER.isNotNull())
                .groupBy(Col.OWNER)
                .forEach(r -> inFlight.put(r.value1(), r.value2()));
        return ctx.select(Col.NODE_ID, Col.HEARTBEAT_AT, Col.STARTED_AT).from(t.nodes).orderBy(Col.NODE_ID)
                .fetch(r -> new NodeRow(r.value1(), Millis.at(r.value2()), Millis.at(r.value3()),
                        inFlight.getOrDefault(r.value1(), 0)));
    }
}
