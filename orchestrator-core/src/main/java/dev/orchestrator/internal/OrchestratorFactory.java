package dev.orchestrator.internal;

import dev.orchestrator.Orchestrator;

/** The one way into the engine: {@code OrchestratorBuilder.build()} calls it with checked settings. */
public final class OrchestratorFactory {

    private OrchestratorFactory() {
    }

    /** An orchestrator with these settings, its store opened; not started. */
    public static Orchestrator create(OrchestratorConfig config) {
        return new DefaultOrchestrator(config);
    }
}
