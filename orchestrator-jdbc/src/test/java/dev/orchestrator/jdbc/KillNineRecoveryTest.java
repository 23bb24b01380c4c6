package dev.orchestrator.jdbc;

import dev.orchestrator.AttemptInfo;
import dev.orchestrator.AttemptOutcome;
import dev.orchestrator.Orchestrator;
import dev.orchestrator.RunInfo;
import dev.orchestrator.RunQuery;
import dev.orchestrator.RunStatus;
import dev.orchestrator.TaskInfo;
import dev.orchestrator.TaskStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A JVM running an orchestrator is killed with SIGKILL mid-run; a new orchestrator on the same
 * SQLite file finishes the run. Tasks that were in flight get a new attempt; the lost one is
 * recorded as {@code LOST}.
 */
class KillNineRecoveryTest {

    @TempDir
    Path dir;

    @Test
    void aRunSurvivesKillNineOfItsNode() throws Exception {
        Path db = dir.resolve("crash.db");
        String java = ProcessHandle.current().info().command().orElseThrow();
        Process child = new ProcessBuilder(java, "-cp", childClassPath(),
                CrashNode.class.getName(), db.toString(), dir.resolve("logs").toString())
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
            String line;
            while ((line = out.readLine()) != null && !line.startsWith("RUN ")) {
                // skip anything else the child prints
            }
            assertThat(line).as("the child printed its run id").isNotNull();
            long runId = Long.parseLong(line.substring(4).trim());

            try (Orchestrator client = Orchestrator.builder().storeUrl("jdbc:sqlite:" + db).build()) {
                awaitCondition("tasks running in the child", Duration.ofSeconds(30), () ->
                        client.tasks(runId).stream().anyMatch(t -> t.status() == TaskStatus.RUNNING));
            }
            child.destroyForcibly(); // SIGKILL
            assertThat(child.waitFor(10, TimeUnit.SECONDS)).isTrue();
        } finally {
            child.destroyForcibly();
        }

        try (Orchestrator survivor = Orchestrator.builder()
                .storeUrl("jdbc:sqlite:" + db)
                .executorConfig("process", Map.of("logDirectory", dir.resolve("logs").toString()))
                .maxConcurrency(4)
                .heartbeatInterval(Duration.ofMillis(200))
                .nodeLease(Duration.ofSeconds(1))
                .build()) {
            long runId = survivor.runs(RunQuery.builder().workflow("crash").limit(1).build()).runs().getFirst().id();
            // Tasks that were running when the node died are lost and run again; tasks it had
            // claimed but not started are released and run once.
            Set<Long> inFlightAtKill = survivor.tasks(runId).stream()
                    .filter(t -> t.status() == TaskStatus.RUNNING)
                    .map(TaskInfo::id).collect(Collectors.toSet());
            assertThat(inFlightAtKill).as("tasks running when the node died").isNotEmpty();

            survivor.start();
            RunInfo done = survivor.run(runId).orElseThrow().await(Duration.ofSeconds(60));

            assertThat(done.status()).isEqualTo(RunStatus.SUCCEEDED);
            assertThat(done.succeeded()).isEqualTo(CrashNode.TASKS);
            for (TaskInfo t : survivor.tasks(runId)) {
                assertThat(t.status()).isEqualTo(TaskStatus.SUCCEEDED);
                List<AttemptInfo> attempts = survivor.attempts(t.id());
                if (inFlightAtKill.contains(t.id())) {
                    assertThat(attempts).hasSize(2);
                    assertThat(attempts.get(0).outcome()).isEqualTo(AttemptOutcome.LOST);
                    assertThat(attempts.get(0).error()).contains("lost");
                    assertThat(attempts.get(1).outcome()).isEqualTo(AttemptOutcome.SUCCEEDED);
                    assertThat(attempts.get(1).node()).isNotEqualTo(attempts.get(0).node());
                } else {
                    assertThat(attempts).singleElement()
                            .satisfies(a -> assertThat(a.outcome()).isEqualTo(AttemptOutcome.SUCCEEDED));
                }
            }
        }
    }

    /** Re-checks {@code condition} every 20 ms until it holds; fails after {@code timeout}. */
    static void awaitCondition(String what, Duration timeout, BooleanSupplier condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("waiting for " + what).isLessThan(deadline);
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
        }
    }

    /**
     * The child's class path: this test's classes and everything this JVM has, whether surefire
     * put it on the class path or (with the module's descriptor) on the module path.
     */
    private static String childClassPath() throws Exception {
        Set<String> entries = new LinkedHashSet<>();
        entries.add(Path.of(CrashNode.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString());
        for (String property : List.of("jdk.module.path", "java.class.path")) {
            String value = System.getProperty(property);
            if (value != null && !value.isEmpty()) {
                entries.addAll(Arrays.asList(value.split(File.pathSeparator)));
            }
        }
        return String.join(File.pathSeparator, entries);
    }
}
