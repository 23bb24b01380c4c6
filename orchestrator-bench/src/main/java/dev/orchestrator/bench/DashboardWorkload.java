package dev.orchestrator.bench;

import dev.orchestrator.Orchestrator;
import dev.orchestrator.RunHandle;
import dev.orchestrator.StepSpec;
import dev.orchestrator.WorkflowSpec;
import dev.orchestrator.dashboard.Dashboard;
import dev.orchestrator.jdbc.JdbcStore;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The dashboard's API under a 10,000-task run in progress: 5,000 tasks done, 64 running, the rest
 * pending. Times {@code GET /api/runs/{id}} (the run page: run, step counters, rate, ETA), the
 * first task page and the runs list over HTTP, and, as the baseline, reading every task of the run
 * ({@code Orchestrator.tasks(runId)}: what a page built without counters and paging would do).
 *
 * <pre>
 * DashboardWorkload [--store sqlite|postgres|both] [--requests N]
 * </pre>
 * Target: the run page answers in under 100 ms at p99.
 */
public final class DashboardWorkload {

    private static final int HELD = 64;

    private DashboardWorkload() {
    }

    public static void main(String[] args) throws Exception {
        List<String> stores = List.of("sqlite", "postgres");
        int requests = 2_000;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--store" -> stores = args[++i].equals("both") ? List.of("sqlite", "postgres") : List.of(args[i]);
                case "--requests" -> requests = Integer.parseInt(args[++i]);
                default -> {
                    System.err.println("usage: DashboardWorkload [--store sqlite|postgres|both] [--requests N]");
                    System.exit(2);
                }
            }
        }
        System.err.printf("dashboard workload: java %s, %d cpus, %d requests per endpoint%n", Runtime.version(),
                Runtime.getRuntime().availableProcessors(), requests);
        StringBuilder table = new StringBuilder(String.format(Locale.ROOT, "%-9s %-44s %6s %8s %8s %8s %8s  %s%n",
                "store", "request", "n", "p50 ms", "p90 ms", "p99 ms", "max ms", "target"));
        for (String store : stores) {
            measure(store, requests, table);
        }
        System.out.println();
        System.out.print(table);
        System.out.println("Baseline: all tasks of the run read at once (no counters, no paging). 2 cores shared here.");
        System.exit(0);
    }

    private static void measure(String store, int requests, StringBuilder table) throws Exception {
        HoldingExecutor holding = new HoldingExecutor();
        try (BenchDatabase db = BenchDatabase.fresh(store, "dashboard");
             JdbcStore jdbc = Stores.open(db);
             Orchestrator o = Orchestrator.builder().store(jdbc).executor(new NoopExecutor()).executor(holding)
                     .maxConcurrency(HELD).build()) {
            o.start();
            o.register(WorkflowSpec.of("dashboard-bench",
                    StepSpec.builder("prepare", NoopExecutor.TYPE).tasks(5_000).build(),
                    StepSpec.builder("transform", HoldingExecutor.TYPE).tasks(5_000).dependsOn("prepare").build()));
            RunHandle run = o.trigger("dashboard-bench");
            long t0 = System.nanoTime();
            while (holding.held() < HELD) {
                if (System.nanoTime() - t0 > Duration.ofMinutes(5).toNanos()) {
                    throw new IllegalStateException("the run did not reach " + HELD + " running tasks in 5 minutes");
                }
                Thread.sleep(20); // a benchmark's set-up, not a test: wait for the run to be mid-way
            }
            var info = run.info();
            System.err.printf("[%s] run %d: %d of %d done, %d running, set up in %.1f s%n", store, run.id(),
                    info.finished(), info.taskCount(), holding.held(), (System.nanoTime() - t0) / 1e9);
            try (Dashboard dashboard = Dashboard.builder().orchestrator(o).port(0).build().start()) {
                HttpClient client = HttpClient.newHttpClient();
                URI base = dashboard.url();
                row(table, store, "GET /api/runs/{id} (run page)", time(client, base.resolve("/api/runs/" + run.id()), requests), true);
                row(table, store, "GET /api/runs/{id}/tasks?limit=50", time(client, base.resolve("/api/runs/" + run.id() + "/tasks?limit=50"), requests), false);
                row(table, store, "GET /api/runs/{id}/tasks?status=RUNNING", time(client, base.resolve("/api/runs/" + run.id() + "/tasks?status=RUNNING&limit=50"), requests / 4), false);
                row(table, store, "GET /api/runs?limit=50", time(client, base.resolve("/api/runs?limit=50"), requests), false);
                int n = Math.max(10, requests / 100);
                double[] all = new double[n];
                for (int i = 0; i < n; i++) {
                    long s = System.nanoTime();
                    if (o.tasks(run.id()).size() != 10_000) {
                        throw new IllegalStateException("expected 10,000 tasks");
                    }
                    all[i] = (System.nanoTime() - s) / 1e6;
                }
                row(table, store, "baseline: Orchestrator.tasks(runId), in-process", all, false);
            }
            holding.releaseAll();
        }
    }

    private static double[] time(HttpClient client, URI uri, int n) throws Exception {
        HttpRequest req = HttpRequest.newBuilder(uri).build();
        for (int i = 0; i < Math.min(200, n); i++) {
            check(client.send(req, HttpResponse.BodyHandlers.ofString()), uri);
        }
        double[] ms = new double[n];
        for (int i = 0; i < n; i++) {
            long s = System.nanoTime();
            check(client.send(req, HttpResponse.BodyHandlers.ofString()), uri);
            ms[i] = (System.nanoTime() - s) / 1e6;
        }
        return ms;
    }

    private static void check(HttpResponse<String> r, URI uri) {
        if (r.statusCode() != 200) {
            throw new IllegalStateException(uri + " answered " + r.statusCode() + ": " + r.body());
        }
    }

    private static void row(StringBuilder table, String store, String what, double[] ms, boolean target) {
        double[] s = ms.clone();
        Arrays.sort(s);
        double p99 = pct(s, 0.99);
        table.append(String.format(Locale.ROOT, "%-9s %-44s %6d %8.2f %8.2f %8.2f %8.2f  %s%n", store, what, s.length,
                pct(s, 0.50), pct(s, 0.90), p99, s[s.length - 1],
                target ? (p99 < 100 ? "p99 < 100 ms: met" : "p99 < 100 ms: MISSED") : ""));
    }

    private static double pct(double[] sorted, double q) {
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(q * sorted.length) - 1)];
    }
}
