package dev.orchestrator;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

class OrchestratorBuilderTest {

    @Test
    void everySetterNamesItsRule() {
        OrchestratorBuilder b = Orchestrator.builder();
        assertThatThrownBy(() -> b.maxConcurrency(0)).hasMessage("maxConcurrency must be between 1 and 100000, got 0");
        assertThatThrownBy(() -> b.batchSize(10_001)).hasMessage("batchSize must be between 1 and 10000, got 10001");
        assertThatThrownBy(() -> b.pollInterval(Duration.ofMillis(1))).hasMessage("pollInterval must be at least PT0.01S, got PT0.001S");
        assertThatThrownBy(() -> b.shutdownTimeout(Duration.ofSeconds(-1))).hasMessageContaining("shutdownTimeout must be at least PT0S");
        assertThatThrownBy(() -> b.storeUrl(" ")).hasMessage("storeUrl must not be blank");
        assertThatThrownBy(() -> b.nodeId("")).hasMessage("nodeId must not be blank");
        assertThatThrownBy(() -> b.executorConfig("", Map.of())).hasMessage("executor type must not be blank");
    }

    @Test
    void aLeaseNotLongerThanTheHeartbeatIsRefused() {
        assertThatThrownBy(() -> Orchestrator.builder().heartbeatInterval(Duration.ofSeconds(5))
                .nodeLease(Duration.ofSeconds(5)).build())
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("nodeLease (PT5S) must be longer than heartbeatInterval (PT5S)");
    }

    @Test
    void aMaxPollIntervalBelowThePollIntervalIsRefused() {
        assertThatThrownBy(() -> Orchestrator.builder().pollInterval(Duration.ofSeconds(10))
                .maxPollInterval(Duration.ofSeconds(5)).build())
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("maxPollInterval (PT5S) must be at least pollInterval (PT10S)");
    }

    @Test
    void aStoreUrlNoProviderHandlesNamesTheArtifactToAdd() {
        assertThatThrownBy(() -> Orchestrator.builder().storeUrl("jdbc:sqlite:x.db").build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no store provider handles storeUrl jdbc:sqlite:x.db")
                .hasMessageContaining("dev.orchestrator:orchestrator-jdbc");
    }

    @Test
    void passwordsAreRedactedFromStoreUrlsInErrors() {
        assertThatThrownBy(() -> Orchestrator.builder().storeUrl("jdbc:postgresql://h/db?user=u&password=s3cret").build())
                .hasMessageNotContaining("s3cret").hasMessageContaining("password=***");
    }
}
