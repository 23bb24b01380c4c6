package dev.orchestrator.spi;

import java.util.Map;

/**
 * Creates executors of one type; found with {@link java.util.ServiceLoader}. Register an
 * implementation in {@code META-INF/services/dev.orchestrator.spi.ExecutorProvider}.
 */
public interface ExecutorProvider {

    /** The executor type this provider creates. */
    String type();

    /**
     * Creates an executor.
     *
     * @param config settings given to the orchestrator builder for this type; empty if none
     * @throws IllegalArgumentException naming the setting and the rule if {@code config} is bad
     */
    Executor create(Map<String, String> config);
}
