package dev.orchestrator.spring;

import dev.orchestrator.AttemptInfo;
import dev.orchestrator.AttemptOutcome;
import dev.orchestrator.Orchestrator;
import dev.orchestrator.RunInfo;
import dev.orchestrator.RunStatus;
import dev.orchestrator.StepSpec;
import dev.orchestrator.TaskInfo;
import dev.orchestrator.TaskStatus;
import dev.orchestrator.WorkflowSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The context closes while tasks run; the next context on the same database finishes them. The
 * closing node stops its running tasks once its shutdown timeout has passed and hands them back
 * unused, so no attempt is recorded as failed or lost, and the next node does not wait for a lease.
 */
class ContextCloseWhileTasksRunTest {

    @TempDir
    Path dir;

    @Test
    void closingEndsWithinTheShutdownPhaseTimeoutThoughTasksRunLonger() {
        AtomicLong closedAfterMillis = new AtomicLong();
        var context = new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class,
                        OrchestratorAutoConfiguration.class))
                .withPropertyValues(
                        "spring.datasource.url=jdbc:sqlite:" + dir.resolve("app.db") + "?journal_mode=WAL&busy_timeout=5000",
                        "orchestrator.poll-interval=50ms",
                        "orchestrator.shutdown-timeout=60s",
                        "spring.lifecycle.timeout-per-shutdown-phase=2s",
                        "orchestrator.executor.process.logDirectory=" + dir.resolve("logs"))
                .withBean("long", WorkflowSpec.class,
                        () -> WorkflowSpec.of("long", StepSpec.process("sleep", "/bin/sleep", "8")));
        context.run(ctx -> {
            Orchestrator orchestrator = ctx.getBean(Orchestrator.class);
            long id = orchestrator.trigger("long").id();
            await().atMost(Duration.ofSeconds(30)).until(() -> orchestrator.tasks(id).stream()
                    .allMatch(t -> t.status() == TaskStatus.RUNNING));
            long start = System.nanoTime();
            ctx.close();
            closedAfterMillis.set((System.nanoTime() - start) / 1_000_000);
        });
        // The orchestrator waits 2 s - 0.4 s for the task, then writes and returns; not the configured 60 s.
        assertThat(closedAfterMillis.get()).isBetween(1_000L, 10_000L);
    }

    @Test
    void tasksRunningWhenTheContextClosesAreNotFailedAndTheNextContextFinishesThem() {
        AtomicLong runId = new AtomicLong();
        ApplicationContextRunner runner = new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class,
                        OrchestratorAutoConfiguration.class))
                .withPropertyValues(
                        "spring.datasource.url=jdbc:sqlite:" + dir.resolve("app.db") + "?journal_mode=WAL&busy_timeout=5000",
                        "orchestrator.poll-interval=50ms", "orchestrator.max-poll-interval=50ms",
                        "orchestrator.heartbeat-interval=100ms", "orchestrator.node-lease=500ms",
                        "orchestrator.shutdown-timeout=0s",
                        "orchestrator.executor.process.logDirectory=" + dir.resolve("logs"))
                .withBean("slow", WorkflowSpec.class,
                        () -> WorkflowSpec.of("slow", StepSpec.process("sleep", "/bin/sleep", "2").tasks(2)));

        runner.run(context -> {
            Orchestrator orchestrator = context.getBean(Orchestrator.class);
            long id = orchestrator.trigger("slow").id();
            runId.set(id);
            await().atMost(Duration.ofSeconds(30)).until(() -> orchestrator.tasks(id).stream()
                    .allMatch(t -> t.status() == TaskStatus.RUNNING));
        });

        runner.run(context -> {
            Orchestrator orchestrator = context.getBean(Orchestrator.class);
            RunInfo done = orchestrator.run(runId.get()).orElseThrow().await(Duration.ofSeconds(60));
            assertThat(done.status()).isEqualTo(RunStatus.SUCCEEDED);
            assertThat(done.failed()).isZero();
            for (TaskInfo task : orchestrator.tasks(runId.get())) {
                List<AttemptOutcome> outcomes = orchestrator.attempts(task.id()).stream()
                        .map(AttemptInfo::outcome).toList();
                assertThat(outcomes).doesNotContain(AttemptOutcome.FAILED, AttemptOutcome.LOST)
                        .endsWith(AttemptOutcome.SUCCEEDED);
            }
        });
    }
}
