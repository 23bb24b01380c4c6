package dev.orchestrator.spring;

import dev.orchestrator.Orchestrator;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.info.InfoContributor;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Actuator support, when Actuator is on the class path: the {@code orchestrator} health indicator
 * ({@code management.health.orchestrator.enabled}) and info contributor
 * ({@code management.info.orchestrator.enabled}).
 */
@AutoConfiguration(after = OrchestratorAutoConfiguration.class)
@ConditionalOnBooleanProperty(name = "orchestrator.enabled", matchIfMissing = true)
public class OrchestratorActuatorAutoConfiguration {

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(HealthIndicator.class)
    @ConditionalOnBean(Orchestrator.class)
    @ConditionalOnEnabledHealthIndicator("orchestrator")
    static class HealthConfiguration {

        @Bean
        @ConditionalOnMissingBean(name = "orchestratorHealthIndicator")
        OrchestratorHealthIndicator orchestratorHealthIndicator(Orchestrator orchestrator,
                                                                ObjectProvider<OrchestratorLifecycle> lifecycle) {
            return new OrchestratorHealthIndicator(orchestrator, lifecycle.getIfUnique());
        }
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(InfoContributor.class)
    @ConditionalOnBean(OrchestratorLifecycle.class)
    @ConditionalOnBooleanProperty(name = "management.info.orchestrator.enabled", matchIfMissing = true)
    static class InfoConfiguration {

        @Bean
        @ConditionalOnMissingBean
        OrchestratorInfoContributor orchestratorInfoContributor(OrchestratorLifecycle lifecycle) {
            return new OrchestratorInfoContributor(lifecycle);
        }
    }
}
