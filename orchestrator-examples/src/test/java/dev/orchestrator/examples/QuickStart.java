package dev.orchestrator.examples;

import dev.orchestrator.Orchestrator;
import dev.orchestrator.RunInfo;
import dev.orchestrator.StepSpec;
import dev.orchestrator.TriggerOptions;
import dev.orchestrator.WorkflowSpec;

import java.time.Duration;

/** The README's quick start, verbatim, so that it keeps compiling and working. */
public class QuickStart {
    public static void main(String[] args) throws Exception {
        try (Orchestrator orchestrator = Orchestrator.builder()
                .storeUrl("jdbc:sqlite:orchestrator.db")   // or jdbc:postgresql://host/db?user=...
                .maxConcurrency(16)
                .build()) {
            orchestrator.start();
            // One step, 20 tasks; each sees ORCHESTRATOR_TASK_INDEX 0..19 in its environment.
            orchestrator.register(WorkflowSpec.of("thumbnails",
                    StepSpec.process("resize", "/usr/bin/env").tasks(20)));
            RunInfo run = orchestrator.trigger("thumbnails",
                            TriggerOptions.builder().param("bucket", "photos-2026").build())
                    .await(Duration.ofMinutes(5));
            System.out.println(run.status() + ": " + run.succeeded() + "/" + run.taskCount() + " succeeded");
        }
    }
}
