package dev.orchestrator.internal;

import dev.orchestrator.ConcurrencyPolicy;
import dev.orchestrator.JobSpec;
import dev.orchestrator.RetryPolicy;
import dev.orchestrator.StepSpec;
import dev.orchestrator.WorkflowSpec;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Turns a {@link WorkflowSpec} into stable JSON (same spec, same text) and back. */
final class SpecCodec {

    private SpecCodec() {
    }

    /** The spec as JSON; maps are written in key order so equal specs give equal text. */
    static String toJson(WorkflowSpec spec) {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("name", spec.name());
        List<Object> steps = new ArrayList<>();
        for (StepSpec s : spec.steps()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("name", s.name());
            m.put("executor", s.executor());
            m.put("taskCount", s.taskCount());
            m.put("command", s.job().command());
            m.put("environment", new TreeMap<>(s.job().environment()));
            m.put("workingDirectory", s.job().workingDirectory());
            m.put("options", new TreeMap<>(s.job().options()));
            m.put("maxAttempts", s.retry().maxAttempts());
            m.put("initialBackoffMs", s.retry().initialBackoff().toMillis());
            m.put("maxBackoffMs", s.retry().maxBackoff().toMillis());
            m.put("timeoutMs", s.timeout() == null ? null : s.timeout().toMillis());
            m.put("heartbeatTimeoutMs", s.heartbeatTimeout() == null ? null : s.heartbeatTimeout().toMillis());
            m.put("dependsOn", s.dependsOn());
            m.put("maxLostAttempts", s.maxLostAttempts());
            if (s.maxConcurrentTasks() != null) { // only when set: specs saved before limits keep their text
                m.put("maxConcurrentTasks", s.maxConcurrentTasks());
            }
            steps.add(m);
        }
        root.put("steps", steps);
        if (spec.maxConcurrentRuns() != null) {
            root.put("maxConcurrentRuns", spec.maxConcurrentRuns());
            root.put("concurrencyPolicy", spec.concurrencyPolicy().name());
        }
        return Json.write(root);
    }

    /** Reads a spec written by {@link #toJson}. */
    @SuppressWarnings("unchecked")
    static WorkflowSpec fromJson(String json) {
        Map<String, Object> root = (Map<String, Object>) Json.parse(json);
        List<StepSpec> steps = new ArrayList<>();
        for (Object o : (List<Object>) root.get("steps")) {
            Map<String, Object> m = (Map<String, Object>) o;
            JobSpec job = new JobSpec((List<String>) (List<?>) m.get("command"),
                    (Map<String, String>) (Map<?, ?>) m.get("environment"),
                    (String) m.get("workingDirectory"),
                    (Map<String, String>) (Map<?, ?>) m.get("options"));
            RetryPolicy retry = new RetryPolicy(((Long) m.get("maxAttempts")).intValue(),
                    Duration.ofMillis((Long) m.get("initialBackoffMs")), Duration.ofMillis((Long) m.get("maxBackoffMs")));
            steps.add(new StepSpec((String) m.get("name"), (String) m.get("executor"), job,
                    ((Long) m.get("taskCount")).intValue(), retry, millis(m.get("timeoutMs")),
                    millis(m.get("heartbeatTimeoutMs")), (List<String>) (List<?>) m.get("dependsOn"),
                    m.get("maxLostAttempts") == null ? StepSpec.DEFAULT_MAX_LOST_ATTEMPTS
                            : ((Long) m.get("maxLostAttempts")).intValue(),
                    intOrNull(m.get("maxConcurrentTasks"))));
        }
        Object policy = root.get("concurrencyPolicy");
        return new WorkflowSpec((String) root.get("name"), steps, intOrNull(root.get("maxConcurrentRuns")),
                policy == null ? ConcurrencyPolicy.QUEUE : ConcurrencyPolicy.valueOf((String) policy));
    }

    private static Integer intOrNull(Object v) {
        return v == null ? null : ((Long) v).intValue();
    }

    private static Duration millis(Object v) {
        return v == null ? null : Duration.ofMillis((Long) v);
    }
}
