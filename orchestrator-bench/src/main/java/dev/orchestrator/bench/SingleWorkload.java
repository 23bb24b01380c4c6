package dev.orchestrator.bench;

import dev.orchestrator.Orchestrator;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static dev.orchestrator.bench.Workloads.builder;
import static dev.orchestrator.bench.Workloads.log;

/** One-task runs triggered one by one at a host's 20 slots, from 1 thread then 8: runs/s and latency. */
final class SingleWorkload {

    private final Settings s;

    SingleWorkload(Settings settings) {
        this.s = settings;
    }

    /**
     * One-task runs triggered one by one at a host's 20 slots, from 1 thread and then from 8:
     * runs/s and trigger-to-body latency; on PostgreSQL against db-scheduler with 20 threads
     * scheduling the same number of one-off executions the same way, in the same pass.
     */
    List<Result> run(String storeName) throws Exception {
        List<Result> rows = new ArrayList<>();
        for (int threads : new int[]{1, Settings.SINGLE_THREADS}) {
            Single.Figures ours;
            Map<String, Object> extra = new LinkedHashMap<>();
            Recorder rec = new Recorder();
            try (BenchDatabase db = BenchDatabase.fresh(storeName, "single"); Stores.Counted counted = new Stores.Counted(db)) {
                Single.Probe probe = new Single.Probe();
                try (Orchestrator o = builder(counted.store).executor(probe).maxConcurrency(Settings.HOST_SLOTS)
                        .listener(rec).build()) {
                    o.start();
                    o.register(Single.ONE);
                    Single.ours(o, probe, Math.min(500, s.singleRuns()), threads); // warm-up
                    rec.reset();
                    StatementCounter c = counted.counter;
                    long st0 = c.statements();
                    long tx0 = c.transactions();
                    ours = Single.ours(o, probe, s.singleRuns(), threads);
                    extra.put("statements_per_run", (c.statements() - st0) / (double) s.singleRuns());
                    extra.put("commits_per_run", (c.transactions() - tx0) / (double) s.singleRuns());
                }
            }
            extra.put("threads", threads);
            extra.put("slots", Settings.HOST_SLOTS);
            Double theirs = null;
            String target = null;
            Boolean met = null;
            if (storeName.equals("postgres")) {
                try (BenchDatabase db = BenchDatabase.fresh(storeName, "single_dbs");
                     DbSchedulerBaseline dbs = new DbSchedulerBaseline(db, Settings.HOST_SLOTS)) {
                    dbs.single(Math.min(500, s.singleRuns()), threads); // warm-up
                    long st0 = dbs.counter.statements();
                    long tx0 = dbs.counter.transactions();
                    Single.Figures f = dbs.single(s.singleRuns(), threads);
                    extra.put("db_scheduler_statements_per_run", (dbs.counter.statements() - st0) / (double) s.singleRuns());
                    extra.put("db_scheduler_commits_per_run", (dbs.counter.transactions() - tx0) / (double) s.singleRuns());
                    theirs = f.perSec();
                    extra.put("db_scheduler_value", theirs);
                    extra.put("ratio_vs_db_scheduler", ours.perSec() / theirs);
                    extra.put("db_scheduler_p50_ms", f.latency().percentileMs(50));
                    extra.put("db_scheduler_p99_ms", f.latency().percentileMs(99));
                    extra.put("p99_ratio_vs_db_scheduler", f.latency().percentileMs(99) / ours.latency().percentileMs(99));
                    extra.put("db_scheduler_config", DbSchedulerBaseline.CONFIG.replace("N", "20"));
                    double want = threads == 1 ? 2 : 3;
                    target = ">= " + (int) want + "x db-scheduler" + (threads == 1 ? ", p99 <= db-scheduler's" : "");
                    met = ours.perSec() / theirs >= want
                            && (threads != 1 || ours.latency().percentileMs(99) <= f.latency().percentileMs(99));
                    log("single %s, %d threads: %.0f runs/s (p99 %.1f ms), db-scheduler %.0f/s (p99 %.1f ms)", storeName,
                            threads, ours.perSec(), ours.latency().percentileMs(99), theirs,
                            f.latency().percentileMs(99));
                }
            }
            rec.report(extra);
            rows.add(new Result("single", storeName, ours.n(), ours.seconds(), ours.perSec(),
                    ours.latency().percentileMs(50), ours.latency().percentileMs(99),
                    theirs == null ? "-" : "db-scheduler, one schedule() per execution, 20 threads (runs/s)", theirs,
                    theirs == null ? null : ours.perSec() / theirs, theirs == null ? null : "ours / db-scheduler",
                    target, met, extra));
        }
        return rows;
    }
}
