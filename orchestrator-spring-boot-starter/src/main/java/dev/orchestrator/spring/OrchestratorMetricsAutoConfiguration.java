package dev.orchestrator.spring;

import dev.orchestrator.metrics.MicrometerMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * Binds the orchestrator's {@link MicrometerMetrics} listener to the application's
 * {@link MeterRegistry} (meters {@code orchestrator.*}), when Micrometer is present.
 */
@AutoConfiguration(before = OrchestratorAutoConfiguration.class, afterName = {
        "org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration",
        "org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration",
        "org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration"})
@ConditionalOnClass(name = {"io.micrometer.core.instrument.MeterRegistry", "dev.orchestrator.metrics.MicrometerMetrics"})
@ConditionalOnBooleanProperty(name = "orchestrator.enabled", matchIfMissing = true)
@ConditionalOnBean(MeterRegistry.class)
public class OrchestratorMetricsAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    MicrometerMetrics orchestratorMetrics(MeterRegistry registry) {
        return new MicrometerMetrics(registry);
    }
}
