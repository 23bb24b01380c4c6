package dev.orchestrator.spring;

import com.jayway.jsonpath.JsonPath;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/** The metadata the IDE completes {@code orchestrator.*} from: every property, its description and its default. */
class ConfigurationMetadataTest {

    @Test
    void everyPropertyHasADescriptionAndItsDefault() throws IOException {
        Map<String, Map<String, Object>> properties = read("/META-INF/spring-configuration-metadata.json");
        assertThat(properties.keySet()).containsExactlyInAnyOrder(
                "orchestrator.enabled", "orchestrator.node-id", "orchestrator.max-concurrency",
                "orchestrator.batch-size", "orchestrator.poll-interval", "orchestrator.max-poll-interval",
                "orchestrator.heartbeat-interval", "orchestrator.node-lease", "orchestrator.shutdown-timeout",
                "orchestrator.cancel-grace", "orchestrator.retention",
                "orchestrator.scheduler.enabled", "orchestrator.store.schema", "orchestrator.store.table-prefix",
                "orchestrator.store.migrate", "orchestrator.executor",
                "management.health.orchestrator.enabled", "management.info.orchestrator.enabled");
        properties.forEach((name, p) -> assertThat((String) p.get("description")).as(name).isNotBlank()
                .doesNotContain("{@"));
        Map<String, Object> defaults = properties.entrySet().stream().filter(e -> e.getValue().containsKey("defaultValue"))
                .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().get("defaultValue")));
        assertThat(defaults).containsOnly(
                Map.entry("orchestrator.enabled", true),
                Map.entry("orchestrator.max-concurrency", 64),
                Map.entry("orchestrator.batch-size", 512),
                Map.entry("orchestrator.poll-interval", "5s"),
                Map.entry("orchestrator.heartbeat-interval", "30s"),
                Map.entry("orchestrator.node-lease", "90s"),
                Map.entry("orchestrator.shutdown-timeout", "25s"),
                Map.entry("orchestrator.cancel-grace", "10s"),
                Map.entry("orchestrator.scheduler.enabled", true),
                Map.entry("orchestrator.store.schema", "public"),
                Map.entry("orchestrator.store.table-prefix", "orc_"),
                Map.entry("orchestrator.store.migrate", true),
                Map.entry("management.health.orchestrator.enabled", true),
                Map.entry("management.info.orchestrator.enabled", true));
    }

    private static Map<String, Map<String, Object>> read(String resource) throws IOException {
        try (InputStream in = ConfigurationMetadataTest.class.getResourceAsStream(resource)) {
            assertThat(in).as(resource).isNotNull();
            List<Map<String, Object>> properties = JsonPath.read(in, "$.properties[*]");
            return properties.stream().collect(Collectors.toMap(p -> (String) p.get("name"), Function.identity()));
        }
    }
}
