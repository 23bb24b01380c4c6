package dev.orchestrator.examples;

import dev.orchestrator.JobSpec;
import dev.orchestrator.Orchestrator;
import dev.orchestrator.RunInfo;
import dev.orchestrator.RunStatus;
import dev.orchestrator.StepSpec;
import dev.orchestrator.WorkflowSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ExamplesTest {

    @TempDir
    Path dir;

    @Test
    void theCustomExecutorIsFoundWithServiceLoaderAndRuns() throws Exception {
        Path file = Files.writeString(dir.resolve("data.txt"), "hello orchestrator");
        String expected = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                .digest("hello orchestrator".getBytes(StandardCharsets.UTF_8)));
        try (Orchestrator o = Orchestrator.builder().storeUrl("jdbc:sqlite:" + dir.resolve("c.db")).build()) {
            o.start();
            o.register(WorkflowSpec.of("sum", StepSpec.builder("s", "checksum")
                    .job(JobSpec.options(Map.of("file", file.toString())))));
            RunInfo run = o.trigger("sum").await(Duration.ofSeconds(30));
            assertThat(run.status()).isEqualTo(RunStatus.SUCCEEDED);
            assertThat(o.tasks(run.id()).getFirst().outputTail()).isEqualTo(expected);
            assertThatThrownBy(() -> o.register(WorkflowSpec.of("bad", StepSpec.builder("s", "checksum"))))
                    .hasMessageContaining("options.file must name the file to checksum");
        }
    }

    @Test
    void theDemoRunsItsFanOutAndReportsTheFailedTask() throws Exception {
        PrintStream original = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            FanOutDemo.main(new String[] {dir.resolve("demo.db").toString()});
        } finally {
            System.setOut(original);
        }
        String out = captured.toString(StandardCharsets.UTF_8);
        assertThat(out).contains("ended FAILED").contains("24 total, 23 succeeded, 1 failed")
                .contains("task 13 failed after attempt 1: exited with code 4")
                .contains("cannot read item 13: checksum mismatch")
                .contains("task 13 fails on purpose").contains("Task 13 failed as the demo intends");
    }

    @Test
    void theReadmeQuickStartRuns() throws Exception {
        PrintStream original = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            QuickStart.main(new String[0]);
        } finally {
            System.setOut(original);
            Files.deleteIfExists(Path.of("orchestrator.db"));
            Files.deleteIfExists(Path.of("orchestrator.db-wal"));
            Files.deleteIfExists(Path.of("orchestrator.db-shm"));
            Files.deleteIfExists(Path.of("orchestrator.db.scheduler.lock"));
            deleteTree(Path.of("orchestrator.db.logs")); // the store's own log directory
        }
        assertThat(captured.toString(StandardCharsets.UTF_8)).contains("SUCCEEDED: 20/20 succeeded");
    }

    private static void deleteTree(Path dir) throws java.io.IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (var paths = Files.walk(dir)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
