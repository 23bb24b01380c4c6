package dev.orchestrator.spring;

import org.springframework.boot.actuate.info.Info;
import org.springframework.boot.actuate.info.InfoContributor;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Adds {@code orchestrator} to {@code /actuator/info}: {@code version} (of this starter, released
 * with the library), {@code nodeId}, {@code mode} ({@code scheduler} or {@code client}) and
 * {@code executorTypes}.
 */
public final class OrchestratorInfoContributor implements InfoContributor {

    private final OrchestratorLifecycle lifecycle;

    public OrchestratorInfoContributor(OrchestratorLifecycle lifecycle) {
        this.lifecycle = lifecycle;
    }

    @Override
    public void contribute(Info.Builder builder) {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("version", StarterBuild.version());
        details.put("nodeId", lifecycle.nodeId());
        details.put("mode", lifecycle.isSchedulerEnabled() ? "scheduler" : "client");
        details.put("executorTypes", lifecycle.executorTypes());
        builder.withDetail("orchestrator", details);
    }
}
