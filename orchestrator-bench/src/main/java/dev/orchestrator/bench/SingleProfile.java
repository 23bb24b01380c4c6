package dev.orchestrator.bench;

import dev.orchestrator.Orchestrator;
import dev.orchestrator.TriggerOptions;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Where a one-task run's time goes: runs {@code n} one-task runs triggered one by one from
 * {@code threads} threads at 20 slots (as the {@code single} workload does) on a counted pool,
 * and prints every statement shape with its executions per run and its time, commits per run,
 * and the trigger call's share of the trigger-to-body latency.
 *
 * <p>Usage: {@code SingleProfile [postgres|sqlite] [n] [threads]}
 */
public final class SingleProfile {

    private SingleProfile() {
    }

    public static void main(String[] args) throws Exception {
        String storeName = args.length > 0 ? args[0] : "postgres";
        int n = args.length > 1 ? Integer.parseInt(args[1]) : 2_000;
        int threads = args.length > 2 ? Integer.parseInt(args[2]) : 1;
        try (BenchDatabase db = BenchDatabase.fresh(storeName, "profile"); Stores.Counted counted = new Stores.Counted(db)) {
            Single.Probe probe = new Single.Probe();
            StatementCounter c = counted.counter;
            try (Orchestrator o = Orchestrator.builder().store(counted.store).executor(probe)
                    .maxConcurrency(Settings.HOST_SLOTS).shutdownTimeout(Duration.ofSeconds(10)).build()) {
                o.start();
                o.register(Single.ONE);
                Single.ours(o, probe, 500, threads); // warm-up
                Thread.sleep(500);
                c.resetProfile();
                c.profile(true);
                long st0 = c.statements();
                long tx0 = c.transactions();
                long[] call = new long[n];
                AtomicLongArray start = probe.expect(n);
                long t0 = System.nanoTime();
                Single.fanOut(n, threads, i -> {
                    long s = System.nanoTime();
                    start.set(i, s);
                    o.trigger("one", TriggerOptions.builder().param("seq", Integer.toString(i)).build());
                    call[i] = System.nanoTime() - s;
                });
                Single.Figures f = probe.finish(t0, n, Duration.ofMinutes(5));
                Thread.sleep(1_000); // the last runs' end writes
                c.profile(false);
                long statements = c.statements() - st0;
                long tx = c.transactions() - tx0;
                Stats calls = new Stats(call);
                System.out.printf(Locale.ROOT, "%s, %d one-task runs from %d thread(s) at %d slots: %.0f runs/s,"
                                + " trigger-to-body p50 %.2f ms p99 %.2f ms; trigger call p50 %.2f ms p99 %.2f ms%n",
                        storeName, n, threads, Settings.HOST_SLOTS, f.perSec(), f.latency().percentileMs(50),
                        f.latency().percentileMs(99), calls.percentileMs(50), calls.percentileMs(99));
                System.out.printf(Locale.ROOT, "per run: %.2f statements, %.2f commits/rollbacks%n%n",
                        statements / (double) n, tx / (double) n);
                List<Map.Entry<String, StatementCounter.Entry>> rows = new ArrayList<>(c.profileByText().entrySet());
                rows.sort((a, b) -> Long.compare(b.getValue().nanos(), a.getValue().nanos()));
                long total = rows.stream().mapToLong(e -> e.getValue().nanos()).sum();
                System.out.printf("%8s %8s %9s %6s %5s  %s%n", "per run", "execs", "avg us", "time%", "texts", "statement");
                for (Map.Entry<String, StatementCounter.Entry> e : rows) {
                    StatementCounter.Entry v = e.getValue();
                    String sql = e.getKey();
                    System.out.printf(Locale.ROOT, "%8.3f %8d %9.1f %5.1f%% %5d  %s%n", v.executions() / (double) n,
                            v.executions(), v.nanos() / 1e3 / Math.max(1, v.executions()), 100.0 * v.nanos() / total,
                            v.texts(), sql.length() > 260 ? sql.substring(0, 260) + "..." : sql);
                }
            }
        }
        System.exit(0);
    }
}
