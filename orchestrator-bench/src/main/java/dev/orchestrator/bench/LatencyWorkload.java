package dev.orchestrator.bench;

import dev.orchestrator.Orchestrator;
import dev.orchestrator.RunHandle;
import dev.orchestrator.RunInfo;
import dev.orchestrator.RunStatus;
import dev.orchestrator.jdbc.JdbcStore;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;

import static dev.orchestrator.bench.Workloads.BATCH;
import static dev.orchestrator.bench.Workloads.builder;

/** Trigger-to-completed latency of one-task runs at a steady rate, against the bare-SQL single-task cycle. */
final class LatencyWorkload {

    private final Settings s;

    LatencyWorkload(Settings settings) {
        this.s = settings;
    }

    Result run(String storeName) throws Exception {
        try (BenchDatabase db = BenchDatabase.fresh(storeName, "latency")) {
            List<Long> samples;
            List<Long> triggerCalls;
            Single.Figures body;
            Recorder rec = new Recorder();
            Single.Probe probe = new Single.Probe();
            try (JdbcStore store = Stores.open(db);
                 Orchestrator o = builder(store).executor(probe).batchSize(BATCH).listener(rec).build()) {
                o.start();
                o.register(Single.ONE);
                steady(o, probe, 2, s.latencyRate(), new ArrayList<>(), new ArrayList<>()); // warm-up
                rec.reset();
                samples = Collections.synchronizedList(new ArrayList<>());
                triggerCalls = Collections.synchronizedList(new ArrayList<>());
                body = steady(o, probe, s.latencySeconds(), s.latencyRate(), samples, triggerCalls);
            }
            Stats ours = new Stats(samples);
            Stats calls = new Stats(triggerCalls);
            Stats bare = bareLatency(db, s.latencyBareSeconds(), s.latencyRate());
            Map<String, Object> extra = new LinkedHashMap<>();
            extra.put("rate_per_sec", s.latencyRate());
            extra.put("samples", ours.count());
            extra.put("max_ms", ours.maxMs());
            extra.put("mean_ms", ours.meanMs());
            extra.put("body_p50_ms", body.latency().percentileMs(50));
            extra.put("body_p99_ms", body.latency().percentileMs(99));
            extra.put("trigger_call_p50_ms", calls.percentileMs(50));
            extra.put("trigger_call_p99_ms", calls.percentileMs(99));
            extra.put("bare_p50_ms", bare.percentileMs(50));
            extra.put("bare_p99_ms", bare.percentileMs(99));
            double p99 = ours.percentileMs(99);
            double limit = storeName.equals("sqlite") ? 5.0 : 10.0;
            boolean met = p99 <= limit;
            String target = "p99 <= " + (int) limit + " ms";
            if (db.postgres()) {
                try (BenchDatabase dbs = BenchDatabase.fresh(storeName, "latency_dbs");
                     DbSchedulerBaseline theirs = new DbSchedulerBaseline(dbs, Settings.HOST_SLOTS)) {
                    theirs.steady(2, s.latencyRate()); // warm-up
                    Single.Figures f = theirs.steady(s.latencySeconds(), s.latencyRate());
                    double theirP99 = f.latency().percentileMs(99);
                    extra.put("db_scheduler_value", theirP99);
                    extra.put("ratio_vs_db_scheduler", theirP99 / body.latency().percentileMs(99));
                    extra.put("db_scheduler_p50_ms", f.latency().percentileMs(50));
                    extra.put("db_scheduler_compared", "p99 from the trigger/schedule call to the task body");
                    extra.put("db_scheduler_config", DbSchedulerBaseline.CONFIG.replace("N", "20"));
                    met = met && body.latency().percentileMs(99) < theirP99;
                    target += ", body p99 below db-scheduler's";
                }
            }
            rec.report(extra);
            return new Result("latency", storeName, ours.count(), s.latencySeconds(),
                    ours.count() / (double) s.latencySeconds(), ours.percentileMs(50), p99,
                    "bare-SQL single-task cycle, insert+claim+done (p99 ms)", bare.percentileMs(99),
                    p99 / bare.percentileMs(99), "ours p99 / bare p99", target, met, extra);
        }
    }

    /**
     * Triggers one single-task run every {@code 1/rate} s for {@code seconds}, each on its own
     * virtual thread, which then awaits the run: trigger-to-completed as the host sees it. The
     * probe records trigger-to-body.
     */
    private static Single.Figures steady(Orchestrator o, Single.Probe probe, int seconds, int rate, List<Long> samples,
                                         List<Long> triggerCalls) throws Exception {
        int total = seconds * rate;
        java.util.concurrent.atomic.AtomicLongArray start = probe.expect(total);
        long t00 = System.nanoTime();
        Single.paced(total, rate, seq -> {
            long t0 = System.nanoTime();
            start.set(seq, t0);
            RunHandle h = o.trigger("one", dev.orchestrator.TriggerOptions.builder().param("seq", Integer.toString(seq))
                    .build());
            long t1 = System.nanoTime();
            RunInfo info = h.await(Duration.ofSeconds(60));
            long t2 = System.nanoTime();
            if (info.status() != RunStatus.SUCCEEDED) {
                throw new IllegalStateException("run ended " + info.status());
            }
            samples.add(t2 - t0);
            triggerCalls.add(t1 - t0);
        });
        return probe.finish(t00, total, Duration.ofSeconds(60));
    }

    /** The bare-SQL single-task cycle at the same rate: insert one task, claim it, mark it done. */
    private static Stats bareLatency(BenchDatabase db, int seconds, int rate) throws SQLException {
        BareSql bare = new BareSql(db);
        List<Long> samples = new ArrayList<>();
        try (Connection c = db.connect()) {
            bare.createTable(c);
            try (PreparedStatement claim = c.prepareStatement(bare.claimSql(BATCH));
                 PreparedStatement ins = c.prepareStatement("INSERT INTO bare_tasks (run_id, step_index, task_index,"
                         + " status, ready_at) VALUES (?, 0, ?, 'PENDING', ?)");
                 PreparedStatement fin = c.prepareStatement("UPDATE bare_tasks SET status = 'SUCCEEDED', exit_code = 0,"
                         + " finished_at = ? WHERE id = ? AND attempt = ?")) {
                long period = 1_000_000_000L / rate;
                long next = System.nanoTime();
                int n = seconds * rate;
                for (int i = 0; i < n + rate; i++) {
                    LockSupport.parkNanos(next - System.nanoTime());
                    next += period;
                    long t = bare.singleTaskCycle(c, claim, ins, fin, i + 1);
                    if (i >= rate) { // first second is warm-up
                        samples.add(t);
                    }
                }
            }
            bare.dropTable(c);
        }
        return new Stats(samples);
    }
}
