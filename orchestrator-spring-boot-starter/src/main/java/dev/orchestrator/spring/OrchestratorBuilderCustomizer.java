package dev.orchestrator.spring;

import dev.orchestrator.OrchestratorBuilder;

/**
 * Customizes the {@link OrchestratorBuilder} of the auto-configured orchestrator after the
 * {@code orchestrator.*} properties were applied, for settings that have no property (a
 * {@link java.time.Clock}, for one). Declare beans of this type; they run in their
 * {@link org.springframework.core.Ordered order}.
 */
@FunctionalInterface
public interface OrchestratorBuilderCustomizer {

    /** Changes {@code builder}; its setters' exceptions fail start-up. */
    void customize(OrchestratorBuilder builder);
}
