package dev.orchestrator.spring.example;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.util.FileSystemUtils;
import org.springframework.web.client.RestClient;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Starts the example on a random port, triggers a workflow over HTTP and reads Actuator. */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
@DirtiesContext
class ExampleApplicationTest {

    private static final Path DIR = createTempDirectory();

    @LocalServerPort
    int port;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        registry.add("spring.datasource.url",
                () -> "jdbc:sqlite:" + DIR.resolve("example.db") + "?journal_mode=WAL&busy_timeout=5000");
        registry.add("orchestrator.executor.process.logDirectory", () -> DIR.resolve("logs").toString());
    }

    @AfterAll
    static void deleteFiles() throws IOException {
        FileSystemUtils.deleteRecursively(DIR);
    }

    @Test
    @SuppressWarnings("unchecked")
    void triggersAWorkflowThroughTheEndpointAndReportsHealthAndMetrics() throws IOException {
        RestClient http = RestClient.create("http://localhost:" + port);

        ResponseEntity<Map<String, Object>> triggered = http.post().uri("/workflows/greet/runs")
                .contentType(MediaType.APPLICATION_JSON).body(Map.of("name", "Ada")).retrieve()
                .toEntity(new ParameterizedTypeReference<>() { });
        assertThat(triggered.getStatusCode()).isEqualTo(HttpStatus.ACCEPTED);
        long id = ((Number) triggered.getBody().get("id")).longValue();
        assertThat(triggered.getHeaders().getLocation()).hasToString("/runs/" + id);
        assertThat(triggered.getBody()).containsEntry("workflow", "greet").containsEntry("created", true);

        await().atMost(Duration.ofSeconds(30)).until(
                () -> http.get().uri("/runs/{id}", id).retrieve().body(Map.class).get("status"), "SUCCEEDED"::equals);
        Map<String, Object> run = http.get().uri("/runs/{id}", id).retrieve().body(Map.class);
        assertThat(run).containsEntry("succeeded", 3).containsEntry("triggeredBy", "api:example");
        try (Stream<Path> logs = Files.walk(DIR.resolve("logs"))) {
            List<Path> files = logs.filter(Files::isRegularFile).toList();
            assertThat(files).hasSize(3);
            assertThat(Files.readString(files.get(0))).contains("Ada");
        }

        Map<String, Object> health = http.get().uri("/actuator/health").retrieve().body(Map.class);
        Map<String, Object> orchestrator = (Map<String, Object>) ((Map<String, Object>) health.get("components"))
                .get("orchestrator");
        assertThat(orchestrator).containsEntry("status", "UP");
        assertThat((Map<String, Object>) orchestrator.get("details")).containsEntry("scheduler", "running")
                .containsEntry("workflows", 1);

        Map<String, Object> metrics = http.get().uri("/actuator/metrics").retrieve().body(Map.class);
        assertThat((List<String>) metrics.get("names")).contains("orchestrator.tasks.ended",
                "orchestrator.claim.latency");
        Map<String, Object> ended = http.get().uri("/actuator/metrics/orchestrator.tasks.ended?tag=outcome:SUCCEEDED")
                .retrieve().body(Map.class);
        assertThat((List<Map<String, Object>>) ended.get("measurements"))
                .contains(Map.of("statistic", "COUNT", "value", 3.0));

        Map<String, Object> info = http.get().uri("/actuator/info").retrieve().body(Map.class);
        assertThat((Map<String, Object>) info.get("orchestrator")).containsKeys("version", "nodeId")
                .containsEntry("mode", "scheduler")
                .containsEntry("executorTypes", List.of("process"));
    }

    @Test
    void answersNotFoundForAnUnknownWorkflowOrRun() {
        RestClient http = RestClient.create("http://localhost:" + port);
        HttpStatusCode workflow = http.post().uri("/workflows/nope/runs").exchange((request, response) ->
                response.getStatusCode());
        HttpStatusCode run = http.get().uri("/runs/999999").exchange((request, response) -> response.getStatusCode());
        assertThat(workflow).isEqualTo(HttpStatus.NOT_FOUND);
        assertThat(run).isEqualTo(HttpStatus.NOT_FOUND);
    }

    private static Path createTempDirectory() {
        try {
            return Files.createTempDirectory("orchestrator-spring-example");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
