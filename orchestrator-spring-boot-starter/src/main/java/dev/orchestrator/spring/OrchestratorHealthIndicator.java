package dev.orchestrator.spring;

import dev.orchestrator.Orchestrator;
import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;

/**
 * Health of the orchestrator (contributor name {@code orchestrator}): UP when its store answers a
 * read and, on a scheduling node, the scheduler was started and is not stopping; DOWN otherwise.
 * Details: {@code workflows} (registered), {@code nodeId}, {@code mode} ({@code scheduler} or
 * {@code client}) and {@code scheduler} ({@code running}, {@code stopped} or {@code disabled}).
 */
public final class OrchestratorHealthIndicator extends AbstractHealthIndicator {

    private final Orchestrator orchestrator;
    private final OrchestratorLifecycle lifecycle;

    /** @param lifecycle the starter's lifecycle, or {@code null} for an orchestrator the application manages */
    public OrchestratorHealthIndicator(Orchestrator orchestrator, OrchestratorLifecycle lifecycle) {
        super("Orchestrator health check failed");
        this.orchestrator = orchestrator;
        this.lifecycle = lifecycle;
    }

    @Override
    protected void doHealthCheck(Health.Builder builder) {
        // A cheap read: throws (and so reports DOWN with the error) when the store cannot be reached.
        int workflows = orchestrator.workflows().size();
        builder.withDetail("workflows", workflows);
        if (lifecycle == null) {
            builder.up().withDetail("scheduler", "managed by the application");
            return;
        }
        builder.withDetail("nodeId", lifecycle.nodeId())
                .withDetail("mode", lifecycle.isSchedulerEnabled() ? "scheduler" : "client");
        if (!lifecycle.isSchedulerEnabled()) {
            builder.up().withDetail("scheduler", "disabled");
        } else if (lifecycle.isSchedulerRunning()) {
            builder.up().withDetail("scheduler", "running");
        } else {
            builder.down().withDetail("scheduler", "stopped");
        }
    }
}
