package dev.orchestrator.cli;

import dev.orchestrator.ConcurrencyPolicy;
import dev.orchestrator.RetryPolicy;
import dev.orchestrator.StepSpec;
import dev.orchestrator.WorkflowSpec;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class WorkflowFileTest {

    static final String FULL = """
            name: nightly
            steps:
              - name: extract
                command: [/usr/bin/extract, --all]
                env: {REGION: eu, LEVEL: 3}
                workingDirectory: /srv/etl
                tasks: 10
                retries: 2
                backoff: 5s
                maxBackoff: 1m
                timeout: 10m
                heartbeatTimeout: 30s
              - name: load
                executor: process
                command: [/usr/bin/load]
                options: {}
                dependsOn: [extract]
            """;

    @Test
    void readsEveryFieldOfTheYamlFormat() {
        WorkflowSpec spec = WorkflowFile.parse("wf.yaml", FULL);
        assertThat(spec.name()).isEqualTo("nightly");
        StepSpec extract = spec.steps().get(0);
        assertThat(extract.job().command()).containsExactly("/usr/bin/extract", "--all");
        assertThat(extract.job().environment()).isEqualTo(Map.of("REGION", "eu", "LEVEL", "3"));
        assertThat(extract.job().workingDirectory()).isEqualTo("/srv/etl");
        assertThat(extract.taskCount()).isEqualTo(10);
        assertThat(extract.retry()).isEqualTo(new RetryPolicy(3, Duration.ofSeconds(5), Duration.ofMinutes(1)));
        assertThat(extract.timeout()).isEqualTo(Duration.ofMinutes(10));
        assertThat(extract.heartbeatTimeout()).isEqualTo(Duration.ofSeconds(30));
        StepSpec load = spec.steps().get(1);
        assertThat(load.executor()).isEqualTo("process");
        assertThat(load.taskCount()).isEqualTo(1);
        assertThat(load.retry()).isEqualTo(RetryPolicy.NONE);
        assertThat(load.dependsOn()).isEqualTo(List.of("extract"));
    }

    @Test
    void theJsonOfWorkflowShowReadsBackAsTheSameSpec() throws Exception {
        WorkflowSpec spec = WorkflowFile.parse("wf.yaml", FULL);
        var file = Map.of("name", spec.name(), "steps", WorkflowFile.toFile(spec));
        String json = Output.JSON.writeValueAsString(file);
        assertThat(json).contains("\"timeout\" : \"10m\"").doesNotContain("null");
        assertThat(WorkflowFile.parse("wf.json", json)).isEqualTo(spec);
    }

    @Test
    void readsConcurrencyLimitsAndRefusesOnesBelowOne() throws Exception {
        WorkflowSpec spec = WorkflowFile.parse("wf.yaml", """
                name: api
                maxConcurrentRuns: 2
                concurrencyPolicy: refuse
                steps:
                  - {name: call, command: [/usr/bin/call], tasks: 30, maxConcurrentTasks: 3}
                """);
        assertThat(spec.maxConcurrentRuns()).isEqualTo(2);
        assertThat(spec.concurrencyPolicy()).isEqualTo(ConcurrencyPolicy.REFUSE);
        assertThat(spec.steps().getFirst().maxConcurrentTasks()).isEqualTo(3);
        assertThat(WorkflowFile.parse("wf.yaml", FULL).maxConcurrentRuns()).as("no limit by default").isNull();
        String json = Output.JSON.writeValueAsString(Map.of("name", "api", "steps", WorkflowFile.toFile(spec)));
        assertThat(WorkflowFile.parse("wf.json", json).steps()).isEqualTo(spec.steps());

        assertThatThrownBy(() -> WorkflowFile.parse("x.yaml", "name: a\nsteps:\n  - {name: s, command: [x], maxConcurrentTasks: 0}\n"))
                .isInstanceOf(CliException.class).hasMessage("x.yaml: maxConcurrentTasks must be at least 1, got 0 (step 's')");
        assertThatThrownBy(() -> WorkflowFile.parse("x.yaml", "name: a\nmaxConcurrentRuns: -1\nsteps:\n  - {name: s, command: [x]}\n"))
                .hasMessage("x.yaml: maxConcurrentRuns must be at least 1, got -1 (workflow 'a')");
        assertThatThrownBy(() -> WorkflowFile.parse("x.yaml", "name: a\nmaxConcurrentRuns: 1\nconcurrencyPolicy: drop\nsteps:\n  - {name: s, command: [x]}\n"))
                .hasMessage("x.yaml: field 'concurrencyPolicy' must be queue or refuse, got 'drop'");
    }

    @Test
    void errorsNameTheLineAndTheField() {
        assertThatThrownBy(() -> WorkflowFile.parse("x.yaml", "name: a\nsteps:\n  - name: s\n    command: /bin/true\n"))
                .isInstanceOf(CliException.class).hasMessage("x.yaml: line 4, column 14: field 'steps[0].command' must be a list");
        assertThatThrownBy(() -> WorkflowFile.parse("x.yaml", "name: a\nstepz: []\n"))
                .hasMessageStartingWith("x.yaml: line 2, column 8: unknown field 'stepz' (known fields: concurrencyPolicy, maxConcurrentRuns, name, steps)");
        assertThatThrownBy(() -> WorkflowFile.parse("x.json", "{\"name\": \"a\",\n \"steps\": [ }"))
                .hasMessageContaining("x.json: line 2").hasMessageContaining("syntax error");
        assertThatThrownBy(() -> WorkflowFile.parse("x.yaml", "steps:\n  - name: s\n    command: [/bin/true]\n"))
                .hasMessage("x.yaml: field 'name' is missing");
        assertThatThrownBy(() -> WorkflowFile.parse("x.yaml", "name: a\nsteps:\n  - command: [/bin/true]\n"))
                .hasMessage("x.yaml: field 'steps[0].name' is missing");
        assertThatThrownBy(() -> WorkflowFile.parse("x.yaml", "name: a\nsteps:\n  - {name: s, command: [x], retries: 100}\n"))
                .hasMessage("x.yaml: steps[0].retries must be between 0 and 99, got 100");
        assertThatThrownBy(() -> WorkflowFile.parse("x.yaml", ""))
                .hasMessageContaining("empty");
    }
}
