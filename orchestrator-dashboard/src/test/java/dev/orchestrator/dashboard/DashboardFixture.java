package dev.orchestrator.dashboard;

import dev.orchestrator.Orchestrator;
import dev.orchestrator.RetryPolicy;
import dev.orchestrator.RunInfo;
import dev.orchestrator.RunStatus;
import dev.orchestrator.StepSpec;
import dev.orchestrator.WorkflowSpec;
import dev.orchestrator.process.ProcessExecutor;
import dev.orchestrator.spi.Store;

import java.nio.file.Path;
import java.time.Duration;
import java.util.function.UnaryOperator;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An orchestrator on a given store with one ended run of workflow {@code etl}: step {@code extract}
 * (3 tasks that echo) then step {@code load} (1 task that prints {@code <script>alert(1)</script>}
 * and exits 3), and a started dashboard on a free port.
 */
final class DashboardFixture implements AutoCloseable {

    static final String SCRIPT = "<script>alert(1)</script>";

    final Orchestrator orchestrator;
    final Dashboard dashboard;
    final RunInfo failedRun;
    final Http http;
    final Path logs;
    private final Store store;

    DashboardFixture(Store store, Path dir, UnaryOperator<Dashboard.Builder> options) throws Exception {
        this.store = store;
        logs = dir.resolve("logs");
        orchestrator = Orchestrator.builder().store(store)
                .executor(ProcessExecutor.builder().logDirectory(logs).build())
                .pollInterval(Duration.ofMillis(200)).maxPollInterval(Duration.ofMillis(200))
                .shutdownTimeout(Duration.ofSeconds(2))
                .build();
        orchestrator.start();
        orchestrator.register(WorkflowSpec.of("etl",
                StepSpec.process("extract", "/bin/sh", "-c", "echo extracted $ORCHESTRATOR_TASK_INDEX").tasks(3)
                        .retry(RetryPolicy.NONE).build(),
                StepSpec.process("load", "/bin/sh", "-c", "echo 'loading'; echo '" + SCRIPT + "'; exit 3")
                        .retry(RetryPolicy.NONE).dependsOn("extract").build()));
        orchestrator.register(WorkflowSpec.of("sleepy",
                StepSpec.process("nap", "/bin/sleep", "600").tasks(2).retry(RetryPolicy.NONE).build()));
        failedRun = orchestrator.trigger("etl").await(Duration.ofMinutes(1));
        assertThat(failedRun.status()).isEqualTo(RunStatus.FAILED);
        dashboard = options.apply(Dashboard.builder().orchestrator(orchestrator).port(0).logRoot(logs)).build().start();
        http = new Http(dashboard.url());
    }

    @Override
    public void close() {
        dashboard.close();
        orchestrator.close();
        store.close(); // the host's store: the orchestrator does not close it
    }
}
