package dev.orchestrator.dashboard;

import dev.orchestrator.Orchestrator;
import dev.orchestrator.RetryPolicy;
import dev.orchestrator.RunHandle;
import dev.orchestrator.StepSpec;
import dev.orchestrator.WorkflowSpec;
import dev.orchestrator.jdbc.JdbcStore;
import dev.orchestrator.spi.Executor;
import dev.orchestrator.spi.StatusSink;
import dev.orchestrator.spi.StatusUpdate;
import dev.orchestrator.spi.TaskContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * Not a test: makes the README's screenshot of the run page during a 10,000-task run.
 * {@code mvn -pl orchestrator-dashboard -am verify -Dtest=RunPageScreenshot -Dsurefire.failIfNoSpecifiedTests=false
 * -Ddashboard.screenshot=$PWD/docs/dashboard-run.png}
 */
@EnabledIfSystemProperty(named = "dashboard.screenshot", matches = ".+")
class RunPageScreenshot {

    @TempDir
    Path dir;

    /** Tasks that take 20 to 120 ms; about one in 150 of the last step fails. */
    static final class Simulated implements Executor {
        final ScheduledExecutorService timer = Executors.newScheduledThreadPool(2);

        @Override
        public String type() {
            return "sim";
        }

        @Override
        public void start(TaskContext task, StatusSink sink) {
            sink.report(StatusUpdate.running("sim-" + task.taskId(), null));
            timer.schedule(() -> sink.report(task.stepIndex() == 3 && ThreadLocalRandom.current().nextInt(150) == 0
                            ? StatusUpdate.failed(1, "exit 1: upstream returned HTTP 503", "fetching part "
                            + task.taskIndex() + "\nHTTP 503 Service Unavailable")
                            : StatusUpdate.succeeded(0, "ok " + task.taskIndex())),
                    ThreadLocalRandom.current().nextInt(20, 120), TimeUnit.MILLISECONDS);
        }

        @Override
        public void close() {
            timer.shutdownNow();
        }
    }

    @Test
    void screenshotOfARunningTenThousandTaskRun() throws Exception {
        Path out = Path.of(System.getProperty("dashboard.screenshot"));
        try (Orchestrator o = Orchestrator.builder().store(JdbcStore.sqlite(dir.resolve("s.db")))
                .executor(new Simulated()).maxConcurrency(200).shutdownTimeout(Duration.ofSeconds(1)).build();
             Chromium browser = Chromium.launch()) {
            o.start();
            o.register(WorkflowSpec.of("nightly-etl",
                    StepSpec.builder("fetch", "sim").tasks(2_000).retry(RetryPolicy.NONE).build(),
                    StepSpec.builder("parse", "sim").tasks(4_000).retry(RetryPolicy.NONE).dependsOn("fetch").build(),
                    StepSpec.builder("enrich", "sim").tasks(2_000).retry(RetryPolicy.NONE).dependsOn("fetch").build(),
                    StepSpec.builder("load", "sim").tasks(2_000).retry(RetryPolicy.NONE).dependsOn("parse", "enrich").build()));
            RunHandle run = o.trigger("nightly-etl", dev.orchestrator.TriggerOptions.builder()
                    .param("day", "2026-11-28").build());
            try (Dashboard d = Dashboard.builder().orchestrator(o).port(0).build().start()) {
                browser.call("Emulation.setDeviceMetricsOverride", java.util.Map.of("width", 1280, "height", 900,
                        "deviceScaleFactor", 1, "mobile", false));
                browser.open(d.url().resolve("/#/runs/" + run.id()));
                // wait in the page until the run is about half done (the page polls every 2 s)
                browser.waitFor("(() => { const b = document.querySelector('.stats b'); if (!b) return false;"
                        + " const n = parseInt(b.textContent); return n >= 4000 && n < 8000; })()", Duration.ofMinutes(3));
                browser.screenshot(out);
            }
        }
    }
}
