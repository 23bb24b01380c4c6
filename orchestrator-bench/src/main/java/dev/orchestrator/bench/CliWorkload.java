package dev.orchestrator.bench;

import dev.orchestrator.Orchestrator;
import dev.orchestrator.StepSpec;
import dev.orchestrator.WorkflowSpec;
import dev.orchestrator.jdbc.JdbcStore;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static dev.orchestrator.bench.Workloads.builder;

/** Wall time of whole {@code orchestrator run list} and {@code workflow list} processes, against java -version. */
final class CliWorkload {

    /** The launcher the cli workload times, from {@code -Dbench.cli} (default: the examples module's script). */
    static final String CLI = System.getProperty("bench.cli", "orchestrator-examples/orchestrator");
    /** Optionally, an older build's launcher timed in the same pass ({@code -Dbench.cli.before}, bench.sh: BENCH_CLI_BEFORE). */
    static final String CLI_BEFORE = System.getProperty("bench.cli.before");

    private final Settings s;

    CliWorkload(Settings settings) {
        this.s = settings;
    }

    /**
     * Wall time of whole {@code orchestrator run list} and {@code orchestrator workflow list}
     * processes on an SQLite file with 1,000 runs, through the launcher script: one untimed call
     * first (it may write the launcher's class-data archive), then {@code 5} timed calls each;
     * the baseline is {@code java -version} on the same JDK. SQLite only.
     */
    List<Result> run(String storeName) throws Exception {
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
}
