package dev.orchestrator.spring;

import dev.orchestrator.AttemptOutcome;
import dev.orchestrator.Orchestrator;
import dev.orchestrator.RunHandle;
import dev.orchestrator.RunInfo;
import dev.orchestrator.RunStatus;
import dev.orchestrator.StepSpec;
import dev.orchestrator.TaskInfo;
import dev.orchestrator.TaskStatus;
import dev.orchestrator.WorkflowSpec;
import dev.orchestrator.jdbc.Dialect;
import dev.orchestrator.jdbc.JdbcStore;
import dev.orchestrator.jdbc.JdbcStoreOptions;
import dev.orchestrator.metrics.MicrometerMetrics;
import dev.orchestrator.spi.Executor;
import dev.orchestrator.spi.Store;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.actuate.info.Info;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** The auto-configuration on SQLite (a file per test), through {@link ApplicationContextRunner}. */
@ExtendWith(OutputCaptureExtension.class)
class OrchestratorAutoConfigurationTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    private String sqliteUrl(String file) {
        return "jdbc:sqlite:" + dir.resolve(file) + "?journal_mode=WAL&busy_timeout=5000";
    }

    private ApplicationContextRunner runner() {
        return new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class,
                        OrchestratorAutoConfiguration.class))
                .withPropertyValues("spring.datasource.url=" + sqliteUrl("app.db"));
    }

    private static WorkflowSpec recordingWorkflow(String name, String executor, int tasks) {
        return WorkflowSpec.of(name, StepSpec.builder("step", executor).tasks(tasks));
    }

    @Test
    void defaultConfigurationOnSqliteStartsTheSchedulerAndRunsAWorkflowBean() {
        runner().withBean("hello", WorkflowSpec.class,
                        () -> WorkflowSpec.of("hello", StepSpec.process("ok", "/bin/true").tasks(3)))
                .run(context -> {
                    assertThat(context).hasNotFailed().hasSingleBean(Orchestrator.class)
                            .hasSingleBean(JdbcStore.class).hasSingleBean(OrchestratorLifecycle.class);
                    assertThat(context.getBean(JdbcStore.class).dialect()).isEqualTo(Dialect.SQLITE);
                    // the URL's parameters (the README recommends them) reach SQLite
                    try (var c = context.getBean(javax.sql.DataSource.class).getConnection();
                         var rs = c.createStatement().executeQuery("PRAGMA journal_mode")) {
                        assertThat(rs.next()).isTrue();
                        assertThat(rs.getString(1)).isEqualToIgnoringCase("wal");
                    }
                    try (var c = context.getBean(javax.sql.DataSource.class).getConnection();
                         var rs = c.createStatement().executeQuery("PRAGMA busy_timeout")) {
                        assertThat(rs.next()).isTrue();
                        assertThat(rs.getInt(1)).isEqualTo(5000);
                    }
                    OrchestratorProperties defaults = context.getBean(OrchestratorProperties.class);
                    assertThat(defaults.getMaxConcurrency()).isEqualTo(64);
                    assertThat(defaults.getBatchSize()).isEqualTo(512);
                    assertThat(defaults.getShutdownTimeout()).isEqualTo(Duration.ofSeconds(25));
                    assertThat(defaults.getStore().getTablePrefix()).isEqualTo("orc_");

                    OrchestratorLifecycle lifecycle = context.getBean(OrchestratorLifecycle.class);
                    assertThat(lifecycle.isRunning()).isTrue();
                    assertThat(lifecycle.isSchedulerRunning()).isTrue();
                    assertThat(lifecycle.executorTypes()).contains("process", "recording");

                    Orchestrator orchestrator = context.getBean(Orchestrator.class);
                    assertThat(orchestrator.workflow("hello")).isPresent();
                    RunInfo run = orchestrator.trigger("hello").await(WAIT);
                    assertThat(run.status()).isEqualTo(RunStatus.SUCCEEDED);
                    assertThat(run.succeeded()).isEqualTo(3);
                });
    }

    @Test
    void anApplicationOrchestratorBeanWins() {
        String url = "jdbc:sqlite:" + dir.resolve("own.db");
        runner().withBean("myOrchestrator", Orchestrator.class, () -> Orchestrator.builder().storeUrl(url).build())
                .run(context -> {
                    assertThat(context).hasNotFailed().hasSingleBean(Orchestrator.class).hasBean("myOrchestrator")
                            .doesNotHaveBean(Store.class).doesNotHaveBean(OrchestratorLifecycle.class);
                });
    }

    @Test
    void anApplicationStoreBeanWins() {
        RecordingExecutor executor = new RecordingExecutor("bean");
        runner().withBean("myStore", Store.class, () -> JdbcStore.sqlite(dir.resolve("own.db")))
                .withBean("beanExecutor", Executor.class, () -> executor)
                .withBean("work", WorkflowSpec.class, () -> recordingWorkflow("work", "bean", 2))
                .run(context -> {
                    assertThat(context).hasNotFailed().hasSingleBean(Store.class).doesNotHaveBean("orchestratorStore");
                    Store store = context.getBean(Store.class);
                    RunInfo run = context.getBean(Orchestrator.class).trigger("work").await(WAIT);
                    assertThat(run.status()).isEqualTo(RunStatus.SUCCEEDED);
                    assertThat(store.findRun(run.id())).isPresent();
                    assertThat(executor.started).hasSize(2);
                });
    }

    @Test
    void enabledFalseConfiguresNothing() {
        runner().withPropertyValues("orchestrator.enabled=false")
                .run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(Orchestrator.class)
                        .doesNotHaveBean(Store.class).doesNotHaveBean(OrchestratorLifecycle.class)
                        .doesNotHaveBean(OrchestratorProperties.class));
    }

    @Test
    void clientOnlyModeNeverClaimsAndASchedulingNodeLaterRunsWhatItTriggered() {
        RecordingExecutor executor = new RecordingExecutor("bean");
        AtomicLong runId = new AtomicLong();
        ApplicationContextRunner runner = runner()
                .withPropertyValues("orchestrator.poll-interval=10ms", "orchestrator.max-poll-interval=10ms")
                .withBean("beanExecutor", Executor.class, () -> executor)
                .withBean("work", WorkflowSpec.class, () -> recordingWorkflow("work", "bean", 2));
        runner.withPropertyValues("orchestrator.scheduler.enabled=false").run(context -> {
            OrchestratorLifecycle lifecycle = context.getBean(OrchestratorLifecycle.class);
            assertThat(lifecycle.isRunning()).isTrue();
            assertThat(lifecycle.isSchedulerRunning()).isFalse();
            Orchestrator orchestrator = context.getBean(Orchestrator.class);
            RunHandle run = orchestrator.trigger("work");
            runId.set(run.id());
            // A started scheduler polling every 10 ms would have claimed these tasks a hundred times over.
            Thread.sleep(1_000);
            assertThat(run.status()).isEqualTo(RunStatus.PENDING);
            assertThat(orchestrator.tasks(run.id())).extracting(TaskInfo::status).containsOnly(TaskStatus.PENDING);
            assertThat(executor.started).isEmpty();
        });
        runner.run(context -> {
            RunInfo done = context.getBean(Orchestrator.class).run(runId.get()).orElseThrow().await(WAIT);
            assertThat(done.status()).isEqualTo(RunStatus.SUCCEEDED);
            assertThat(executor.started).hasSize(2);
        });
    }

    @Test
    void everyPropertyIsBoundAndReachesTheBuilder(CapturedOutput output) {
        runner().withPropertyValues(
                        "orchestrator.node-id=node-7",
                        "orchestrator.max-concurrency=7",
                        "orchestrator.batch-size=3",
                        "orchestrator.poll-interval=250ms",
                        "orchestrator.max-poll-interval=2s",
                        "orchestrator.heartbeat-interval=1s",
                        "orchestrator.node-lease=3s",
                        "orchestrator.shutdown-timeout=20s",
                        "orchestrator.cancel-grace=3s",
                        "orchestrator.retention=2h",
                        "spring.lifecycle.timeout-per-shutdown-phase=5s",
                        "orchestrator.scheduler.enabled=true",
                        "orchestrator.store.schema=ignored_on_sqlite",
                        "orchestrator.store.table-prefix=orc_",
                        "orchestrator.store.migrate=true",
                        "orchestrator.executor.recording.someKey=v1",
                        "orchestrator.executor.recording.other-key=v2")
                .withBean("rec", WorkflowSpec.class, () -> recordingWorkflow("rec", "recording", 1))
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    OrchestratorProperties p = context.getBean(OrchestratorProperties.class);
                    assertThat(p.isEnabled()).isTrue();
                    assertThat(p.getNodeId()).isEqualTo("node-7");
                    assertThat(p.getMaxConcurrency()).isEqualTo(7);
                    assertThat(p.getBatchSize()).isEqualTo(3);
                    assertThat(p.getPollInterval()).isEqualTo(Duration.ofMillis(250));
                    assertThat(p.getMaxPollInterval()).isEqualTo(Duration.ofSeconds(2));
                    assertThat(p.getHeartbeatInterval()).isEqualTo(Duration.ofSeconds(1));
                    assertThat(p.getNodeLease()).isEqualTo(Duration.ofSeconds(3));
                    assertThat(p.getShutdownTimeout()).isEqualTo(Duration.ofSeconds(20));
                    assertThat(p.getCancelGrace()).isEqualTo(Duration.ofSeconds(3));
                    assertThat(p.getRetention()).isEqualTo(Duration.ofHours(2));
                    assertThat(p.getScheduler().isEnabled()).isTrue();
                    assertThat(p.getStore().getSchema()).isEqualTo("ignored_on_sqlite");
                    assertThat(p.getStore().getTablePrefix()).isEqualTo("orc_");
                    assertThat(p.getStore().isMigrate()).isTrue();
                    Map<String, String> executorConfig = Map.of("someKey", "v1", "other-key", "v2");
                    assertThat(p.getExecutor()).containsExactly(Map.entry("recording", executorConfig));

                    // What reached the builder: its start-up line, and the provider's configuration.
                    assertThat(output).contains("node=node-7 store=JdbcStore maxConcurrency=7 batchSize=3 "
                            + "pollInterval=PT0.25S maxPollInterval=PT2S heartbeatInterval=PT1S nodeLease=PT3S "
                            + "shutdownTimeout=PT4S cancelGrace=PT3S retention=PT2H");
                    assertThat(RecordingExecutorProvider.lastConfig).isEqualTo(executorConfig);
                    assertThat(context.getBean(OrchestratorLifecycle.class).nodeId()).isEqualTo("node-7");
                });
    }

    @Test
    void customizersRunLastAndEveryListenerBeanObservesTheScheduler(CapturedOutput output) {
        java.util.List<String> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
        runner().withPropertyValues("orchestrator.max-concurrency=5")
                .withBean("customizer", OrchestratorBuilderCustomizer.class, () -> builder -> builder.maxConcurrency(3))
                .withBean("failing", dev.orchestrator.OrchestratorListener.class, () -> new dev.orchestrator.OrchestratorListener() {
                    @Override
                    public void ended(String executor, AttemptOutcome outcome, Duration runtime) {
                        throw new IllegalStateException("listener failure");
                    }
                })
                .withBean("recording", dev.orchestrator.OrchestratorListener.class, () -> new dev.orchestrator.OrchestratorListener() {
                    @Override
                    public void ended(String executor, AttemptOutcome outcome, Duration runtime) {
                        seen.add(executor + " " + outcome);
                    }
                })
                .withBean("work", WorkflowSpec.class, () -> recordingWorkflow("work", "recording", 2))
                .run(context -> {
                    assertThat(context.getBean(Orchestrator.class).trigger("work").await(WAIT).status())
                            .isEqualTo(RunStatus.SUCCEEDED);
                    await().atMost(WAIT).untilAsserted(() -> assertThat(seen)
                            .containsExactly("recording SUCCEEDED", "recording SUCCEEDED"));
                    assertThat(output).contains("maxConcurrency=3 ");
                });
    }

    @Test
    void storePropertiesBecomeStoreOptions() {
        OrchestratorProperties.Store store = new OrchestratorProperties.Store();
        store.setSchema("app_orchestrator");
        store.setMigrate(false);
        JdbcStoreOptions options = OrchestratorFactory.storeOptions(store);
        assertThat(options.schema()).isEqualTo("app_orchestrator");
        assertThat(options.migrate()).isFalse();
    }

    @Test
    void shutdownTimeoutEndsWithinTheShutdownPhase() {
        Duration phase = Duration.ofSeconds(30);
        assertThat(OrchestratorFactory.shutdownTimeout(Duration.ofSeconds(25), phase)).isEqualTo(Duration.ofSeconds(25));
        assertThat(OrchestratorFactory.shutdownTimeout(Duration.ofSeconds(60), phase)).isEqualTo(Duration.ofSeconds(25));
        assertThat(OrchestratorFactory.shutdownTimeout(Duration.ofSeconds(20), Duration.ofSeconds(5)))
                .isEqualTo(Duration.ofSeconds(4));
        assertThat(OrchestratorFactory.shutdownTimeout(Duration.ofSeconds(20), Duration.ZERO)).isEqualTo(Duration.ZERO);
        assertThat(OrchestratorFactory.shutdownTimeout(Duration.ZERO, phase)).isEqualTo(Duration.ZERO);
    }

    @Test
    void healthInfoAndMetricsWithActuator() {
        runner().withConfiguration(AutoConfigurations.of(MetricsAutoConfiguration.class,
                        SimpleMetricsExportAutoConfiguration.class, CompositeMeterRegistryAutoConfiguration.class,
                        OrchestratorMetricsAutoConfiguration.class, OrchestratorHealthAutoConfiguration.class,
                        OrchestratorInfoAutoConfiguration.class))
                .withPropertyValues("orchestrator.node-id=health-node")
                .withBean("hello", WorkflowSpec.class,
                        () -> WorkflowSpec.of("hello", StepSpec.process("ok", "/bin/true")))
                .run(context -> {
                    assertThat(context).hasNotFailed().hasSingleBean(MicrometerMetrics.class)
                            .hasSingleBean(OrchestratorHealthIndicator.class)
                            .hasSingleBean(OrchestratorInfoContributor.class);
                    assertThat(context.getBean(Orchestrator.class).trigger("hello").await(WAIT).status())
                            .isEqualTo(RunStatus.SUCCEEDED);
                    MeterRegistry registry = context.getBean(MeterRegistry.class);
                    await().atMost(WAIT).untilAsserted(() -> assertThat(registry.find("orchestrator.tasks.ended")
                            .tag("executor", "process").tag("outcome", AttemptOutcome.SUCCEEDED.name()).timer())
                            .isNotNull().extracting(t -> t.count()).isEqualTo(1L));

                    OrchestratorHealthIndicator health = context.getBean(OrchestratorHealthIndicator.class);
                    Health up = health.health(true);
                    assertThat(up.getStatus()).isEqualTo(Status.UP);
                    assertThat(up.getDetails()).containsEntry("workflows", 1).containsEntry("nodeId", "health-node")
                            .containsEntry("mode", "scheduler").containsEntry("scheduler", "running")
                            .containsEntry("fenced", false).containsEntry("schedulerLoopAlive", true)
                            .containsEntry("heartbeatThreadAlive", true).containsKey("heartbeatAgeMillis");

                    Info.Builder info = new Info.Builder();
                    context.getBean(OrchestratorInfoContributor.class).contribute(info);
                    assertThat(info.build().getDetails().get("orchestrator")).isEqualTo(Map.of(
                            "version", StarterBuild.version(), "nodeId", "health-node",
                            "mode", "scheduler", "executorTypes", java.util.List.of("process", "recording")));
                    assertThat(StarterBuild.version()).isNotEqualTo("unknown");

                    context.getBean(OrchestratorLifecycle.class).stop();
                    Health down = health.health(true);
                    assertThat(down.getStatus()).isEqualTo(Status.DOWN);
                    assertThat(down.getDetails()).containsEntry("scheduler", "stopped");
                });
    }

    @Test
    void healthIsDownWhenTheStoreCannotBeReached() {
        runner().withConfiguration(AutoConfigurations.of(OrchestratorHealthAutoConfiguration.class,
                        OrchestratorInfoAutoConfiguration.class))
                .withPropertyValues("orchestrator.scheduler.enabled=false")
                .run(context -> {
                    OrchestratorHealthIndicator health = context.getBean(OrchestratorHealthIndicator.class);
                    Health client = health.health(true);
                    assertThat(client.getStatus()).isEqualTo(Status.UP);
                    assertThat(client.getDetails()).containsEntry("mode", "client").containsEntry("scheduler", "disabled");

                    context.getBean(com.zaxxer.hikari.HikariDataSource.class).close();
                    Health down = health.health(true);
                    assertThat(down.getStatus()).isEqualTo(Status.DOWN);
                    assertThat(down.getDetails()).containsKey("error");
                });
    }

    @Test
    void withoutActuatorNorMicrometerTheOrchestratorStillStarts() {
        // Imported as an application imports them, so that Spring Boot's class condition filter applies.
        new ApplicationContextRunner()
                .withClassLoader(new org.springframework.boot.test.context.FilteredClassLoader(
                        "org.springframework.boot.health", "org.springframework.boot.actuate", "io.micrometer",
                        "org.springframework.boot.micrometer"))
                .withPropertyValues("spring.datasource.url=" + sqliteUrl("app.db"))
                .withUserConfiguration(AllOrchestratorAutoConfigurations.class)
                .run(context -> {
                    assertThat(context).hasNotFailed().hasSingleBean(Orchestrator.class)
                            .hasSingleBean(OrchestratorLifecycle.class);
                    assertThat(context.getBeanNamesForType(OrchestratorHealthIndicator.class)).isEmpty();
                    assertThat(context.getBeanNamesForType(OrchestratorInfoContributor.class)).isEmpty();
                    assertThat(context.getBeanNamesForType(MicrometerMetrics.class)).isEmpty();
                });
    }

    @Test
    void healthAndInfoCanBeTurnedOff() {
        runner().withConfiguration(AutoConfigurations.of(OrchestratorHealthAutoConfiguration.class,
                        OrchestratorInfoAutoConfiguration.class))
                .withPropertyValues("management.health.orchestrator.enabled=false",
                        "management.info.orchestrator.enabled=false")
                .run(context -> assertThat(context).hasNotFailed().hasSingleBean(Orchestrator.class)
                        .doesNotHaveBean(OrchestratorHealthIndicator.class)
                        .doesNotHaveBean(OrchestratorInfoContributor.class));
    }

    @Test
    void theOrchestratorIsClosedBeforeTheDataSource() {
        java.util.List<String> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
        java.util.concurrent.atomic.AtomicReference<org.springframework.context.ApplicationContext> ref =
                new java.util.concurrent.atomic.AtomicReference<>();
        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(OrchestratorAutoConfiguration.class))
                .withBean("dataSource", javax.sql.DataSource.class, () -> {
                    var config = new com.zaxxer.hikari.HikariConfig();
                    config.setJdbcUrl(sqliteUrl("close.db"));
                    return new com.zaxxer.hikari.HikariDataSource(config) {
                        @Override
                        public void close() {
                            var context = ref.get();
                            seen.add("lifecycle running: " + context.getBean(OrchestratorLifecycle.class).isRunning());
                            try {
                                context.getBean(Orchestrator.class).deleteWorkflow("none");
                                seen.add("orchestrator open");
                            } catch (IllegalStateException e) {
                                seen.add("orchestrator " + e.getMessage());
                            }
                            super.close();
                        }
                    };
                })
                .run(context -> {
                    ref.set(context);
                    assertThat(context.getBean(OrchestratorLifecycle.class).isSchedulerRunning()).isTrue();
                });
        assertThat(seen).containsExactly("lifecycle running: false", "orchestrator orchestrator is closed");
    }

    @Test
    void aBadValueFailsStartUpNamingItsProperty() {
        String[][] cases = {
                {"orchestrator.max-concurrency=0", "orchestrator.max-concurrency", "maxConcurrency must be between 1 and 100000, got 0"},
                {"orchestrator.batch-size=20000", "orchestrator.batch-size", "batchSize must be between 1 and 10000, got 20000"},
                {"orchestrator.poll-interval=1ms", "orchestrator.poll-interval", "pollInterval must be at least"},
                {"orchestrator.max-poll-interval=1s", "orchestrator.max-poll-interval", "must be at least pollInterval"},
                {"orchestrator.heartbeat-interval=-1s", "orchestrator.heartbeat-interval", "heartbeatInterval must be at least"},
                {"orchestrator.node-lease=1s", "orchestrator.node-lease", "must be longer than heartbeatInterval"},
                {"orchestrator.shutdown-timeout=-1s", "orchestrator.shutdown-timeout", "shutdownTimeout must be at least"},
                {"orchestrator.cancel-grace=-1s", "orchestrator.cancel-grace", "cancelGrace must be at least"},
                {"orchestrator.retention=10s", "orchestrator.retention", "retention must be at least"},
                {"orchestrator.store.schema=no-dashes", "orchestrator.store.schema", "schema must be 1 to 63 letters"},
                {"orchestrator.store.table-prefix=App-", "orchestrator.store.table-prefix", "tablePrefix must be"},
        };
        for (String[] c : cases) {
            runner().withPropertyValues(c[0]).run(context -> {
                assertThat(context).as(c[0]).hasFailed();
                Throwable failure = context.getStartupFailure();
                var analysis = new InvalidOrchestratorPropertyFailureAnalyzer().analyze(failure);
                assertThat(analysis).as(c[0]).isNotNull();
                assertThat(analysis.getDescription()).as(c[0]).contains("Property: " + c[1]).contains(c[2]);
                assertThat(analysis.getAction()).as(c[0]).contains(c[1]);
            });
        }
    }

    @Test
    void aWorkflowBeanTheOrchestratorRefusesFailsStartUp() {
        runner().withBean("bad", WorkflowSpec.class, () -> recordingWorkflow("bad", "nope", 1)).run(context -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure()).hasStackTraceContaining("executor type 'nope' is unknown");
        });
    }

    @Test
    void withoutADataSourceNorAStoreTheFailureSaysWhatToConfigure() {
        new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(OrchestratorAutoConfiguration.class))
                .run(context -> {
                    assertThat(context).hasFailed();
                    assertThat(context.getStartupFailure()).hasStackTraceContaining(
                            "no Store to build on. Configure one DataSource");
                });
    }

    @Test
    void aValueOfTheWrongTypeFailsBindingNamingItsProperty() {
        runner().withPropertyValues("orchestrator.max-concurrency=many").run(context -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure()).rootCause().hasMessageContaining("many");
            assertThat(context.getStartupFailure()).hasStackTraceContaining("orchestrator.max-concurrency");
        });
    }

    @Test
    void failureAnalysisIsReportedWhenTheApplicationStarts(CapturedOutput output) {
        SpringApplication application = new SpringApplication(MinimalApplication.class);
        application.setWebApplicationType(WebApplicationType.NONE);
        assertThatThrownBy(() -> application.run("--spring.datasource.url=" + sqliteUrl("app.db"),
                "--orchestrator.batch-size=0", "--spring.main.banner-mode=off")).isNotNull();
        assertThat(output).contains("APPLICATION FAILED TO START")
                .contains("Property: orchestrator.batch-size")
                .contains("batchSize must be between 1 and 10000, got 0")
                .contains("Update the value of 'orchestrator.batch-size'");
    }

    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class MinimalApplication {
    }

    @org.springframework.boot.autoconfigure.ImportAutoConfiguration({DataSourceAutoConfiguration.class,
            OrchestratorAutoConfiguration.class, OrchestratorMetricsAutoConfiguration.class,
            OrchestratorHealthAutoConfiguration.class, OrchestratorInfoAutoConfiguration.class})
    static class AllOrchestratorAutoConfigurations {
    }
}
