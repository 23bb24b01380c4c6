package dev.orchestrator.jdbc;

import dev.orchestrator.Orchestrator;
import dev.orchestrator.RunHandle;
import dev.orchestrator.StepSpec;
import dev.orchestrator.WorkflowSpec;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * The child JVM of {@link KillNineRecoveryTest}: starts an orchestrator on a SQLite file,
 * triggers a run of slow process tasks, prints {@code RUN <id>}, and runs until it is killed.
 * Arguments: the SQLite file, the log directory.
 */
public final class CrashNode {

    static final int TASKS = 12;

    private CrashNode() {
    }

    public static void main(String[] args) throws Exception {
        Orchestrator o = Orchestrator.builder()
                .storeUrl("jdbc:sqlite:" + args[0])
                .executorConfig("process", Map.of("logDirectory", args[1]))
                .maxConcurrency(4)
                .heartbeatInterval(Duration.ofMillis(200))
                .nodeLease(Duration.ofSeconds(1))
                .build();
        o.start();
        o.register(WorkflowSpec.of("crash", StepSpec.process("slow", "/bin/sleep", "2").tasks(TASKS)));
        RunHandle run = o.trigger("crash");
        System.out.println("RUN " + run.id());
        System.out.flush();
        new CountDownLatch(1).await(); // until kill -9
    }
}
