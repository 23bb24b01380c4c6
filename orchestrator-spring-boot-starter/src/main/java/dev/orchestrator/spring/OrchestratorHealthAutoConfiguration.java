package dev.orchestrator.spring;

import dev.orchestrator.Orchestrator;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.context.annotation.Bean;

/**
 * The {@code orchestrator} health indicator, when Spring Boot's health support is on the class path
 * ({@code management.health.orchestrator.enabled}, default true).
 */
@AutoConfiguration(after = OrchestratorAutoConfiguration.class)
@ConditionalOnClass(name = "org.springframework.boot.health.contributor.HealthIndicator")
@ConditionalOnBooleanProperty(name = "orchestrator.enabled", matchIfMissing = true)
@ConditionalOnBean(Orchestrator.class)
@ConditionalOnEnabledHealthIndicator("orchestrator")
public class OrchestratorHealthAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean(name = "orchestratorHealthIndicator")
    OrchestratorHealthIndicator orchestratorHealthIndicator(Orchestrator orchestrator,
                                                            ObjectProvider<OrchestratorLifecycle> lifecycle) {
        return new OrchestratorHealthIndicator(orchestrator, lifecycle.getIfUnique());
    }
}
