package dev.orchestrator.bench;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One line of the harness's table and one object of {@code bench-results.json}.
 *
 * @param workload      workload name
 * @param store         {@code sqlite} or {@code postgres}
 * @param tasks         tasks the workload ran
 * @param seconds       wall time of the measured part
 * @param tasksPerSec   tasks over seconds, or {@code null} where throughput means nothing
 * @param p50Ms         median latency in ms, or {@code null}
 * @param p99Ms         99th percentile latency in ms, or {@code null}
 * @param baseline      what the figure is compared with
 * @param baselineValue the baseline's figure, measured in the same run where the baseline says so
 * @param ratio         ours over the baseline (see {@link #ratioMeaning})
 * @param ratioMeaning  what {@code ratio} divides
 * @param target        the target, in words
 * @param met           whether the target is met, or {@code null} if not judged
 * @param extra         figures the workload adds, in order
 */
public record Result(String workload, String store, long tasks, double seconds, Double tasksPerSec, Double p50Ms,
                     Double p99Ms, String baseline, Double baselineValue, Double ratio, String ratioMeaning,
                     String target, Boolean met, Map<String, Object> extra) {

    /** Copies {@code extra}, keeping its order. */
    public Result {
        extra = new LinkedHashMap<>(extra);
    }

    /** This result as a JSON object (keys in a fixed order). */
    public String toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("workload", workload);
        m.put("store", store);
        m.put("tasks", tasks);
        m.put("seconds", seconds);
        m.put("tasks_per_sec", tasksPerSec);
        m.put("p50_ms", p50Ms);
        m.put("p99_ms", p99Ms);
        m.put("baseline", baseline);
        m.put("baseline_value", baselineValue);
        m.put("ratio", ratio);
        m.put("ratio_meaning", ratioMeaning);
        m.put("target", target);
        m.put("target_met", met);
        m.putAll(extra);
        return JsonOut.object(m);
    }
}
