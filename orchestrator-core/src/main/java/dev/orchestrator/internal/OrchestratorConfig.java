package dev.orchestrator.internal;

import dev.orchestrator.OrchestratorListener;
import dev.orchestrator.spi.Executor;
import dev.orchestrator.spi.Store;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;

/** The builder's validated settings. */
public record OrchestratorConfig(Store store, String storeUrl, Map<String, Executor> executors,
                                 Map<String, Map<String, String>> executorConfig, int maxConcurrency, int batchSize,
                                 Duration pollInterval, Duration maxPollInterval, Duration heartbeatInterval, Duration nodeLease,
                                 Duration shutdownTimeout, Duration cancelGrace, Clock clock, String nodeId, ClassLoader classLoader,
                                 OrchestratorListener listener, Duration retention) {

    /** One line for the start-up log; never contains secrets (executor config values are not printed). */
    public String describe() {
        return "node=" + nodeId + " store=" + (store != null ? store.getClass().getSimpleName() : redact(storeUrl))
                + " maxConcurrency=" + maxConcurrency + " batchSize=" + batchSize + " pollInterval=" + pollInterval
                + " maxPollInterval=" + maxPollInterval + " heartbeatInterval=" + heartbeatInterval + " nodeLease=" + nodeLease
                + " shutdownTimeout=" + shutdownTimeout + " cancelGrace=" + cancelGrace + " retention=" + (retention == null ? "keep everything" : retention);
    }

    /** A URL without its password parameter or user-info password. */
    public static String redact(String url) {
        if (url == null) {
            return null;
        }
        return url.replaceAll("(?i)(password=)[^&;]*", "$1***").replaceAll("//([^:/@]+):[^@/]*@", "//$1:***@");
    }
}
