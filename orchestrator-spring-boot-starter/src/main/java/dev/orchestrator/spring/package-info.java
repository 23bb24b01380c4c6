/**
 * Spring Boot auto-configuration of the orchestrator: {@link dev.orchestrator.spring.OrchestratorAutoConfiguration}
 * builds it on the application's {@code DataSource} from the {@link dev.orchestrator.spring.OrchestratorProperties},
 * {@link dev.orchestrator.spring.OrchestratorLifecycle} starts and stops it with the application, and, when Actuator
 * and Micrometer are present, it reports health, info and metrics.
 */
package dev.orchestrator.spring;
