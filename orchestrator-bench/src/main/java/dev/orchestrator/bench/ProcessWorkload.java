package dev.orchestrator.bench;

import dev.orchestrator.Orchestrator;
import dev.orchestrator.StepSpec;
import dev.orchestrator.WorkflowSpec;
import dev.orchestrator.jdbc.JdbcStore;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

import static dev.orchestrator.bench.Workloads.BATCH;
import static dev.orchestrator.bench.Workloads.builder;
import static dev.orchestrator.bench.Workloads.check;
import static dev.orchestrator.bench.Workloads.deleteTree;
import static dev.orchestrator.bench.Workloads.log;

/**
 * /bin/true tasks through the orchestrator against raw ProcessBuilder spawn+reap at the same
 * concurrency; the row also carries the raw rate through {@code setsid} (each task leads its own
 * process group, so it pays that exec too) and the ratio to it.
 */
final class ProcessWorkload {

    private final Settings s;

    ProcessWorkload(Settings settings) {
        this.s = settings;
    }

    Result run(String storeName) throws Exception {
        int n = s.processTasks();
        int c = s.processConcurrency();
        double raw = rawSpawnRate(Math.min(n, 2_000), c, List.of("/bin/true"));
        Path setsid = Path.of("/usr/bin/setsid");
        Double rawSetsid = Files.isExecutable(setsid)
                ? rawSpawnRate(Math.min(n, 2_000), c, List.of(setsid.toString(), "/bin/true")) : null;
        log("process %s: raw spawn rate %.0f/s (through setsid %s/s) at concurrency %d", storeName, raw,
                rawSetsid == null ? "-" : String.format("%.0f", rawSetsid), c);
        Path logs = Files.createTempDirectory("orchestrator-bench-logs-");
        try (BenchDatabase db = BenchDatabase.fresh(storeName, "process"); JdbcStore store = Stores.open(db)) {
            Recorder rec = new Recorder();
            try (Orchestrator o = builder(store).maxConcurrency(c).batchSize(BATCH).listener(rec)
                    .executorConfig("process", Map.of("logDirectory", logs.toString())).build()) {
                o.start();
                o.register(WorkflowSpec.of("true", StepSpec.process("true", "/bin/true").tasks(n)));
                o.register(WorkflowSpec.of("warmup", StepSpec.process("true", "/bin/true").tasks(50)));
                check(o.trigger("warmup").await(Duration.ofMinutes(2)), 50);
                rec.reset();
                long t0 = System.nanoTime();
                check(o.trigger("true").await(Duration.ofMinutes(10)), n);
                double seconds = (System.nanoTime() - t0) / 1e9;
                double ours = n / seconds;
                double ratio = ours / raw;
                Map<String, Object> extra = new LinkedHashMap<>();
                extra.put("concurrency", c);
                if (rawSetsid != null) {
                    extra.put("raw_setsid_per_sec", rawSetsid);
                    extra.put("ratio_vs_raw_setsid", ours / rawSetsid);
                }
                rec.report(extra);
                return new Result("process", storeName, n, seconds, ours, null, null,
                        "raw ProcessBuilder spawn+reap of /bin/true, same concurrency (tasks/s)", raw, ratio,
                        "ours / raw", "ratio >= 0.90", ratio >= 0.90, extra);
            }
        } finally {
            deleteTree(logs);
        }
    }

    /** Spawns and reaps {@code n} processes of {@code command} on {@code c} threads; returns processes per second. */
    static double rawSpawnRate(int n, int c, List<String> command) throws Exception {
        spawn(50, c, command); // warm-up
        long t0 = System.nanoTime();
        spawn(n, c, command);
        return n / ((System.nanoTime() - t0) / 1e9);
    }

    private static void spawn(int n, int c, List<String> command) throws Exception {
        AtomicInteger next = new AtomicInteger();
        List<Thread> threads = new ArrayList<>();
        ConcurrentLinkedQueue<Exception> errors = new ConcurrentLinkedQueue<>();
        for (int i = 0; i < c; i++) {
            threads.add(Thread.ofPlatform().start(() -> {
                ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true)
                        .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                        .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
                while (next.getAndIncrement() < n) {
                    try {
                        if (pb.start().waitFor() != 0) {
                            throw new IllegalStateException(command + " failed");
                        }
                    } catch (Exception e) {
                        errors.add(e);
                        return;
                    }
                }
            }));
        }
        for (Thread t : threads) {
            t.join();
        }
        if (!errors.isEmpty()) {
            throw errors.peek();
        }
    }
}
