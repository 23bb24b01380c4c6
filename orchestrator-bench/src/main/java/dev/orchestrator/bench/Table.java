package dev.orchestrator.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The harness's printed table: one line per result, figures beside baseline and target. */
final class Table {

    private Table() {
    }

    static String brief(Result r) {
        return String.join(" ", row(r));
    }

    private static String num(Double d) {
        if (d == null) {
            return "-";
        }
        double a = Math.abs(d);
        if (a >= 1000) {
            return String.format(Locale.ROOT, "%,.0f", d);
        }
        if (a >= 10) {
            return String.format(Locale.ROOT, "%.1f", d);
        }
        return String.format(Locale.ROOT, "%.3f", d);
    }

    private static String key(Result r) {
        Object v;
        return switch (r.workload()) {
            case "memory" -> (v = r.extra().get("heap_bytes_per_task")) == null ? "-"
                    : num((Double) v) + " B/task, RSS " + num((Double) r.extra().get("rss_mb")) + " MB";
            case "idle" -> (v = r.extra().get("statements_per_sec")) == null ? "-"
                    : num((Double) v) + " stmt/s, " + num((Double) r.extra().get("cpu_pct_of_core")) + " % cpu";
            case "latency" -> "max " + num((Double) r.extra().get("max_ms")) + " ms, body p99 "
                    + num((Double) r.extra().get("body_p99_ms")) + " ms";
            case "single" -> r.extra().get("threads") + " thread(s), " + num((Double) r.extra().get("statements_per_run"))
                    + " stmt/run";
            case "noop" -> r.extra().get("slots") + " slots";
            case "cluster" -> r.extra().get("nodes") + " node(s)";
            case "cli" -> r.extra().get("command") + ": " + num((Double) r.extra().get("wall_ms")) + " ms, RSS "
                    + num((Double) r.extra().get("max_rss_mb")) + " MB" + (r.extra().get("before_wall_ms") == null ? ""
                    : " (before: " + num((Double) r.extra().get("before_wall_ms")) + " ms, RSS "
                    + num((Double) r.extra().get("before_max_rss_mb")) + " MB)");
            default -> "";
        };
    }

    private static List<String> row(Result r) {
        List<String> c = new ArrayList<>();
        c.add(r.workload());
        c.add(r.store());
        c.add(String.format(Locale.ROOT, "%,d", r.tasks()));
        c.add(String.format(Locale.ROOT, "%.1f", r.seconds()));
        c.add(num(r.tasksPerSec()));
        c.add(num(r.p50Ms()));
        c.add(num(r.p99Ms()));
        c.add(key(r));
        c.add(r.baseline() == null ? "-" : r.baseline());
        c.add(num(r.baselineValue()));
        c.add(num(r.ratio()));
        c.add(num((Double) r.extra().get("db_scheduler_value")));
        c.add(num((Double) r.extra().get("ratio_vs_db_scheduler")));
        c.add(r.target() == null ? "-" : r.target());
        c.add((r.met() == null ? "-" : r.met() ? "yes" : "NO")
                + (r.extra().get("target_met_passes") == null ? "" : " (" + r.extra().get("target_met_passes") + ")"));
        return c;
    }

    static String render(List<Result> results) {
        List<List<String>> rows = new ArrayList<>();
        rows.add(List.of("workload", "store", "tasks", "seconds", "tasks/s", "p50 ms", "p99 ms", "other",
                "baseline", "baseline value", "ratio", "db-scheduler", "vs db-scheduler", "target", "met"));
        for (Result r : results) {
            rows.add(row(r));
        }
        int[] w = new int[rows.getFirst().size()];
        for (List<String> row : rows) {
            for (int i = 0; i < row.size(); i++) {
                w[i] = Math.max(w[i], row.get(i).length());
            }
        }
        StringBuilder sb = new StringBuilder();
        for (int k = 0; k < rows.size(); k++) {
            List<String> row = rows.get(k);
            sb.append('|');
            for (int i = 0; i < row.size(); i++) {
                sb.append(' ').append(String.format("%-" + w[i] + "s", row.get(i))).append(" |");
            }
            sb.append('\n');
            if (k == 0) {
                sb.append('|');
                for (int x : w) {
                    sb.append("-".repeat(x + 2)).append('|');
                }
                sb.append('\n');
            }
        }
        return sb.toString();
    }
}
