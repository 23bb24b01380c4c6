package dev.orchestrator.spring;

import dev.orchestrator.spi.Executor;
import dev.orchestrator.spi.ExecutorProvider;

import java.util.Map;

/** Found with ServiceLoader in the tests: type {@code recording}; keeps the config it was last given. */
public final class RecordingExecutorProvider implements ExecutorProvider {

    static volatile Map<String, String> lastConfig;

    @Override
    public String type() {
        return "recording";
    }

    @Override
    public Executor create(Map<String, String> config) {
        lastConfig = config;
        return new RecordingExecutor("recording");
    }
}
