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

    private static void check(RunInfo info, int tasks) {
        if (info.status() != RunStatus.SUCCEEDED || info.succeeded() != tasks) {
            throw new IllegalStateException("run " + info.id() + " ended " + info.status() + " with " + info.succeeded()
                    + " of " + tasks + " tasks succeeded");
        }
    }

    /** noop at 1,024 slots against the bare-SQL ceiling, then at a host's 20 slots against db-scheduler. */
    List<Result> noop(String storeName) throws Exception {
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
                        "ours / raw", "ratio >= 0.90", ratio >= 0.90, extra);
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

    // ---- single

    /**
     * One-task runs triggered one by one at a host's 20 slots, from 1 thread and then from 8:
     * runs/s and trigger-to-body latency; on PostgreSQL against db-scheduler with 20 threads
     * scheduling the same number of one-off executions the same way, in the same pass.
     */
    List<Result> single(String storeName) throws Exception {
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

    // ---- cluster

    /**
     * noop on PostgreSQL with 1 node, then 3 nodes, each node its own JVM ({@link ClusterNode})
     * on one schema; the harness triggers the runs through a client orchestrator that is not
     * started. Nodes poll every 100 ms, as the store has no cross-process wake-up; throughput
     * is tasks over the time from the first task's start to the last run's end, as the database
     * recorded them, so the wait for a node's poll is not counted.
     */
    List<Result> cluster(String storeName) throws Exception {
        if (!storeName.equals("postgres")) {
            return List.of();
        }
        double one = 0;
        List<Result> rows = new ArrayList<>();
        for (int nodes : new int[]{1, 3}) {
            double rate = clusterPass(nodes);
            Map<String, Object> extra = new LinkedHashMap<>();
            extra.put("nodes", nodes);
            extra.put("slots_per_node", NOOP_MAX_CONCURRENCY);
            extra.put("runs", s.noopRuns());
            extra.put("tasks_per_run", s.noopPerRun());
            if (nodes == 1) {
                one = rate;
                rows.add(new Result("cluster", storeName, (long) s.noopRuns() * s.noopPerRun(),
                        (long) s.noopRuns() * s.noopPerRun() / rate, rate, null, null, "-", null, null, null,
                        null, null, extra));
            } else {
                double ratio = rate / one;
                rows.add(new Result("cluster", storeName, (long) s.noopRuns() * s.noopPerRun(),
                        (long) s.noopRuns() * s.noopPerRun() / rate, rate, null, null, "1 node, same pass (tasks/s)",
                        one, ratio, nodes + " nodes / 1 node", ">= 1.0x one node", ratio >= 1.0, extra));
            }
        }
        return rows;
    }

    private double clusterPass(int nodes) throws Exception {
        try (BenchDatabase db = BenchDatabase.fresh("postgres", "cluster" + nodes); JdbcStore store = Stores.open(db);
             Orchestrator client = builder(store).executor(new NoopExecutor()).build()) {
            client.register(WorkflowSpec.of("noop", StepSpec.builder("work", NoopExecutor.TYPE).tasks(s.noopPerRun())));
            client.register(WorkflowSpec.of("warmup", StepSpec.builder("work", NoopExecutor.TYPE).tasks(2_000)));
            String java = ProcessHandle.current().info().command().orElse("java");
            List<Process> children = new ArrayList<>();
            try {
                for (int i = 0; i < nodes; i++) {
                    List<String> cmd = new ArrayList<>(List.of(java, "-Xmx1g", "--enable-native-access=ALL-UNNAMED",
                            "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
                            "-Dorg.slf4j.simpleLogger.log.org.jooq.impl.DefaultExecuteContext.logVersionSupport=error"));
                    if (POLL_MILLIS != null) {
                        cmd.add("-Dbench.pollMillis=" + POLL_MILLIS);
                    }
                    cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), ClusterNode.class.getName(),
                            db.url(), db.schema(), Integer.toString(NOOP_MAX_CONCURRENCY), Integer.toString(BATCH)));
                    children.add(new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start());
                }
                for (Process p : children) {
                    BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream()));
                    String line = r.readLine();
                    if (!"READY".equals(line)) {
                        throw new IllegalStateException("cluster node did not start: " + line);
                    }
                }
                // warm-up: one run of 2,000 per node
                List<RunHandle> warm = new ArrayList<>();
                for (int i = 0; i < nodes; i++) {
                    warm.add(client.trigger("warmup"));
                }
                waitAllEnded(db, warm.getLast().id());
                long firstId = 0;
                for (int i = 0; i < s.noopRuns(); i++) {
                    long id = client.trigger("noop").id();
                    firstId = firstId == 0 ? id : firstId;
                }
                long lastId = waitAllEnded(db, Long.MAX_VALUE);
                try (Connection c = db.connect(); Statement st = c.createStatement();
                     var rs = st.executeQuery("SELECT (SELECT min(started_at) FROM orc_tasks WHERE run_id >= " + firstId
                             + "), max(finished_at), sum(succeeded) FROM orc_runs WHERE id >= " + firstId)) {
                    rs.next();
                    long succeeded = rs.getLong(3);
                    if (succeeded != (long) s.noopRuns() * s.noopPerRun()) {
                        throw new IllegalStateException("cluster: " + succeeded + " tasks succeeded, expected "
                                + (long) s.noopRuns() * s.noopPerRun() + " (last run " + lastId + ")");
                    }
                    double seconds = (rs.getLong(2) - rs.getLong(1)) / 1000.0;
                    double rate = succeeded / seconds;
                    log("cluster, %d node(s): %.0f tasks/s", nodes, rate);
                    return rate;
                }
            } finally {
                for (Process p : children) {
                    p.getOutputStream().close();
                }
                for (Process p : children) {
                    if (!p.waitFor(30, TimeUnit.SECONDS)) {
                        p.destroyForcibly();
                    }
                }
            }
        }
    }

    /** Waits until no run up to {@code maxId} is unfinished; returns the highest run id. */
    private static long waitAllEnded(BenchDatabase db, long maxId) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(10);
        try (Connection c = db.connect(); Statement st = c.createStatement()) {
            while (System.nanoTime() < deadline) {
                try (var rs = st.executeQuery("SELECT count(*) FILTER (WHERE finished_at IS NULL AND id <= " + maxId
                        + "), max(id) FROM orc_runs")) {
                    rs.next();
                    if (rs.getLong(1) == 0) {
                        return rs.getLong(2);
                    }
                }
                Thread.sleep(100);
            }
        }
        throw new IllegalStateException("cluster runs did not end in 10 minutes");
    }

    // ---- cli

    /** The launcher the cli workload times, from {@code -Dbench.cli} (default: the examples module's script). */
    static final String CLI = System.getProperty("bench.cli", "orchestrator-examples/orchestrator");
    /** Optionally, an older build's launcher timed in the same pass ({@code -Dbench.cli.before}, bench.sh: BENCH_CLI_BEFORE). */
    static final String CLI_BEFORE = System.getProperty("bench.cli.before");

    /**
     * Wall time of whole {@code orchestrator run list} and {@code orchestrator workflow list}
     * processes on an SQLite file with 1,000 runs, through the launcher script: one untimed call
     * first (it may write the launcher's class-data archive), then {@code 5} timed calls each;
     * the baseline is {@code java -version} on the same JDK. SQLite only.
     */
    List<Result> cli(String storeName) throws Exception {
        if (!storeName.equals("sqlite")) {
            return List.of();
        }
        if (!Files.isExecutable(Path.of(CLI))) {
            throw new IllegalStateException(CLI + " is missing or not executable; build orchestrator-examples");
        }
        String javaHome = Path.of(ProcessHandle.current().info().command().orElseThrow()).getParent().getParent().toString();
        try (BenchDatabase db = BenchDatabase.fresh("sqlite", "cli")) {
            try (JdbcStore store = Stores.open(db); Orchestrator o = builder(store).build()) {
                o.register(WorkflowSpec.of("hello", StepSpec.process("say", "/bin/true")));
                for (int i = 0; i < s.cliRuns(); i++) {
                    o.trigger("hello");
                }
            }
            Map<String, String> env = Map.of("ORCHESTRATOR_DB", db.url(), "JAVA_HOME", javaHome);
            double[] jvm = timed(List.of(javaHome + "/bin/java", "-Xshare:auto", "-version"), env, 5);
            List<Result> rows = new ArrayList<>();
            for (String command : List.of("run list", "workflow list")) {
                List<String> cmd = new ArrayList<>(List.of(CLI));
                cmd.addAll(List.of(command.split(" ")));
                double[] t = timed(cmd, env, 5);
                Map<String, Object> extra = new LinkedHashMap<>();
                extra.put("command", "orchestrator " + command);
                extra.put("wall_ms", t[0]);
                extra.put("wall_ms_min", t[1]);
                extra.put("wall_ms_max", t[2]);
                extra.put("max_rss_mb", t[3] < 0 ? null : t[3]);
                extra.put("runs_in_file", s.cliRuns());
                extra.put("timed_calls", 5);
                extra.put("launcher", CLI);
                if (CLI_BEFORE != null) {
                    List<String> old = new ArrayList<>(List.of(CLI_BEFORE));
                    old.addAll(List.of(command.split(" ")));
                    double[] b = timed(old, env, 5);
                    extra.put("before_launcher", CLI_BEFORE);
                    extra.put("before_wall_ms", b[0]);
                    extra.put("before_wall_ms_min", b[1]);
                    extra.put("before_wall_ms_max", b[2]);
                    extra.put("before_max_rss_mb", b[3] < 0 ? null : b[3]);
                    extra.put("before_over_after", b[0] / t[0]);
                }
                boolean runList = command.equals("run list");
                rows.add(new Result("cli", storeName, 0, t[0] / 1000, null, null, null,
                        "java -version, same JDK (wall ms)", jvm[0], t[0] / jvm[0], "ours / bare JVM",
                        runList ? "<= 400 ms wall" : null, runList ? t[0] <= 400 : null, extra));
            }
            return rows;
        }
    }

    /** Runs {@code cmd} once untimed, then {@code n} times; returns median, min and max wall ms and the median max RSS in MB (or -1). */
    private static double[] timed(List<String> cmd, Map<String, String> env, int n) throws Exception {
        boolean rss = Files.isExecutable(Path.of("/usr/bin/time"));
        List<String> full = new ArrayList<>();
        Path rssFile = Files.createTempFile("bench-rss-", ".txt");
        if (rss) {
            full.addAll(List.of("/usr/bin/time", "-o", rssFile.toString(), "-f", "%M"));
        }
        full.addAll(cmd);
        long[] wall = new long[n];
        long[] kb = new long[n];
        try {
            for (int i = -1; i < n; i++) {
                ProcessBuilder pb = new ProcessBuilder(full).redirectErrorStream(true);
                pb.environment().putAll(env);
                long t0 = System.nanoTime();
                Process p = pb.start();
                byte[] output = p.getInputStream().readAllBytes();
                int code = p.waitFor();
                long t = System.nanoTime() - t0;
                if (code != 0) {
                    throw new IllegalStateException(String.join(" ", cmd) + " exited " + code + ": "
                            + new String(output, java.nio.charset.StandardCharsets.UTF_8));
                }
                if (i >= 0) {
                    wall[i] = t;
                    kb[i] = rss ? Long.parseLong(Files.readString(rssFile).strip()) : -1;
                }
            }
        } finally {
            Files.deleteIfExists(rssFile);
        }
        java.util.Arrays.sort(wall);
        java.util.Arrays.sort(kb);
        return new double[]{wall[n / 2] / 1e6, wall[0] / 1e6, wall[n - 1] / 1e6, rss ? kb[n / 2] / 1024.0 : -1};
    }

    // ---- memory

    Result memory(String storeName) throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        // The flags the CLI launcher gives `orchestrator serve` (orchestrator-examples/orchestrator), at -Xmx64m.
        List<String> cmd = List.of(java, "-Xmx64m", "-XX:+UseSerialGC", "-XX:-UsePerfData",
                "--enable-native-access=ALL-UNNAMED", "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
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
        extra.put("jvm_flags", "-Xmx64m -XX:+UseSerialGC -XX:-UsePerfData (the launcher's serve flags)");
        return new Result("memory", storeName, n, Double.parseDouble(figures.get("seconds")), null, null, null,
                "same JVM idle, orchestrator started (RSS MB)", idleRss, rss / idleRss,
                "RSS with tasks in flight / idle RSS", "<= 2 KiB heap per in-flight task, RSS <= 96 MB at -Xmx64m",
                perTask <= 2048 && rss <= 96, extra);
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

    /**
     * noop with a million finished tasks in the tables, against noop on empty tables measured in
     * the same JVM after the same warm-up: a warm-up pass on empty tables first, then
     * {@code repeats} rounds of empty-table noop and history noop, alternating. The ratio is the
     * median of the rounds' ratios.
     */
    Result history(String storeName) throws Exception {
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

    static void deleteTree(Path dir) {
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // best effort
        }
    }
}
