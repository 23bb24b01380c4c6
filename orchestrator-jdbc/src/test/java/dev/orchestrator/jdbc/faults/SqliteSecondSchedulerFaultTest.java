package dev.orchestrator.jdbc.faults;

import dev.orchestrator.Orchestrator;
import dev.orchestrator.RunInfo;
import dev.orchestrator.RunQuery;
import dev.orchestrator.RunStatus;
import dev.orchestrator.StepSpec;
import dev.orchestrator.WorkflowSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A second process that opens a SQLite file another process schedules on. */
class SqliteSecondSchedulerFaultTest {

    @TempDir
    Path dir;

    @Test
    void aSecondSchedulingProcessIsRefusedAndAReadOnlyClientWorks() throws Exception {
        long t0 = System.nanoTime();
        Path db = dir.resolve("one.db");
        try (Faults.Node first = new Faults.Node(dir, "first", "sqlite=" + db, "logs=" + dir.resolve("logs"))) {
            first.awaitReady();
            try (Orchestrator second = Orchestrator.builder().storeUrl("jdbc:sqlite:" + db).nodeId("second").build()) {
                assertThatThrownBy(second::start)
                        .isInstanceOf(IllegalStateException.class)
                        .hasMessageContaining(db.toString())
                        .hasMessageContaining("first")
                        .satisfies(e -> Faults.figure("case 9 (second scheduler on one SQLite file): refused: "
                                + e.getMessage()));
            }
            try (Orchestrator reader = Orchestrator.builder().storeUrl("jdbc:sqlite:" + db).build()) {
                reader.register(WorkflowSpec.of("hello", StepSpec.process("say", "/bin/true").tasks(3)));
                long run = reader.trigger("hello").id();
                RunInfo done = reader.run(run).orElseThrow().await(Duration.ofSeconds(30));
                assertThat(done.status()).isEqualTo(RunStatus.SUCCEEDED);
                assertThat(reader.runs(RunQuery.builder().limit(10).build()).runs()).hasSize(1);
                Faults.figure("case 9: a client that is not started registered, triggered and listed; the first process ran "
                        + "the run; wall " + Faults.millisSince(t0) + " ms");
            }
        }
    }
}
