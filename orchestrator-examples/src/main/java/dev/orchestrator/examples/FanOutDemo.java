package dev.orchestrator.examples;

import dev.orchestrator.Orchestrator;
import dev.orchestrator.RunHandle;
import dev.orchestrator.RunInfo;
import dev.orchestrator.StepSpec;
import dev.orchestrator.TaskInfo;
import dev.orchestrator.TaskStatus;
import dev.orchestrator.TriggerOptions;
import dev.orchestrator.WorkflowSpec;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.LongSummaryStatistics;
import java.util.concurrent.TimeoutException;

/**
 * The main demo: on an embedded SQLite file, a workflow fans out to 24 process tasks (one of
 * which fails on purpose), shows progress while it runs, and prints a summary.
 *
 * <p>Run with {@code mvn -q -pl orchestrator-examples -am install -DskipTests exec:java}.
 * Argument: the SQLite file (default {@code orchestrator-demo.db}).
 */
public final class FanOutDemo {

    private static final int TASKS = 24;

    private FanOutDemo() {
    }

    public static void main(String[] args) throws Exception {
        Path db = Path.of(args.length > 0 ? args[0] : "orchestrator-demo.db").toAbsolutePath();
        // Each task sleeps a little, prints a line, and task 13 fails with exit code 4.
        String script = "sleep 0.$((ORCHESTRATOR_TASK_INDEX % 5 + 2)); "
                + "echo \"item $ORCHESTRATOR_TASK_INDEX of $ORCHESTRATOR_TASK_COUNT for $ORCHESTRATOR_PARAM_customer\"; "
                + "if [ \"$ORCHESTRATOR_TASK_INDEX\" -eq 13 ]; then echo 'cannot read item 13: checksum mismatch' >&2; exit 4; fi";

        try (Orchestrator orchestrator = Orchestrator.builder()
                .storeUrl("jdbc:sqlite:" + db)
                .maxConcurrency(8)
                .build()) {
            orchestrator.start();
            orchestrator.register(WorkflowSpec.of("demo-fan-out",
                    StepSpec.process("process-items", "/bin/sh", "-c", script).tasks(TASKS)));

            long t0 = System.nanoTime();
            RunHandle run = orchestrator.trigger("demo-fan-out",
                    TriggerOptions.builder().param("customer", "ACME Corp").build());
            System.out.printf("Triggered run %d of demo-fan-out (%d tasks) on %s%n", run.id(), TASKS, db);
            System.out.println("The demo shows a fan-out of process tasks, their progress, and how a failure is "
                    + "reported: task 13 fails on purpose, so the run ends FAILED.");

            RunInfo info = showProgress(run);
            double seconds = (System.nanoTime() - t0) / 1e9;
            printSummary(info, orchestrator.tasks(run.id()), seconds);
            System.out.println();
            System.out.println("Task 13 failed as the demo intends. Look at the run with the command-line tool: "
                    + "orchestrator --db jdbc:sqlite:" + db + " run show " + run.id()
                    + " (README, Command-line tool), or read the Quick start to embed the library.");
        }
    }

    private static RunInfo showProgress(RunHandle run) throws InterruptedException {
        while (true) {
            try {
                return run.await(Duration.ofMillis(300));
            } catch (TimeoutException stillRunning) {
                RunInfo i = run.info();
                System.out.printf("  progress: %2d/%d ended (%d succeeded, %d failed), status %s%n",
                        i.finished(), i.taskCount(), i.succeeded(), i.failed(), i.status());
            }
        }
    }

    private static void printSummary(RunInfo run, List<TaskInfo> tasks, double seconds) {
        LongSummaryStatistics durations = tasks.stream()
                .filter(t -> t.startedAt() != null && t.finishedAt() != null)
                .mapToLong(t -> Duration.between(t.startedAt(), t.finishedAt()).toMillis())
                .summaryStatistics();
        System.out.println();
        System.out.printf("Run %d ended %s in %.2f s%n", run.id(), run.status(), seconds);
        System.out.printf("  tasks: %d total, %d succeeded, %d failed%n", run.taskCount(), run.succeeded(), run.failed());
        System.out.printf("  task duration: min %d ms, mean %.0f ms, max %d ms%n",
                durations.getMin(), durations.getAverage(), durations.getMax());
        for (TaskInfo t : tasks) {
            if (t.status() == TaskStatus.FAILED) {
                System.out.printf("  task %d failed after attempt %d: %s%n", t.taskIndex(), t.attempt(), t.error());
                System.out.printf("    output tail: %s%n", t.outputTail() == null ? "" : t.outputTail().strip().replace("\n", "\n                 "));
            }
        }
    }
}
