package dev.orchestrator;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Every builder refuses a bad value in the setter that receives it, naming the field and the rule. */
class BuilderMisuseTest {

    @Test
    void stepBuilderChecksEachValueAsItIsSet() {
        StepSpec.Builder b = StepSpec.process("s", "/bin/true");
        assertThatThrownBy(() -> b.tasks(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("taskCount must be between 1 and 10000, got 0 (step 's')");
        assertThatThrownBy(() -> b.timeout(Duration.ZERO)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("timeout must be positive, got PT0S (step 's')");
        assertThatThrownBy(() -> b.heartbeatTimeout(Duration.ofSeconds(-1)))
                .hasMessage("heartbeatTimeout must be positive, got PT-1S (step 's')");
        assertThatThrownBy(() -> b.dependsOn("a", " ")).hasMessage("dependsOn of step 's' must not be blank");
        assertThatThrownBy(() -> StepSpec.builder(" ", "process")).hasMessage("step name must not be blank");
        assertThatThrownBy(() -> StepSpec.builder("s", "")).hasMessage("executor must not be blank (step 's')");
        // Values refused by a setter leave the builder as it was.
        assertThat(b.build().taskCount()).isEqualTo(1);
        assertThat(b.build().timeout()).isNull();
    }

    @Test
    void triggerBuilderChecksEachParameterAndTheTotalAsTheyAreAdded() {
        TriggerOptions.Builder b = TriggerOptions.builder();
        assertThatThrownBy(() -> b.param(" ", "v")).hasMessage("parameters must not have a blank key");
        assertThatThrownBy(() -> b.param("k", null)).hasMessage("parameters must not have a null value (key 'k')");
        assertThatThrownBy(() -> b.idempotencyKey("")).hasMessage("idempotencyKey must not be blank");
        assertThatThrownBy(() -> b.triggeredBy("x".repeat(201)))
                .hasMessage("triggeredBy must be at most 200 characters, got 201");
        b.param("big", "x".repeat(TriggerOptions.MAX_PARAMETER_BYTES - 10));
        assertThatThrownBy(() -> b.param("more", "x".repeat(20)))
                .hasMessageStartingWith("parameters must be at most 65536 bytes in all");
        // Replacing a value counts the new size, not both.
        b.param("big", "small");
        b.param("more", "x".repeat(20));
        assertThat(b.build().parameters()).containsOnly(Map.entry("big", "small"), Map.entry("more", "x".repeat(20)));
    }

    @Test
    void runQueryBuilderChecksValuesAsSetAndTheRangeAtBuild() {
        RunQuery.Builder b = RunQuery.builder();
        assertThatThrownBy(() -> b.limit(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("limit must be between 1 and 10000, got 0");
        assertThatThrownBy(() -> b.cursor("42")).hasMessage("cursor must be a RunPage.nextCursor() value, got '42'");
        assertThatThrownBy(() -> b.workflow(" ")).hasMessage("workflow must not be blank");
        Instant t = Instant.parse("2026-01-01T00:00:00Z");
        b.createdAfter(t).createdBefore(t);
        assertThatThrownBy(b::build).isInstanceOf(IllegalStateException.class)
                .hasMessage("createdAfter (2026-01-01T00:00:00Z) must be before createdBefore (2026-01-01T00:00:00Z)");
    }

    @Test
    void aRunPageCarriesACursorOnlyWhenFull() {
        RunQuery two = RunQuery.builder().limit(2).build();
        RunInfo r9 = run(9);
        RunInfo r7 = run(7);
        RunPage full = RunPage.of(java.util.List.of(r9, r7), two);
        assertThat(full.hasMore()).isTrue();
        assertThat(two.toBuilder().cursor(full.nextCursor()).build().beforeId()).isEqualTo(7);
        assertThat(RunPage.of(java.util.List.of(r9), two).nextCursor()).isNull();
        assertThat(RunQuery.all().beforeId()).isEqualTo(Long.MAX_VALUE);
    }

    private static RunInfo run(long id) {
        return new RunInfo(id, "w", 1, RunStatus.SUCCEEDED, "manual", Map.of(), null, 1, 1, 0, 1,
                Instant.EPOCH, null, null);
    }
}
