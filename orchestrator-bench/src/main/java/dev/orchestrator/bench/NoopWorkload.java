package dev.orchestrator.bench;

import dev.orchestrator.Orchestrator;
import dev.orchestrator.RunHandle;
import dev.orchestrator.StepSpec;
import dev.orchestrator.WorkflowSpec;
import dev.orchestrator.jdbc.JdbcStore;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static dev.orchestrator.bench.Workloads.BATCH;
import static dev.orchestrator.bench.Workloads.NOOP_MAX_CONCURRENCY;
import static dev.orchestrator.bench.Workloads.builder;
import static dev.orchestrator.bench.Workloads.check;
import static dev.orchestrator.bench.Workloads.log;

/** noop tasks at 1,024 slots against the bare-SQL ceiling, then at a host's 20 slots against db-scheduler. */
final class NoopWorkload {

    private final Settings s;

    NoopWorkload(Settings settings) {
        this.s = settings;
    }

    record NoopFigures(double seconds, long tasks, Map<String, Object> extra) {
        double tasksPerSec() {
            return tasks / seconds;
        }
    }

    /** {@code runs} runs of {@code perRun} noop tasks through an orchestrator on {@code store}. */
    static NoopFigures noopRuns(JdbcStore store, int runs, int perRun) throws Exception {
        return noopRuns(store, runs, perRun, NOOP_MAX_CONCURRENCY, BATCH);
    }

    /** The same at {@code slots} slots and claim batches of {@code batch}. */
    static NoopFigures noopRuns(JdbcStore store, int runs, int perRun, int slots, int batch) throws Exception {
        Recorder rec = new Recorder();
        try (Orchestrator o = builder(store).executor(new NoopExecutor()).maxConcurrency(slots)
                .batchSize(batch).listener(rec).build()) {
            o.start();
            o.register(WorkflowSpec.of("noop", StepSpec.builder("work", NoopExecutor.TYPE).tasks(perRun)));
            o.register(WorkflowSpec.of("warmup", StepSpec.builder("work", NoopExecutor.TYPE).tasks(2_000)));
            check(o.trigger("warmup").await(Duration.ofMinutes(2)), 2_000);
            rec.reset();
            long t0 = System.nanoTime();
            List<RunHandle> handles = new ArrayList<>(runs);
            for (int i = 0; i < runs; i++) {
                handles.add(o.trigger("noop"));
            }
            for (RunHandle h : handles) {
                check(h.await(Duration.ofMinutes(10)), perRun);
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            Map<String, Object> extra = new LinkedHashMap<>();
            rec.report(extra);
            return new NoopFigures(seconds, (long) runs * perRun, extra);
        }
    }

    /** noop at 1,024 slots against the bare-SQL ceiling, then at a host's 20 slots against db-scheduler. */
    List<Result> run(String storeName) throws Exception {
        return List.of(noopCeiling(storeName), noopSmall(storeName));
    }

    /**
     * noop at a host's settings: 20 slots, runs of 1,000 tasks triggered at once; on PostgreSQL
     * against db-scheduler's {@code scheduleBatch} of 1,000 with 20 threads, in the same pass.
     */
    Result noopSmall(String storeName) throws Exception {
        int slots = Settings.HOST_SLOTS;
        NoopFigures ours;
        try (BenchDatabase db = BenchDatabase.fresh(storeName, "noop20"); JdbcStore store = Stores.open(db)) {
            ours = noopRuns(store, s.smallRuns(), s.smallPerRun(), slots, BATCH);
        }
        Map<String, Object> extra = new LinkedHashMap<>();
        extra.put("slots", slots);
        extra.put("runs", s.smallRuns());
        extra.put("tasks_per_run", s.smallPerRun());
        Double theirs = null;
        if (storeName.equals("postgres")) {
            try (BenchDatabase db = BenchDatabase.fresh(storeName, "noop20_dbs");
                 DbSchedulerBaseline dbs = new DbSchedulerBaseline(db, slots)) {
                dbs.batch(1, Math.min(2_000, s.smallPerRun())); // its warm-up, like ours inside noopRuns
                theirs = dbs.batch(s.smallRuns(), s.smallPerRun()).perSec();
            }
            extra.put("db_scheduler_value", theirs);
            extra.put("ratio_vs_db_scheduler", ours.tasksPerSec() / theirs);
            extra.put("db_scheduler_config", DbSchedulerBaseline.CONFIG.replace("N", Integer.toString(slots))
                    + ", scheduleBatch of " + s.smallPerRun());
            log("noop %s at %d slots: %.0f tasks/s, db-scheduler %.0f/s", storeName, slots, ours.tasksPerSec(), theirs);
        }
        extra.putAll(ours.extra());
        Double ratio = theirs == null ? null : ours.tasksPerSec() / theirs;
        return new Result("noop", storeName, ours.tasks(), ours.seconds(), ours.tasksPerSec(), null, null,
                theirs == null ? "-" : "db-scheduler scheduleBatch, 20 threads (tasks/s)", theirs, ratio,
                theirs == null ? null : "ours / db-scheduler", theirs == null ? null : ">= 3x db-scheduler",
                ratio == null ? null : ratio >= 3, extra);
    }

    Result noopCeiling(String storeName) throws Exception {
        try (BenchDatabase db = BenchDatabase.fresh(storeName, "noop")) {
            NoopFigures ours;
            try (JdbcStore store = Stores.open(db)) {
                ours = noopRuns(store, s.noopRuns(), s.noopPerRun());
            }
            log("noop %s: %.0f tasks/s; bare-SQL ceiling next", storeName, ours.tasksPerSec());
            double bareSeconds = new BareSql(db).throughput(s.noopRuns(), s.noopPerRun(), BATCH);
            double bare = ours.tasks() / bareSeconds;
            double target = storeName.equals("sqlite") ? 0.5 : 0.9;
            double ratio = ours.tasksPerSec() / bare;
            Map<String, Object> extra = new LinkedHashMap<>();
            extra.put("runs", s.noopRuns());
            extra.put("slots", NOOP_MAX_CONCURRENCY);
            extra.put("tasks_per_run", s.noopPerRun());
            extra.put("batch_size", BATCH);
            extra.put("bare_seconds", bareSeconds);
            extra.putAll(ours.extra());
            return new Result("noop", storeName, ours.tasks(), ours.seconds(), ours.tasksPerSec(), null, null,
                    "bare-SQL ceiling (tasks/s)", bare, ratio, "ours / bare",
                    String.format("ratio >= %.1f", target), ratio >= target, extra);
        }
    }
}
