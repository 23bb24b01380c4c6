package dev.orchestrator.jdbc.internal;

import dev.orchestrator.RunStatus;
import org.jooq.DSLContext;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The counters of steps and runs after a batch of task ends, each written together with the end
 * it may cause: a step whose tasks have all ended becomes {@code SUCCEEDED} or {@code FAILED} in
 * the statement that adds its last deltas, and likewise a run: one statement for all the steps of
 * a batch and one for all its runs, over array bind values (PostgreSQL) or a JSON array of numbers
 * (SQLite). Every text is fixed, so each is prepared once.
 */
final class CounterWrites {

    /** A step that ended in this batch: whether it succeeded and whether other steps depend on it. */
    record EndedStep(StepKey step, boolean succeeded, boolean hasDependents) {
    }

    private static final String ENDED_STEP = "('" + Statuses.STEP_SUCCEEDED + "', '" + Statuses.STEP_FAILED + "')";
    private static final String LIVE_RUN = "('" + RunStatus.PENDING.name() + "', '" + RunStatus.RUNNING.name() + "')";

    private final boolean postgres;
    private final Stmt steps;
    private final Stmt runs;

    /** Statements on {@code t}, with table names rendered by {@code r}. */
    CounterWrites(Tables t, DSLContext r, boolean postgres) {
        this.postgres = postgres;
        String stepTable = r.render(t.runSteps);
        String runTable = r.render(t.runs);
        String deps = r.render(t.stepDeps);
        String yes = postgres ? "true" : "1";
        // SQLite's RETURNING knows no table alias: there the table's own name qualifies its columns.
        String sa = postgres ? "s" : stepTable;
        String ra = postgres ? "r" : runTable;
        String stepEnd = "case when S.succeeded + %2$s = S.task_count then '" + Statuses.STEP_SUCCEEDED + "' else '"
                + Statuses.STEP_FAILED + "' end";
        String stepSet = " set finished = S.finished + %1$s, succeeded = S.succeeded + %2$s, failed = S.failed + %3$s,"
                + " status = case when S.status = '" + Statuses.STEP_READY + "' and S.finished + %1$s = S.task_count"
                + " then " + stepEnd + " else S.status end";
        String stepReturning = " returning S.run_id, S.step_index, S.status,"
                + " S.status in " + ENDED_STEP + " and S.finished = S.task_count and S.finished - %1$s < S.task_count,"
                + " exists (select 1 from " + deps + " d where d.run_id = S.run_id and d.depends_on = S.step_index)";
        String runEnded = "R.status in " + LIVE_RUN + " and R.finished + %1$s = R.task_count";
        String runSet = " set finished = R.finished + %1$s, succeeded = R.succeeded + %2$s, failed = R.failed + %3$s,"
                + " status = case when " + runEnded + " then case when R.succeeded + %2$s = R.task_count then '"
                + RunStatus.SUCCEEDED.name() + "' when R.cancel_requested = " + yes + " then '"
                + RunStatus.CANCELLED.name() + "' else '" + RunStatus.FAILED.name() + "' end else R.status end,"
                + " finished_at = case when " + runEnded + " then %4$s else R.finished_at end";
        String runReturning = " returning R.id, R.status not in " + LIVE_RUN
                + " and R.finished = R.task_count and R.finished - %1$s < R.task_count";
        stepSet = stepSet.replace("S.", sa + ".");
        stepReturning = stepReturning.replace("S.", sa + ".");
        runSet = runSet.replace("R.", ra + ".");
        runReturning = runReturning.replace("R.", ra + ".");
        if (postgres) {
            steps = new Stmt("update " + stepTable + " as s" + String.format(stepSet, "u.f", "u.ok", "u.bad")
                    + " from unnest(cast(? as bigint[]), cast(? as int[]), cast(? as int[]), cast(? as int[]),"
                    + " cast(? as int[])) as u (r, i, f, ok, bad) where s.run_id = u.r and s.step_index = u.i"
                    + String.format(stepReturning, "u.f"), 5);
            runs = new Stmt("update " + runTable + " as r" + String.format(runSet, "u.f", "u.ok", "u.bad",
                    "cast(? as bigint)") + " from unnest(cast(? as bigint[]), cast(? as int[]), cast(? as int[]),"
                    + " cast(? as int[])) as u (id, f, ok, bad) where r.id = u.id"
                    + String.format(runReturning, "u.f"), 5);
        } else {
            // SQLite's RETURNING cannot see the deltas (the FROM table); it needs not: a step or run
            // that had ended gets no further deltas (each task ends once), so "ended and complete"
            // among the updated rows means "ended now".
            String json = "from (select json_extract(value, '$[0]') as k, json_extract(value, '$[1]') as i,"
                    + " json_extract(value, '$[2]') as f, json_extract(value, '$[3]') as ok,"
                    + " json_extract(value, '$[4]') as bad from json_each(?)) as u";
            steps = new Stmt("update " + stepTable + String.format(stepSet, "u.f", "u.ok", "u.bad") + " " + json
                    + " where " + sa + ".run_id = u.k and " + sa + ".step_index = u.i"
                    + " returning run_id, step_index, status, status in " + ENDED_STEP + " and finished = task_count,"
                    + " exists (select 1 from " + deps + " d where d.run_id = " + sa + ".run_id and d.depends_on = "
                    + sa + ".step_index)", 1);
            runs = new Stmt("update " + runTable + String.format(runSet, "u.f", "u.ok", "u.bad", "?") + " " + json
                    + " where " + ra + ".id = u.k returning id, status not in " + LIVE_RUN
                    + " and finished = task_count", 2);
        }
    }

    /** Adds {@code deltas} to their steps; returns the steps that ended, in the order of {@code deltas}. */
    List<EndedStep> steps(Jdbc jdbc, Connection c, Map<StepKey, Counters> deltas) throws SQLException {
        List<EndedStep> ended = new ArrayList<>();
        Jdbc.Row row = rs -> {
            if (rs.getBoolean(4)) {
                ended.add(new EndedStep(new StepKey(rs.getLong(1), rs.getInt(2)),
                        Statuses.STEP_SUCCEEDED.equals(rs.getString(3)), rs.getBoolean(5)));
            }
        };
        if (postgres) {
            int n = deltas.size();
            Long[] run = new Long[n];
            Integer[] step = new Integer[n];
            Integer[] f = new Integer[n];
            Integer[] ok = new Integer[n];
            Integer[] bad = new Integer[n];
            int i = 0;
            for (var e : deltas.entrySet()) {
                run[i] = e.getKey().runId();
                step[i] = e.getKey().stepIndex();
                f[i] = e.getValue().finished;
                ok[i] = e.getValue().succeeded;
                bad[i++] = e.getValue().failed;
            }
            jdbc.query(c, steps, new Object[]{run, step, f, ok, bad}, row);
            ended.sort((a, b) -> a.step().compareTo(b.step()));
            return ended;
        }
        StringBuilder json = new StringBuilder("[");
        for (var e : deltas.entrySet()) {
            Counters d = e.getValue();
            json.append(json.length() > 1 ? "," : "").append('[').append(e.getKey().runId()).append(',')
                    .append(e.getKey().stepIndex()).append(',').append(d.finished).append(',').append(d.succeeded)
                    .append(',').append(d.failed).append(']');
        }
        jdbc.query(c, steps, new Object[]{json.append(']').toString()}, row);
        ended.sort((a, b) -> a.step().compareTo(b.step()));
        return ended;
    }

    /** Adds {@code deltas} to their runs, ending those whose tasks have all ended at {@code now}; returns their ids. */
    List<Long> runs(Jdbc jdbc, Connection c, Map<Long, Counters> deltas, long now) throws SQLException {
        List<Long> ended = new ArrayList<>();
        Jdbc.Row row = rs -> {
            if (rs.getBoolean(2)) {
                ended.add(rs.getLong(1));
            }
        };
        if (postgres) {
            int n = deltas.size();
            Long[] id = new Long[n];
            Integer[] f = new Integer[n];
            Integer[] ok = new Integer[n];
            Integer[] bad = new Integer[n];
            int i = 0;
            for (var e : deltas.entrySet()) {
                id[i] = e.getKey();
                f[i] = e.getValue().finished;
                ok[i] = e.getValue().succeeded;
                bad[i++] = e.getValue().failed;
            }
            jdbc.query(c, runs, new Object[]{now, id, f, ok, bad}, row);
        } else {
            // Numbers only (ids and counts), never text from users: [id, 0, finished, succeeded, failed].
            StringBuilder json = new StringBuilder("[");
            for (var e : deltas.entrySet()) {
                Counters d = e.getValue();
                json.append(json.length() > 1 ? "," : "").append('[').append(e.getKey()).append(",0,")
                        .append(d.finished).append(',').append(d.succeeded).append(',').append(d.failed).append(']');
            }
            jdbc.query(c, runs, new Object[]{now, json.append(']').toString()}, row);
        }
        ended.sort(null);
        return ended;
    }
}
