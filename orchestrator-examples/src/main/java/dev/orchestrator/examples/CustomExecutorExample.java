package dev.orchestrator.examples;

import dev.orchestrator.JobSpec;
import dev.orchestrator.Orchestrator;
import dev.orchestrator.RunInfo;
import dev.orchestrator.StepSpec;
import dev.orchestrator.WorkflowSpec;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * Runs a step on the custom {@code checksum} executor, which the orchestrator finds with
 * {@link java.util.ServiceLoader}: nothing is handed to the builder.
 * Arguments: the file to checksum, and optionally the SQLite file.
 */
public final class CustomExecutorExample {

    private CustomExecutorExample() {
    }

    public static void main(String[] args) throws Exception {
        String file = args.length > 0 ? args[0] : "pom.xml";
        Path db = Path.of(args.length > 1 ? args[1] : "orchestrator-demo.db").toAbsolutePath();
        try (Orchestrator orchestrator = Orchestrator.builder().storeUrl("jdbc:sqlite:" + db).build()) {
            orchestrator.start();
            orchestrator.register(WorkflowSpec.of("checksum-file", StepSpec.builder("sha256", ChecksumExecutor.TYPE)
                    .job(JobSpec.options(Map.of("file", Path.of(file).toAbsolutePath().toString())))));
            RunInfo run = orchestrator.trigger("checksum-file").await(Duration.ofMinutes(1));
            System.out.printf("%s  %s (run %d %s)%n", orchestrator.tasks(run.id()).getFirst().outputTail(), file,
                    run.id(), run.status());
        }
    }
}
