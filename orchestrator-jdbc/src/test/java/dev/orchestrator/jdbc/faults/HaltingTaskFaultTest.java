package dev.orchestrator.jdbc.faults;

import dev.orchestrator.JobSpec;
import dev.orchestrator.Orchestrator;
import dev.orchestrator.OrchestratorBuilder;
import dev.orchestrator.RunInfo;
import dev.orchestrator.RunStatus;
import dev.orchestrator.StepSpec;
import dev.orchestrator.TaskInfo;
import dev.orchestrator.TaskStatus;
import dev.orchestrator.WorkflowSpec;
import dev.orchestrator.spi.Executor;
import dev.orchestrator.spi.StatusSink;
import dev.orchestrator.spi.TaskContext;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A task whose executor kills its node every time it runs (an in-process executor that halts
 * the JVM). Three node JVMs have that executor; a fourth node, in the test, has not, and takes
 * the dead nodes' tasks over too.
 */
class HaltingTaskFaultTest extends FaultCase {

    /** Only for registering the workflow in the (never started) client. */
    static final class NeverRuns implements Executor {
        @Override
        public String type() {
            return "halt";
        }

        @Override
        public void start(TaskContext task, StatusSink sink) {
            throw new IllegalStateException("the client runs nothing");
        }
    }

    @Override
    OrchestratorBuilder clientBuilder() {
        return Orchestrator.builder().executor(new NeverRuns());
    }

    @Test
    void aTaskThatKillsItsNodeEveryTimeFailsAfterItsLostBudget() throws Exception {
        long t0 = System.nanoTime();
        int budget = 2;
        client.register(WorkflowSpec.of("killer", StepSpec.builder("halt", "halt").job(JobSpec.options(Map.of()))
                .maxLostAttempts(budget).build()));
        try (Orchestrator survivor = Orchestrator.builder().store(clientStore).nodeId("survivor")
                .nodeLease(Duration.ofMillis(LEASE_MS)).heartbeatInterval(Duration.ofMillis(HEARTBEAT_MS))
                .executorConfig("process", Map.of("logDirectory", dir.resolve("logs-survivor").toString())).build()) {
            survivor.start();
            long run = client.trigger("killer").id();
            List<Faults.Node> halting = new ArrayList<>();
            // One halting node at a time; the survivor, which lacks the type, takes each dead one's task over.
            for (int i = 1; i <= budget + 1; i++) {
                Faults.Node h = node("h" + i, Faults.PG_URL, "halt=true").awaitReady();
                halting.add(h);
                Faults.await("h" + i + " killed by its task", Duration.ofSeconds(20), () -> !h.process.isAlive());
                Faults.await("h" + i + "'s task taken over", Duration.ofSeconds(10),
                        () -> count(table("tasks") + " WHERE owner = '" + h.id + "'") == 0);
            }
            RunInfo done = client.run(run).orElseThrow().await(Duration.ofSeconds(60));
            TaskInfo task = client.tasks(run).getFirst();
            long dead = halting.stream().filter(n -> !n.process.isAlive()).count();
            Faults.figure("case 7 (a task that halts its node, maxLostAttempts " + budget + "): run " + done.status()
                    + " after " + Faults.millisSince(t0) + " ms, " + dead + " nodes killed by it; attempts "
                    + client.attempts(task.id()).stream().map(a -> a.outcome() + "@" + a.node()).toList()
                    + "; error: " + task.error());
            assertThat(done.status()).isEqualTo(RunStatus.FAILED);
            assertThat(task.status()).isEqualTo(TaskStatus.FAILED);
            assertThat(task.error()).contains("died every time");
            assertThat(dead).isEqualTo(budget + 1);
        }
    }
}
