package dev.orchestrator.bench;

import dev.orchestrator.Orchestrator;
import dev.orchestrator.RunHandle;
import dev.orchestrator.StepSpec;
import dev.orchestrator.WorkflowSpec;
import dev.orchestrator.jdbc.JdbcStore;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static dev.orchestrator.bench.Workloads.BATCH;
import static dev.orchestrator.bench.Workloads.NOOP_MAX_CONCURRENCY;
import static dev.orchestrator.bench.Workloads.POLL_MILLIS;
import static dev.orchestrator.bench.Workloads.builder;
import static dev.orchestrator.bench.Workloads.log;

/** noop on PostgreSQL with 1 node, then 3 nodes, each node its own JVM ({@link ClusterNode}) on one schema. */
final class ClusterWorkload {

    private final Settings s;

    ClusterWorkload(Settings settings) {
        this.s = settings;
    }

    /**
     * noop on PostgreSQL with 1 node, then 3 nodes, each node its own JVM ({@link ClusterNode})
     * on one schema; the harness triggers the runs through a client orchestrator that is not
     * started. Nodes poll every 100 ms, as the store has no cross-process wake-up; throughput
     * is tasks over the time from the first task's start to the last run's end, as the database
     * recorded them, so the wait for a node's poll is not counted.
     */
    List<Result> run(String storeName) throws Exception {
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
}
