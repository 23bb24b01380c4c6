package dev.orchestrator;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SpecValidationTest {

    @Test
    void aOneStepWorkflowIsAOneLiner() {
        WorkflowSpec spec = WorkflowSpec.of("w", StepSpec.process("s", "/bin/echo", "hi").tasks(20));
        assertThat(spec.steps()).singleElement().satisfies(s -> {
            assertThat(s.executor()).isEqualTo("process");
            assertThat(s.job().command()).containsExactly("/bin/echo", "hi");
            assertThat(s.taskCount()).isEqualTo(20);
            assertThat(s.retry()).isEqualTo(RetryPolicy.NONE);
        });
        assertThat(spec.totalTasks()).isEqualTo(20);
    }

    @Test
    void aDependencyCycleIsRefusedWithItsPath() {
        assertThatThrownBy(() -> new WorkflowSpec("w", List.of(
                StepSpec.process("a", "/bin/true").dependsOn("c").build(),
                StepSpec.process("b", "/bin/true").dependsOn("a").build(),
                StepSpec.process("c", "/bin/true").dependsOn("b").build())))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("dependsOn must not form a cycle: a -> c -> b -> a");
    }

    @Test
    void anUnknownDependencyIsRefused() {
        assertThatThrownBy(() -> WorkflowSpec.of("w", StepSpec.process("a", "/bin/true").dependsOn("zzz").build()))
                .hasMessage("dependsOn of step 'a' names unknown step 'zzz'");
    }

    @Test
    void stepValuesAreChecked() {
        assertThatThrownBy(() -> StepSpec.builder("s", " ").build()).hasMessageContaining("executor must not be blank");
        assertThatThrownBy(() -> StepSpec.process("s", "/bin/true").timeout(Duration.ZERO).build())
                .hasMessageContaining("timeout must be positive, got PT0S");
        assertThatThrownBy(() -> StepSpec.process("x".repeat(201), "/bin/true").build())
                .hasMessageContaining("step name must be at most 200 characters, got 201");
        assertThatThrownBy(() -> WorkflowSpec.of("w", new StepSpec[0]))
                .hasMessageContaining("steps must not be empty");
    }

    @Test
    void limitsBelowOneAreRefusedNamingTheField() {
        assertThatThrownBy(() -> StepSpec.process("s", "/bin/true").maxConcurrentTasks(0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("maxConcurrentTasks must be at least 1, got 0 (step 's')");
        assertThatThrownBy(() -> new StepSpec("s", "process", JobSpec.command("/bin/true"), 1, null, null, null,
                List.of(), 3, -1)).hasMessage("maxConcurrentTasks must be at least 1, got -1 (step 's')");
        assertThatThrownBy(() -> WorkflowSpec.builder("w").maxConcurrentRuns(0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("maxConcurrentRuns must be at least 1, got 0 (workflow 'w')");
        assertThatThrownBy(() -> new WorkflowSpec("w", List.of(StepSpec.process("s", "/bin/true").build()), -3, null))
                .hasMessage("maxConcurrentRuns must be at least 1, got -3 (workflow 'w')");
        assertThatThrownBy(() -> WorkflowSpec.builder("w").concurrencyPolicy(null))
                .isInstanceOf(NullPointerException.class).hasMessage("concurrencyPolicy");
    }

    @Test
    void limitsDefaultToNoneAndTheQueuePolicy() {
        WorkflowSpec plain = WorkflowSpec.of("w", StepSpec.process("s", "/bin/true"));
        assertThat(plain.maxConcurrentRuns()).isNull();
        assertThat(plain.concurrencyPolicy()).isEqualTo(ConcurrencyPolicy.QUEUE);
        assertThat(plain.steps().getFirst().maxConcurrentTasks()).isNull();
        WorkflowSpec limited = WorkflowSpec.builder("w").step(StepSpec.process("s", "/bin/true").maxConcurrentTasks(3))
                .maxConcurrentRuns(2).build();
        assertThat(limited.maxConcurrentRuns()).isEqualTo(2);
        assertThat(limited.concurrencyPolicy()).isEqualTo(ConcurrencyPolicy.QUEUE);
        assertThat(limited.steps().getFirst().maxConcurrentTasks()).isEqualTo(3);
        assertThatThrownBy(() -> WorkflowSpec.builder("w").build()).hasMessageContaining("steps must not be empty");
    }

    @Test
    void retryPolicyBacksOffExponentiallyUpToItsCap() {
        RetryPolicy p = new RetryPolicy(10, Duration.ofSeconds(1), Duration.ofSeconds(5));
        assertThat(p.backoffBefore(2)).isEqualTo(Duration.ofSeconds(1));
        assertThat(p.backoffBefore(3)).isEqualTo(Duration.ofSeconds(2));
        assertThat(p.backoffBefore(4)).isEqualTo(Duration.ofSeconds(4));
        assertThat(p.backoffBefore(5)).isEqualTo(Duration.ofSeconds(5));
        assertThat(p.backoffBefore(100)).isEqualTo(Duration.ofSeconds(5));
        assertThatThrownBy(() -> new RetryPolicy(0, Duration.ZERO, Duration.ZERO))
                .hasMessage("maxAttempts must be between 1 and 100, got 0");
        assertThatThrownBy(() -> new RetryPolicy(2, Duration.ofSeconds(2), Duration.ofSeconds(1)))
                .hasMessageContaining("maxBackoff must be at least initialBackoff");
    }

    @Test
    void triggerOptionsCheckTheirValues() {
        assertThatThrownBy(() -> TriggerOptions.builder().param(" ", "v").build())
                .hasMessage("parameters must not have a blank key");
        assertThatThrownBy(() -> TriggerOptions.builder().idempotencyKey("").build())
                .hasMessage("idempotencyKey must not be blank");
        String almost = "x".repeat(TriggerOptions.MAX_PARAMETER_BYTES - 1);
        assertThat(TriggerOptions.builder().param("k", almost).build().parameters()).containsKey("k");
        assertThatThrownBy(() -> TriggerOptions.builder().param("k", almost + "é").build())
                .hasMessage("parameters must be at most 65536 bytes in all (UTF-8 keys and values), got 65538");
    }
}
