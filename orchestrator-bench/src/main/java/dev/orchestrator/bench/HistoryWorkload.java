package dev.orchestrator.bench;

import dev.orchestrator.Orchestrator;
import dev.orchestrator.StepSpec;
import dev.orchestrator.WorkflowInfo;
import dev.orchestrator.WorkflowSpec;
import dev.orchestrator.bench.NoopWorkload.NoopFigures;
import dev.orchestrator.jdbc.JdbcStore;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static dev.orchestrator.bench.NoopWorkload.noopRuns;
import static dev.orchestrator.bench.Workloads.builder;
import static dev.orchestrator.bench.Workloads.log;

/** noop with a million finished tasks in the tables, against noop on empty tables in the same JVM. */
final class HistoryWorkload {

    private final Settings s;

    HistoryWorkload(Settings settings) {
        this.s = settings;
    }

    /**
     * noop with a million finished tasks in the tables, against noop on empty tables measured in
     * the same JVM after the same warm-up: a warm-up pass on empty tables first, then
     * {@code repeats} rounds of empty-table noop and history noop, alternating. The ratio is the
     * median of the rounds' ratios.
     */
    Result run(String storeName) throws Exception {
        try (BenchDatabase warm = BenchDatabase.fresh(storeName, "history_warmup"); JdbcStore store = Stores.open(warm)) {
            noopRuns(store, s.warmUp().noopRuns(), s.noopPerRun());
        }
        try (BenchDatabase db = BenchDatabase.fresh(storeName, "history"); JdbcStore store = Stores.open(db)) {
            long versionId;
            try (Orchestrator o = builder(store).executor(new NoopExecutor()).build()) {
                WorkflowInfo wf = o.register(WorkflowSpec.of("noop", StepSpec.builder("work", NoopExecutor.TYPE)
                        .tasks(s.noopPerRun())));
                versionId = wf.versionId();
            }
            long p0 = System.nanoTime();
            prefill(db, versionId, s.historyTasks(), s.noopPerRun());
            double prefillSeconds = (System.nanoTime() - p0) / 1e9;
            log("history %s: %,d finished tasks inserted in %.1f s", storeName, s.historyTasks(), prefillSeconds);
            List<Double> empties = new ArrayList<>();
            List<Double> fulls = new ArrayList<>();
            List<Double> ratios = new ArrayList<>();
            NoopFigures ours = null;
            for (int round = 0; round < s.repeats(); round++) {
                double empty;
                try (BenchDatabase e = BenchDatabase.fresh(storeName, "history_empty"); JdbcStore es = Stores.open(e)) {
                    empty = noopRuns(es, s.noopRuns(), s.noopPerRun()).tasksPerSec();
                }
                ours = noopRuns(store, s.noopRuns(), s.noopPerRun());
                empties.add(empty);
                fulls.add(ours.tasksPerSec());
                ratios.add(ours.tasksPerSec() / empty);
                log("history %s round %d: %.0f tasks/s, empty tables %.0f/s", storeName, round + 1, ours.tasksPerSec(),
                        empty);
            }
            double ratio = Repeats.median(ratios);
            Map<String, Object> extra = new LinkedHashMap<>();
            extra.put("history_tasks", s.historyTasks());
            extra.put("prefill_seconds", prefillSeconds);
            extra.put("repeats", s.repeats());
            extra.put("tasks_per_sec_min", java.util.Collections.min(fulls));
            extra.put("tasks_per_sec_max", java.util.Collections.max(fulls));
            extra.put("baseline_value_min", java.util.Collections.min(empties));
            extra.put("baseline_value_max", java.util.Collections.max(empties));
            extra.put("ratio_min", java.util.Collections.min(ratios));
            extra.put("ratio_max", java.util.Collections.max(ratios));
            extra.putAll(ours.extra());
            return new Result("history", storeName, ours.tasks(), ours.seconds(), Repeats.median(fulls), null, null,
                    "noop on empty tables, same JVM after the same warm-up (tasks/s)", Repeats.median(empties), ratio,
                    "ours / empty-table noop (median of rounds)", "ratio >= 0.95", ratio >= 0.95, extra);
        }
    }

    /** Puts {@code total} finished tasks (with runs, steps and attempts) in the store's tables (default prefix), set-based. */
    static void prefill(BenchDatabase db, long versionId, int total, int perRun) throws SQLException {
        int runs = Math.max(1, total / perRun);
        long t = System.currentTimeMillis() - 86_400_000L;
        boolean pg = db.postgres();
        String series = pg ? "generate_series(1, " + runs + ") AS g(x)"
                : "(WITH RECURSIVE g(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM g WHERE x < " + runs + ") SELECT x FROM g)";
        String taskSeries = pg ? "generate_series(0, " + (perRun - 1) + ") AS g(x)"
                : "(WITH RECURSIVE g(x) AS (SELECT 0 UNION ALL SELECT x + 1 FROM g WHERE x < " + (perRun - 1)
                + ") SELECT x FROM g) AS g";
        try (Connection c = db.connect(); Statement st = c.createStatement()) {
            c.setAutoCommit(false);
            st.executeUpdate("INSERT INTO orc_runs (workflow_version_id, workflow_name, status, triggered_by, params_json,"
                    + " task_count, succeeded, failed, finished, created_at, started_at, finished_at) SELECT "
                    + versionId + ", 'noop', 'SUCCEEDED', 'manual', '{}', " + perRun + ", " + perRun + ", 0, " + perRun
                    + ", " + t + ", " + t + ", " + (t + 1000) + " FROM " + series);
            st.executeUpdate("INSERT INTO orc_run_steps (run_id, step_index, name, task_count, finished, succeeded, failed,"
                    + " deps_pending, status) SELECT id, 0, 'work', " + perRun + ", " + perRun + ", " + perRun
                    + ", 0, 0, 'SUCCEEDED' FROM orc_runs");
            st.executeUpdate("INSERT INTO orc_tasks (run_id, step_index, task_index, status, attempt, ready_at, owner,"
                    + " heartbeat_at, exit_code, started_at, finished_at) SELECT r.id, 0, g.x, 'SUCCEEDED', 1, " + t
                    + ", 'history-node', " + t + ", 0, " + t + ", " + (t + 1000) + " FROM orc_runs r CROSS JOIN " + taskSeries);
            st.executeUpdate("INSERT INTO orc_attempts (task_id, attempt, outcome, node, exit_code, started_at, finished_at)"
                    + " SELECT id, 1, 'SUCCEEDED', 'history-node', 0, started_at, finished_at FROM orc_tasks");
            c.commit();
            c.setAutoCommit(true);
            if (pg) {
                st.execute("VACUUM ANALYZE orc_runs, orc_run_steps, orc_tasks, orc_attempts"); // what autovacuum would have done by the time a table holds a million rows
            }
        }
    }
}
