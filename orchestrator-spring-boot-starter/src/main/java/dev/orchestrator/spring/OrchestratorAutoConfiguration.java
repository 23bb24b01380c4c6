package dev.orchestrator.spring;

import dev.orchestrator.Orchestrator;
import dev.orchestrator.OrchestratorListener;
import dev.orchestrator.WorkflowSpec;
import dev.orchestrator.jdbc.JdbcStore;
import dev.orchestrator.spi.Executor;
import dev.orchestrator.spi.Store;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnSingleCandidate;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.util.ClassUtils;

import javax.sql.DataSource;
import java.time.Duration;

/**
 * Auto-configures an {@link Orchestrator} on the application's {@link DataSource} (PostgreSQL or
 * SQLite, detected from its metadata), started and stopped by an {@link OrchestratorLifecycle}.
 *
 * <ul>
 *   <li>A {@link Store} bean of the application's wins over the JDBC store built here; an
 *       {@link Orchestrator} bean of the application's wins over everything here (the starter then
 *       neither registers workflows on it nor starts or stops it).</li>
 *   <li>Every {@link Executor} bean is handed to the builder; every {@link WorkflowSpec} bean is
 *       registered at start; every {@link OrchestratorListener} bean observes the scheduler;
 *       every {@link OrchestratorBuilderCustomizer} bean customizes the builder last.</li>
 *   <li>{@code orchestrator.enabled=false} turns all of it off.</li>
 * </ul>
 */
@AutoConfiguration(afterName = "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration")
@ConditionalOnClass({Orchestrator.class, JdbcStore.class})
@ConditionalOnBooleanProperty(name = "orchestrator.enabled", matchIfMissing = true)
@EnableConfigurationProperties(OrchestratorProperties.class)
public class OrchestratorAutoConfiguration {

    /** Spring Boot's default {@code spring.lifecycle.timeout-per-shutdown-phase}. */
    static final Duration DEFAULT_PHASE_TIMEOUT = Duration.ofSeconds(30);

    /** The store, the orchestrator and its lifecycle, unless the application declares its own orchestrator. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnMissingBean(Orchestrator.class)
    static class OrchestratorConfiguration {

        /** The JDBC store on the application's DataSource, which it does not close. */
        @Bean(destroyMethod = "close")
        @ConditionalOnMissingBean(Store.class)
        @ConditionalOnSingleCandidate(DataSource.class)
        JdbcStore orchestratorStore(DataSource dataSource, OrchestratorProperties properties) {
            return OrchestratorFactory.store(dataSource, properties.getStore());
        }

        @Bean
        OrchestratorNode orchestratorNode(OrchestratorProperties properties, ObjectProvider<Executor> executors,
                                          ApplicationContext context) {
            return new OrchestratorNode(OrchestratorFactory.nodeId(properties),
                    OrchestratorFactory.executorTypes(executors.orderedStream().toList(), classLoader(context)),
                    properties.getScheduler().isEnabled());
        }

        @Bean(destroyMethod = "close")
        Orchestrator orchestrator(ObjectProvider<Store> store, OrchestratorProperties properties, OrchestratorNode node,
                                  ObjectProvider<Executor> executors, ObjectProvider<OrchestratorListener> listeners,
                                  ObjectProvider<OrchestratorBuilderCustomizer> customizers,
                                  ApplicationContext context, Environment environment) {
            Store s = store.getIfUnique();
            if (s == null) {
                throw new IllegalStateException("orchestrator: no Store to build on. Configure one DataSource "
                        + "(spring.datasource.url, PostgreSQL or SQLite), declare a dev.orchestrator.spi.Store bean, "
                        + "or set orchestrator.enabled=false");
            }
            Duration phaseTimeout = Binder.get(environment)
                    .bind("spring.lifecycle.timeout-per-shutdown-phase", Duration.class)
                    .orElse(DEFAULT_PHASE_TIMEOUT);
            return OrchestratorFactory.orchestrator(s, properties, node.nodeId(),
                    OrchestratorFactory.shutdownTimeout(properties.getShutdownTimeout(), phaseTimeout),
                    executors.orderedStream().toList(), listeners.orderedStream().toList(),
                    customizers.orderedStream().toList(), classLoader(context));
        }

        @Bean
        @ConditionalOnMissingBean
        OrchestratorLifecycle orchestratorLifecycle(Orchestrator orchestrator, OrchestratorNode node,
                                                    ObjectProvider<WorkflowSpec> workflows) {
            return new OrchestratorLifecycle(orchestrator, node, workflows.orderedStream().toList());
        }

        private static ClassLoader classLoader(ApplicationContext context) {
            ClassLoader loader = context.getClassLoader();
            return loader != null ? loader : ClassUtils.getDefaultClassLoader();
        }
    }
}
