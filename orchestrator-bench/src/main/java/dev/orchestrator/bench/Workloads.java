package dev.orchestrator.bench;

import dev.orchestrator.Orchestrator;
import dev.orchestrator.OrchestratorBuilder;
import dev.orchestrator.RunHandle;
import dev.orchestrator.RunInfo;
import dev.orchestrator.RunStatus;
import dev.orchestrator.StepSpec;
import dev.orchestrator.WorkflowInfo;
import dev.orchestrator.WorkflowSpec;
import dev.orchestrator.jdbc.JdbcStore;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/** The load harness's workloads; each runs on a fresh database and returns one {@link Result}. */
final class Workloads {

    static final int NOOP_MAX_CONCURRENCY = 1024;
    static final int BATCH = 512;

    private final Settings s;
    /** Empty-table noop figures per store, for the history ratio. */
    private final Map<String, Double> emptyNoop = new HashMap<>();

    Workloads(Settings settings) {
        this.s = settings;
    }

    /** The poll interval to use, from {@code -Dbench.pollMillis} (bench.sh: BENCH_POLL_MS), or the builder's default. */
    static final String POLL_MILLIS = System.getProperty("bench.pollMillis");

    private static OrchestratorBuilder builder(JdbcStore store) {
        OrchestratorBuilder b = Orchestrator.builder().store(store).shutdownTimeout(Duration.ofSeconds(10));
        if (POLL_MILLIS != null) {
            b.pollInterval(Duration.ofMillis(Long.parseLong(POLL_MILLIS)));
        }
        return b;
    }

    private static void log(String fmt, Object... args) {
        System.err.printf("  .. " + fmt + "%n", args);
    }

    // ---- noop

    record NoopFigures(double seconds, long tasks, Map<String, Object> extra) {
        double tasksPerSec() {
            return tasks / seconds;
        }
    }

    /** {@code runs} runs of {@code perRun} noop tasks through an orchestrator on {@code store}. */
    static NoopFigures noopRuns(JdbcStore store, int runs, int perRun) throws Exception {
        Recorder rec = new Recorder();
        try (Orchestrator o = builder(store).executor(new NoopExecutor()).maxConcurrency(NOOP_MAX_CONCURRENCY)
                .batchSize(BATCH).listener(rec).build()) {
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

    private static void check(RunInfo info, int tasks) {
        if (info.status() != RunStatus.SUCCEEDED || info.succeeded() != tasks) {
            throw new IllegalStateException("run " + info.id() + " ended " + info.status() + " with " + info.succeeded()
                    + " of " + tasks + " tasks succeeded");
        }
    }

    Result noop(String storeName) throws Exception {
        try (BenchDatabase db = BenchDatabase.fresh(storeName, "noop")) {
            NoopFigures ours;
            try (JdbcStore store = Stores.open(db)) {
                ours = noopRuns(store, s.noopRuns(), s.noopPerRun());
            }
            log("noop %s: %.0f tasks/s; bare-SQL ceiling next", storeName, ours.tasksPerSec());
            double bareSeconds = new BareSql(db).throughput(s.noopRuns(), s.noopPerRun(), BATCH);
            double bare = ours.tasks() / bareSeconds;
            emptyNoop.put(storeName, ours.tasksPerSec());
            double target = storeName.equals("sqlite") ? 50_000 : 10_000;
            double ratio = ours.tasksPerSec() / bare;
            Map<String, Object> extra = new LinkedHashMap<>();
            extra.put("runs", s.noopRuns());
            extra.put("max_concurrency", NOOP_MAX_CONCURRENCY);
            extra.put("batch_size", BATCH);
            extra.put("bare_seconds", bareSeconds);
            extra.putAll(ours.extra());
            return new Result("noop", storeName, ours.tasks(), ours.seconds(), ours.tasksPerSec(), null, null,
                    "bare-SQL ceiling (tasks/s)", bare, ratio, "ours / bare",
                    String.format(">= %,.0f tasks/s, ratio >= 0.5", target),
                    ours.tasksPerSec() >= target && ratio >= 0.5, extra);
        }
    }

    // ---- process

    Result process(String storeName) throws Exception {
        int n = s.processTasks();
        int c = s.processConcurrency();
        double raw = rawSpawnRate(Math.min(n, 2_000), c);
        log("process %s: raw spawn rate %.0f/s at concurrency %d", storeName, raw, c);
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
                rec.report(extra);
                return new Result("process", storeName, n, seconds, ours, null, null,
                        "raw ProcessBuilder spawn+reap of /bin/true, same concurrency (tasks/s)", raw, ratio,
                        "ours / raw", "ratio >= 0.70", ratio >= 0.70, extra);
            }
        } finally {
            deleteTree(logs);
        }
    }

    /** Spawns and reaps {@code n} /bin/true processes on {@code c} threads; returns processes per second. */
    static double rawSpawnRate(int n, int c) throws Exception {
        spawn(50, c); // warm-up
        long t0 = System.nanoTime();
        spawn(n, c);
        return n / ((System.nanoTime() - t0) / 1e9);
    }

    private static void spawn(int n, int c) throws Exception {
        AtomicInteger next = new AtomicInteger();
        List<Thread> threads = new ArrayList<>();
        ConcurrentLinkedQueue<Exception> errors = new ConcurrentLinkedQueue<>();
        for (int i = 0; i < c; i++) {
            threads.add(Thread.ofPlatform().start(() -> {
                ProcessBuilder pb = new ProcessBuilder("/bin/true").redirectErrorStream(true)
                        .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                        .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
                while (next.getAndIncrement() < n) {
                    try {
                        if (pb.start().waitFor() != 0) {
                            throw new IllegalStateException("/bin/true failed");
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

    // ---- latency

    Result latency(String storeName) throws Exception {
        try (BenchDatabase db = BenchDatabase.fresh(storeName, "latency")) {
            List<Long> samples;
            List<Long> triggerCalls;
            Recorder rec = new Recorder();
            try (JdbcStore store = Stores.open(db);
                 Orchestrator o = builder(store).executor(new NoopExecutor()).batchSize(BATCH).listener(rec).build()) {
                o.start();
                o.register(WorkflowSpec.of("one", StepSpec.builder("work", NoopExecutor.TYPE).tasks(1)));
                steady(o, 2, s.latencyRate(), new ArrayList<>(), new ArrayList<>()); // warm-up
                rec.reset();
                samples = Collections.synchronizedList(new ArrayList<>());
                triggerCalls = Collections.synchronizedList(new ArrayList<>());
                steady(o, s.latencySeconds(), s.latencyRate(), samples, triggerCalls);
            }
            Stats ours = new Stats(samples);
            Stats calls = new Stats(triggerCalls);
            Stats bare = bareLatency(db, s.latencyBareSeconds(), s.latencyRate());
            Map<String, Object> extra = new LinkedHashMap<>();
            extra.put("rate_per_sec", s.latencyRate());
            extra.put("samples", ours.count());
            extra.put("max_ms", ours.maxMs());
            extra.put("mean_ms", ours.meanMs());
            extra.put("trigger_call_p50_ms", calls.percentileMs(50));
            extra.put("trigger_call_p99_ms", calls.percentileMs(99));
            extra.put("bare_p50_ms", bare.percentileMs(50));
            extra.put("bare_p99_ms", bare.percentileMs(99));
            rec.report(extra);
            double p99 = ours.percentileMs(99);
            return new Result("latency", storeName, ours.count(), s.latencySeconds(),
                    ours.count() / (double) s.latencySeconds(), ours.percentileMs(50), p99,
                    "bare-SQL single-task cycle, insert+claim+done (p99 ms)", bare.percentileMs(99),
                    p99 / bare.percentileMs(99), "ours p99 / bare p99", "p99 <= 10 ms", p99 <= 10.0, extra);
        }
    }

    /**
     * Triggers one single-task run every {@code 1/rate} s for {@code seconds}, each on its own
     * virtual thread, which then awaits the run: trigger-to-completed as the host sees it.
     */
    private static void steady(Orchestrator o, int seconds, int rate, List<Long> samples, List<Long> triggerCalls)
            throws InterruptedException {
        int total = seconds * rate;
        java.util.concurrent.CountDownLatch done = new java.util.concurrent.CountDownLatch(total);
        ConcurrentLinkedQueue<Throwable> errors = new ConcurrentLinkedQueue<>();
        ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor();
        AtomicInteger fired = new AtomicInteger();
        long periodNanos = 1_000_000_000L / rate;
        ticker.scheduleAtFixedRate(() -> {
            if (fired.getAndIncrement() >= total) {
                return;
            }
            Thread.startVirtualThread(() -> {
                try {
                    long t0 = System.nanoTime();
                    RunHandle h = o.trigger("one");
                    long t1 = System.nanoTime();
                    RunInfo info = h.await(Duration.ofSeconds(60));
                    long t2 = System.nanoTime();
                    if (info.status() != RunStatus.SUCCEEDED) {
                        throw new IllegalStateException("run ended " + info.status());
                    }
                    samples.add(t2 - t0);
                    triggerCalls.add(t1 - t0);
                } catch (Throwable e) {
                    errors.add(e);
                } finally {
                    done.countDown();
                }
            });
        }, 0, periodNanos, TimeUnit.NANOSECONDS);
        boolean ok = done.await(seconds + 120L, TimeUnit.SECONDS);
        ticker.shutdownNow();
        if (!errors.isEmpty()) {
            throw new IllegalStateException("latency trigger failed: " + errors.peek(), errors.peek());
        }
        if (!ok) {
            throw new IllegalStateException("latency runs did not all end");
        }
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

    // ---- memory

    Result memory(String storeName) throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> cmd = List.of(java, "-Xmx64m", "--enable-native-access=ALL-UNNAMED", "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
                "-cp", System.getProperty("java.class.path"), MemoryProbe.class.getName(), storeName,
                Integer.toString(s.memoryTasks()));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        Map<String, String> figures = new HashMap<>();
        StringBuilder output = new StringBuilder();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream()))) {
            String line;
            while ((line = r.readLine()) != null) {
                output.append(line).append('\n');
                if (line.startsWith("MEMORY ")) {
                    for (String kv : line.substring(7).trim().split(" ")) {
                        int eq = kv.indexOf('=');
                        figures.put(kv.substring(0, eq), kv.substring(eq + 1));
                    }
                }
            }
        }
        int code = p.waitFor();
        if (code != 0 || figures.isEmpty()) {
            throw new IllegalStateException("memory probe (-Xmx64m) failed with exit code " + code + ":\n" + output);
        }
        int n = Integer.parseInt(figures.get("tasks"));
        double idleHeap = Double.parseDouble(figures.get("idle_heap_bytes"));
        double busyHeap = Double.parseDouble(figures.get("inflight_heap_bytes"));
        double perTask = (busyHeap - idleHeap) / n;
        double idleRss = Double.parseDouble(figures.get("idle_rss_kb")) / 1024;
        double rss = Double.parseDouble(figures.get("inflight_rss_kb")) / 1024;
        Map<String, Object> extra = new LinkedHashMap<>();
        extra.put("heap_bytes_per_task", perTask);
        extra.put("rss_mb", rss);
        extra.put("idle_rss_mb", idleRss);
        extra.put("idle_heap_mb", idleHeap / (1 << 20));
        extra.put("inflight_heap_mb", busyHeap / (1 << 20));
        extra.put("xmx", "64m");
        return new Result("memory", storeName, n, Double.parseDouble(figures.get("seconds")), null, null, null,
                "same JVM idle, orchestrator started (RSS MB)", idleRss, rss / idleRss,
                "RSS with tasks in flight / idle RSS", "<= 2 KiB heap per in-flight task, runs under -Xmx64m",
                perTask <= 2048, extra);
    }

    // ---- idle

    Result idle(String storeName) throws Exception {
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

    // ---- history

    Result history(String storeName) throws Exception {
        Double empty = emptyNoop.get(storeName);
        if (empty == null) {
            try (BenchDatabase db = BenchDatabase.fresh(storeName, "history_empty"); JdbcStore store = Stores.open(db)) {
                empty = noopRuns(store, s.noopRuns(), s.noopPerRun()).tasksPerSec();
            }
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
            NoopFigures ours = noopRuns(store, s.noopRuns(), s.noopPerRun());
            double ratio = ours.tasksPerSec() / empty;
            Map<String, Object> extra = new LinkedHashMap<>();
            extra.put("history_tasks", s.historyTasks());
            extra.put("prefill_seconds", prefillSeconds);
            extra.putAll(ours.extra());
            return new Result("history", storeName, ours.tasks(), ours.seconds(), ours.tasksPerSec(), null, null,
                    "noop on empty tables, same run (tasks/s)", empty, ratio, "ours / empty-table noop",
                    "ratio >= 0.90", ratio >= 0.90, extra);
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

    static void deleteTree(Path dir) {
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // best effort
        }
    }
}
