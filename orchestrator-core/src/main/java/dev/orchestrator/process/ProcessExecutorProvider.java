package dev.orchestrator.process;

import dev.orchestrator.spi.Executor;
import dev.orchestrator.spi.ExecutorProvider;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;

/**
 * Creates the {@link ProcessExecutor}. Settings: {@code logDirectory} (default
 * {@code <java.io.tmpdir>/orchestrator-logs}), {@code tailBytes} (default 4096),
 * {@code killGraceMillis} (default 5000).
 */
public final class ProcessExecutorProvider implements ExecutorProvider {

    private static final Set<String> KEYS = Set.of("logDirectory", "tailBytes", "killGraceMillis");

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
        Path dir = config.containsKey("logDirectory") ? Path.of(config.get("logDirectory")) : ProcessExecutor.defaultLogDirectory();
        return new ProcessExecutor(dir, intSetting(config, "tailBytes", 4096),
                Duration.ofMillis(intSetting(config, "killGraceMillis", 5000)));
    }

    private static int intSetting(Map<String, String> config, String key, int defaultValue) {
        String v = config.get(key);
        if (v == null) {
            return defaultValue;
        }
        try {
            return Integer.parseInt(v.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("process executor setting '" + key + "' must be an integer, got '" + v + "'");
        }
    }
}
