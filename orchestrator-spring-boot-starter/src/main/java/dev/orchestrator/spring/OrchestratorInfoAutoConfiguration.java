package dev.orchestrator.spring;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * The {@code orchestrator} entry of {@code /actuator/info}, when Actuator is on the class path
 * ({@code management.info.orchestrator.enabled}, default true).
 */
@AutoConfiguration(after = OrchestratorAutoConfiguration.class)
@ConditionalOnClass(name = "org.springframework.boot.actuate.info.InfoContributor")
@ConditionalOnBooleanProperty(name = "orchestrator.enabled", matchIfMissing = true)
@ConditionalOnBean(OrchestratorLifecycle.class)
@ConditionalOnBooleanProperty(name = "management.info.orchestrator.enabled", matchIfMissing = true)
public class OrchestratorInfoAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    OrchestratorInfoContributor orchestratorInfoContributor(OrchestratorLifecycle lifecycle) {
        return new OrchestratorInfoContributor(lifecycle);
    }
}
