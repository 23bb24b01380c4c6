package dev.orchestrator.cloudrun;

import dev.orchestrator.JobSpec;
import dev.orchestrator.spi.Dispatch;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Splits claimed attempts into groups that can run as one Cloud Run execution each. */
final class Batching {

    /** Cloud Run's largest task count for one execution. */
    static final int MAX_TASKS_PER_EXECUTION = CloudRunExecutor.MAX_TASKS_PER_EXECUTION;

    private Batching() {
    }

    private record Key(long runId, int stepIndex, int attempt, JobSpec job, Map<String, String> parameters) {
    }

    /**
     * Groups attempts of the same run, step, attempt number and job whose task indexes are
     * contiguous, at most {@code maxPerGroup} per group. Each group is sorted by task index.
     */
    static List<List<Dispatch>> group(List<Dispatch> batch, int maxPerGroup) {
        if (maxPerGroup < 1) {
            throw new IllegalArgumentException("maxPerGroup must be at least 1, got " + maxPerGroup);
        }
        var byKey = new LinkedHashMap<Key, List<Dispatch>>();
        for (Dispatch d : batch) {
            var t = d.task();
            byKey.computeIfAbsent(new Key(t.runId(), t.stepIndex(), t.attempt(), t.job(), t.parameters()),
                    k -> new ArrayList<>()).add(d);
        }
        var groups = new ArrayList<List<Dispatch>>();
        for (List<Dispatch> same : byKey.values()) {
            same.sort(Comparator.comparingInt(d -> d.task().taskIndex()));
            List<Dispatch> current = new ArrayList<>();
            for (Dispatch d : same) {
                if (!current.isEmpty()) {
                    int last = current.get(current.size() - 1).task().taskIndex();
                    if (d.task().taskIndex() != last + 1 || current.size() >= maxPerGroup) {
                        groups.add(current);
                        current = new ArrayList<>();
                    }
                }
                current.add(d);
            }
            if (!current.isEmpty()) {
                groups.add(current);
            }
        }
        return groups;
    }
}
