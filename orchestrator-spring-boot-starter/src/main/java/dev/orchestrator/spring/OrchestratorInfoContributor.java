package dev.orchestrator.spring;

import org.springframework.boot.actuate.info.Info;
import org.springframework.boot.actuate.info.InfoContributor;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;

/**
 * Adds {@code orchestrator} to {@code /actuator/info}: {@code version} (of this starter, released
 * with the library), {@code nodeId}, {@code mode} ({@code scheduler} or {@code client}) and
 * {@code executorTypes}.
 */
public final class OrchestratorInfoContributor implements InfoContributor {

    private static final String VERSION = readVersion();

    private final OrchestratorLifecycle lifecycle;

    public OrchestratorInfoContributor(OrchestratorLifecycle lifecycle) {
        this.lifecycle = lifecycle;
    }

    @Override
    public void contribute(Info.Builder builder) {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("version", VERSION);
        details.put("nodeId", lifecycle.nodeId());
        details.put("mode", lifecycle.isSchedulerEnabled() ? "scheduler" : "client");
        details.put("executorTypes", lifecycle.executorTypes());
        builder.withDetail("orchestrator", details);
    }

    /** The version Maven wrote into the starter's resources. */
    static String version() {
        return VERSION;
    }

    private static String readVersion() {
        try (InputStream in = OrchestratorInfoContributor.class
                .getResourceAsStream("/META-INF/orchestrator-spring-boot-starter.properties")) {
            if (in == null) {
                return "unknown";
            }
            Properties p = new Properties();
            p.load(in);
            return p.getProperty("version", "unknown");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
