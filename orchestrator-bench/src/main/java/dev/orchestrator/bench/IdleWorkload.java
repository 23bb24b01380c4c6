package dev.orchestrator.bench;

import dev.orchestrator.Orchestrator;

import java.lang.management.ManagementFactory;
import java.util.LinkedHashMap;
import java.util.Map;

import static dev.orchestrator.bench.Workloads.POLL_MILLIS;
import static dev.orchestrator.bench.Workloads.builder;

/** JDBC round trips per second and CPU of a started, quiet node, against the same JVM before it started. */
final class IdleWorkload {

    private final Settings s;

    IdleWorkload(Settings settings) {
        this.s = settings;
    }

    Result run(String storeName) throws Exception {
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        System.gc();
        long b0 = os.getProcessCpuTime();
        long w0 = System.nanoTime();
        Thread.sleep(s.idleBaseSeconds() * 1000L);
        double baseCpu = 100.0 * (os.getProcessCpuTime() - b0) / (System.nanoTime() - w0);
        try (BenchDatabase db = BenchDatabase.fresh(storeName, "idle"); Stores.Counted counted = new Stores.Counted(db);
             Orchestrator o = builder(counted.store).build()) {
            o.start();
            Thread.sleep(1_500); // start-up: first heartbeat, take-over pass and claim
            StatementCounter c = counted.counter;
            long st0 = c.statements();
            long tx0 = c.transactions();
            long pg0 = c.pings();
            long cpu0 = os.getProcessCpuTime();
            long t0 = System.nanoTime();
            Thread.sleep(s.idleSeconds() * 1000L);
            long wall = System.nanoTime() - t0;
            double secs = wall / 1e9;
            double cpu = 100.0 * (os.getProcessCpuTime() - cpu0) / wall;
            long statements = c.statements() - st0;
            long tx = c.transactions() - tx0;
            long pings = c.pings() - pg0;
            double perSec = (statements + tx + pings) / secs;
            Map<String, Object> extra = new LinkedHashMap<>();
            extra.put("statements_per_sec", perSec);
            extra.put("cpu_pct_of_core", cpu);
            extra.put("sql_statements", statements);
            extra.put("commits_rollbacks", tx);
            extra.put("pool_pings", pings);
            extra.put("counted", "JDBC round trips under the pool: statements + commit/rollback + isValid pings");
            extra.put("poll_interval_ms", POLL_MILLIS == null ? 5000 : Long.parseLong(POLL_MILLIS));
            extra.put("heartbeat_interval_s", 10);
            extra.put("baseline_cpu_pct_of_core", baseCpu);
            return new Result("idle", storeName, 0, secs, null, null, null,
                    "same JVM before the orchestrator started (cpu % of one core)", baseCpu,
                    baseCpu > 0 ? cpu / baseCpu : null, "cpu ours / cpu bare JVM",
                    "<= 0.2 statements/s, <= 0.5 % of one core", perSec <= 0.2 && cpu <= 0.5, extra);
        }
    }
}
