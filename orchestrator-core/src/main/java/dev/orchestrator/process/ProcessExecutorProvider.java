package dev.orchestrator.process;

import dev.orchestrator.spi.Executor;
import dev.orchestrator.spi.ExecutorProvider;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;

/**
 * Creates the {@link ProcessExecutor} from {@code executorConfig("process", ...)}. Settings:
 * {@code logDirectory}, {@code tailBytes}, {@code maxLogBytes}, {@code killGraceMillis} and
 * {@code inheritEnvironment} (comma-separated names or prefixes ending in {@code *}); each
 * defaults as on {@link ProcessExecutor.Builder}.
 */
public final class ProcessExecutorProvider implements ExecutorProvider {

    private static final Set<String> KEYS = Set.of("logDirectory", "tailBytes", "maxLogBytes", "killGraceMillis",
            "inheritEnvironment");

    @Override
    public String type() {
        return ProcessExecutor.TYPE;
    }

    @Override
    public Executor create(Map<String, String> config) {
        for (String k : config.keySet()) {
            if (!KEYS.contains(k)) {
                throw new IllegalArgumentException("process executor setting '" + k + "' is unknown; known: " + KEYS);
            }
        }
        ProcessExecutor.Builder b = ProcessExecutor.builder();
        if (config.containsKey("logDirectory")) {
            b.logDirectory(Path.of(config.get("logDirectory")));
        }
        if (config.containsKey("tailBytes")) {
            b.tailBytes((int) longSetting(config, "tailBytes"));
        }
        if (config.containsKey("maxLogBytes")) {
            b.maxLogBytes(longSetting(config, "maxLogBytes"));
        }
        if (config.containsKey("killGraceMillis")) {
            b.killGrace(Duration.ofMillis(longSetting(config, "killGraceMillis")));
        }
        if (config.containsKey("inheritEnvironment")) {
            b.inheritEnvironment(Arrays.stream(config.get("inheritEnvironment").split(",")).map(String::trim)
                    .filter(s -> !s.isEmpty()).toList());
        }
        return b.build();
    }

    private static long longSetting(Map<String, String> config, String key) {
        String v = config.get(key);
        try {
            return Long.parseLong(v.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("process executor setting '" + key + "' must be an integer, got '" + v + "'");
        }
    }
}
