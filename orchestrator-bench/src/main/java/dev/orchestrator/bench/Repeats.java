package dev.orchestrator.bench;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Folds the measured passes of one workload row into one {@link Result}: every figure becomes
 * the median of the passes, the headline figures also keep their minimum and maximum
 * ({@code <name>_min}, {@code <name>_max}), and a ratio is the median of the passes' own ratios
 * (each measured against its baseline in the same pass).
 */
final class Repeats {

    /** The figures whose minimum and maximum the JSON keeps beside the median. */
    static final List<String> SPREAD = List.of("tasks_per_sec", "p50_ms", "p99_ms", "baseline_value", "ratio",
            "db_scheduler_value", "ratio_vs_db_scheduler", "wall_ms", "body_p99_ms", "statements_per_run",
            "cpu_pct_of_core", "statements_per_sec", "heap_bytes_per_task", "rss_mb");

    private Repeats() {
    }

    static double median(Collection<Double> values) {
        List<Double> v = new ArrayList<>(values);
        v.sort(null);
        int n = v.size();
        return n % 2 == 1 ? v.get(n / 2) : (v.get(n / 2 - 1) + v.get(n / 2)) / 2;
    }

    private static Double medianOf(List<Double> values) {
        List<Double> v = values.stream().filter(Objects::nonNull).toList();
        return v.isEmpty() ? null : median(v);
    }

    private static void spread(Map<String, Object> extra, String key, List<Double> values) {
        List<Double> v = values.stream().filter(Objects::nonNull).toList();
        if (v.size() > 1 && SPREAD.contains(key)) {
            extra.put(key + "_min", v.stream().mapToDouble(Double::doubleValue).min().orElseThrow());
            extra.put(key + "_max", v.stream().mapToDouble(Double::doubleValue).max().orElseThrow());
        }
    }

    /** One row from {@code passes} of the same row (same workload, store and keys). */
    static Result combine(List<Result> passes) {
        if (passes.size() == 1) {
            return passes.getFirst();
        }
        Result first = passes.getFirst();
        Map<String, Object> extra = new LinkedHashMap<>();
        for (Map.Entry<String, Object> e : first.extra().entrySet()) {
            String k = e.getKey();
            if (e.getValue() instanceof Number && !(e.getValue() instanceof Integer) && !(e.getValue() instanceof Long)) {
                extra.put(k, medianOf(passes.stream().map(r -> r.extra().get(k) instanceof Number n
                        ? n.doubleValue() : null).toList()));
            } else {
                extra.put(k, e.getValue());
            }
        }
        for (Map.Entry<String, Object> e : first.extra().entrySet()) {
            String k = e.getKey();
            if (e.getValue() instanceof Double) {
                spread(extra, k, passes.stream().map(r -> r.extra().get(k) instanceof Number n ? n.doubleValue() : null)
                        .toList());
            }
        }
        List<Double> rate = passes.stream().map(Result::tasksPerSec).toList();
        List<Double> p50 = passes.stream().map(Result::p50Ms).toList();
        List<Double> p99 = passes.stream().map(Result::p99Ms).toList();
        List<Double> base = passes.stream().map(Result::baselineValue).toList();
        List<Double> ratio = passes.stream().map(Result::ratio).toList();
        spread(extra, "tasks_per_sec", rate);
        spread(extra, "p50_ms", p50);
        spread(extra, "p99_ms", p99);
        spread(extra, "baseline_value", base);
        spread(extra, "ratio", ratio);
        long met = passes.stream().filter(r -> Boolean.TRUE.equals(r.met())).count();
        boolean judged = passes.stream().anyMatch(r -> r.met() != null);
        extra.put("repeats", passes.size());
        if (judged) {
            extra.put("target_met_passes", met + "/" + passes.size());
        }
        return new Result(first.workload(), first.store(), first.tasks(),
                medianOf(passes.stream().map(Result::seconds).toList()), medianOf(rate), medianOf(p50), medianOf(p99),
                first.baseline(), medianOf(base), medianOf(ratio), first.ratioMeaning(), first.target(),
                judged ? met * 2 > passes.size() : null, extra);
    }
}
