package dev.orchestrator.internal;

import dev.orchestrator.ConcurrencyPolicy;
import dev.orchestrator.RetryPolicy;
import dev.orchestrator.StepSpec;
import dev.orchestrator.WorkflowSpec;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class JsonTest {

    @Test
    void stringsWithEveryKindOfCharacterRoundTrip() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("q\"uote", "back\\slash\nnew\tline\u0001ctl ünï ✓ 😀");
        m.put("empty", "");
        assertThat(Json.parseStringMap(Json.write(m))).isEqualTo(m);
    }

    @Test
    void malformedJsonNamesTheOffset() {
        assertThatThrownBy(() -> Json.parse("{\"a\":1,}")).hasMessageContaining("invalid JSON at offset 7");
        assertThatThrownBy(() -> Json.parse("[1] x")).hasMessageContaining("trailing characters");
    }

    @Test
    void aSpecRoundTripsAndEqualSpecsGiveEqualText() {
        WorkflowSpec spec = new WorkflowSpec("w", List.of(
                StepSpec.process("a", "/bin/echo", "x y").tasks(3).timeout(Duration.ofSeconds(9))
                        .retry(new RetryPolicy(4, Duration.ofMillis(10), Duration.ofSeconds(2))).build(),
                StepSpec.builder("b", "noop").dependsOn("a").heartbeatTimeout(Duration.ofSeconds(3)).build()));
        String json = SpecCodec.toJson(spec);
        assertThat(SpecCodec.fromJson(json)).isEqualTo(spec);
        assertThat(SpecCodec.toJson(SpecCodec.fromJson(json))).isEqualTo(json);
        assertThat(json).as("limits are written only when set, so specs saved before them keep their text")
                .doesNotContain("maxConcurrent").doesNotContain("concurrencyPolicy");
    }

    @Test
    void limitsRoundTrip() {
        WorkflowSpec spec = WorkflowSpec.builder("w")
                .step(StepSpec.process("a", "/bin/true").tasks(30).maxConcurrentTasks(3))
                .step(StepSpec.process("b", "/bin/true").dependsOn("a"))
                .maxConcurrentRuns(2, ConcurrencyPolicy.REFUSE).build();
        String json = SpecCodec.toJson(spec);
        assertThat(SpecCodec.fromJson(json)).isEqualTo(spec);
        assertThat(SpecCodec.fromJson(json).steps().get(1).maxConcurrentTasks()).isNull();
        assertThat(SpecCodec.toJson(SpecCodec.fromJson(json))).isEqualTo(json);
    }
}
