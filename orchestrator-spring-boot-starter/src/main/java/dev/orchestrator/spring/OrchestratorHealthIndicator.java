package dev.orchestrator.spring;

import dev.orchestrator.NodeStatus;
import dev.orchestrator.Orchestrator;
import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;

/**
 * Health of the orchestrator (contributor name {@code orchestrator}). UP when its store answers a
 * read and, on a scheduling node, the scheduler runs and the node may act as the owner of its
 * tasks. DOWN when the store cannot be read, the scheduler was stopped, the node has fenced itself
 * (it could not renew its lease, so it starts no work until it rejoins), its scheduler loop or
 * heartbeat thread has died, or its last heartbeat is older than its lease.
 *
 * <p>Details: {@code workflows} (registered), {@code nodeId}, {@code mode} ({@code scheduler} or
 * {@code client}), {@code scheduler} ({@code running}, {@code stopped} or {@code disabled}); on a
 * running scheduling node also {@code incarnation}, {@code heartbeatAgeMillis}, {@code leaseMillis},
 * {@code leaseHeld}, {@code fenced}, {@code lastFencedAt}, {@code schedulerLoopAlive},
 * {@code heartbeatThreadAlive}, and {@code reason} when DOWN.
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
            builder.withDetail("scheduler", "running");
            node(builder, orchestrator.nodeStatus());
        } else {
            builder.down().withDetail("scheduler", "stopped");
        }
    }

    /** The running node's lease and threads: UP only if it may act as the owner of its tasks. */
    static void node(Health.Builder builder, NodeStatus s) {
        builder.withDetail("incarnation", s.incarnation())
                .withDetail("leaseMillis", s.lease().toMillis())
                .withDetail("leaseHeld", s.leaseHeld())
                .withDetail("fenced", s.fenced())
                .withDetail("schedulerLoopAlive", s.schedulerAlive())
                .withDetail("heartbeatThreadAlive", s.heartbeatAlive());
        if (s.heartbeatAge() != null) {
            builder.withDetail("heartbeatAgeMillis", s.heartbeatAge().toMillis());
        }
        if (s.lastFencedAt() != null) {
            builder.withDetail("lastFencedAt", s.lastFencedAt().toString());
        }
        String reason = downReason(s);
        if (reason == null) {
            builder.up();
        } else {
            builder.down().withDetail("reason", reason);
        }
    }

    /** Why a running scheduling node is unhealthy, or {@code null} if it is healthy. */
    static String downReason(NodeStatus s) {
        if (s.fenced()) {
            return "fenced: the node could not renew its lease and starts no work until it rejoins";
        }
        if (!s.schedulerAlive()) {
            return "the scheduler loop has stopped";
        }
        if (!s.heartbeatAlive()) {
            return "the heartbeat thread has stopped";
        }
        if (s.heartbeatAge() != null && s.heartbeatAge().compareTo(s.lease()) > 0) {
            return "the last heartbeat is " + s.heartbeatAge().toMillis() + " ms old, older than the lease";
        }
        return null;
    }
}
