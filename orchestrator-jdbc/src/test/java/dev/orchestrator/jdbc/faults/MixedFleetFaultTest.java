package dev.orchestrator.jdbc.faults;

import dev.orchestrator.JobSpec;
import dev.orchestrator.Orchestrator;
import dev.orchestrator.OrchestratorBuilder;
import dev.orchestrator.StepSpec;
import dev.orchestrator.WorkflowSpec;
import dev.orchestrator.spi.Executor;
import dev.orchestrator.spi.StatusSink;
import dev.orchestrator.spi.StatusUpdate;
import dev.orchestrator.spi.TaskContext;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/** A node without the {@code cloudrun} executor type beside one with it. */
class MixedFleetFaultTest extends FaultCase {

    /** A stand-in for Cloud Run: each attempt succeeds 50 ms after it starts. */
    static final class FakeCloudRun implements Executor {
        final AtomicInteger started = new AtomicInteger();

        @Override
        public String type() {
            return "cloudrun";
        }

        @Override
        public void start(TaskContext task, StatusSink sink) {
            started.incrementAndGet();
            sink.report(StatusUpdate.running("fake-" + task.taskId() + "-" + task.attempt(), null));
            Thread.ofVirtual().start(() -> {
                try {
                    Thread.sleep(50); // the fake execution's run time
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                sink.report(StatusUpdate.succeeded(0, null));
            });
        }
    }

    @Override
    OrchestratorBuilder clientBuilder() {
        return Orchestrator.builder().executor(new FakeCloudRun());
    }

    private Orchestrator node(String id, FakeCloudRun cloudRun) {
        OrchestratorBuilder b = Orchestrator.builder().store(clientStore).nodeId(id).maxConcurrency(8)
                .nodeLease(Duration.ofMillis(LEASE_MS)).heartbeatInterval(Duration.ofMillis(HEARTBEAT_MS))
                .pollInterval(Duration.ofMillis(200))
                .executorConfig("process", Map.of("logDirectory", dir.resolve("logs-" + id).toString()));
        if (cloudRun != null) {
            b.executor(cloudRun);
        }
        return b.build();
    }

    @Test
    void cloudRunTasksRunOnlyOnTheNodeThatHasTheType() throws Exception {
        long t0 = System.nanoTime();
        String[] cmd = records.command(0, "0.05");
        client.register(WorkflowSpec.of("mixed",
                StepSpec.process("local", cmd[0], cmd[1], cmd[2], cmd[3]).tasks(40).build(),
                StepSpec.builder("remote", "cloudrun").job(JobSpec.options(Map.of("job", "fake"))).tasks(40).build()));
        FakeCloudRun onA = new FakeCloudRun();
        try (Orchestrator without = node("plain", null); Orchestrator with = node("withcloudrun", onA)) {
            without.start();
            with.start();
            List<Long> runs = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                runs.add(client.trigger("mixed").id());
            }
            awaitSucceeded(runs, Duration.ofSeconds(60));
        }
        List<List<String>> byNode = Faults.query("SELECT t.executor, a.node, a.outcome, count(*) FROM " + table("attempts")
                + " a JOIN " + table("tasks") + " t ON t.id = a.task_id GROUP BY t.executor, a.node, a.outcome ORDER BY 1, 2");
        Faults.figure("case 8 (mixed fleet): attempts by executor, node, outcome " + byNode + "; fake cloudrun started "
                + onA.started.get() + "; wall " + Faults.millisSince(t0) + " ms");
        assertThat(count(table("attempts") + " a JOIN " + table("tasks") + " t ON t.id = a.task_id "
                + "WHERE t.executor = 'cloudrun' AND a.node <> 'withcloudrun'")).isZero();
        assertThat(count(table("tasks") + " WHERE status <> 'SUCCEEDED'")).isZero();
        assertThat(onA.started.get()).isEqualTo(120);
        records.assertNoOverlap("case 8");
        records.assertStatesMatch(schema);
    }
}
