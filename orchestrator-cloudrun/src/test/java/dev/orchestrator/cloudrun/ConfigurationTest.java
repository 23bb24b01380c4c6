package dev.orchestrator.cloudrun;

import dev.orchestrator.JobSpec;
import dev.orchestrator.spi.Dispatch;
import dev.orchestrator.spi.Executor;
import dev.orchestrator.spi.ExecutorProvider;
import dev.orchestrator.spi.StatusUpdate;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Validation, builder and provider behaviour. */
class ConfigurationTest {

    static final String JOB = CloudRunExecutorTest.JOB;

    static Executor executorForValidation() {
        return new CloudRunExecutorProvider().create(Map.of("endpoint", "127.0.0.1:1", "plaintext", "true"));
    }

    @Test
    void validateAcceptsAGoodSpec() {
        try (Executor e = executorForValidation()) {
            e.validate(new JobSpec(List.of("a"), Map.of("K", "V"), null, Map.of("job", JOB, "timeout", "60",
                    "container", "worker")));
        }
    }

    @Test
    void validateNamesTheFieldAndTheRule() {
        try (Executor e = executorForValidation()) {
            assertThatThrownBy(() -> e.validate(JobSpec.options(Map.of())))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("options.job").hasMessageContaining("missing");
            assertThatThrownBy(() -> e.validate(JobSpec.options(Map.of("job", "projects/p/jobs/j"))))
                    .hasMessageContaining("options.job must name a Cloud Run job as projects/PROJECT/locations/REGION/jobs/JOB")
                    .hasMessageContaining("'projects/p/jobs/j'");
            assertThatThrownBy(() -> e.validate(JobSpec.options(Map.of("job", "projects/p/locations/l/jobs/"))))
                    .hasMessageContaining("options.job");
            assertThatThrownBy(() -> e.validate(JobSpec.options(Map.of("job", JOB, "timeout", "0"))))
                    .hasMessageContaining("options.timeout must be a whole number of seconds between 1 and 604800, got '0'");
            assertThatThrownBy(() -> e.validate(JobSpec.options(Map.of("job", JOB, "timeout", "ten"))))
                    .hasMessageContaining("options.timeout");
            assertThatThrownBy(() -> e.validate(JobSpec.options(Map.of("job", JOB, "jobb", "x"))))
                    .hasMessageContaining("[jobb]").hasMessageContaining("known options are [container, job, timeout]");
            assertThatThrownBy(() -> e.validate(JobSpec.options(Map.of("job", JOB)).withWorkingDirectory("/tmp")))
                    .hasMessageContaining("workingDirectory");
        }
    }

    @Test
    void theDefaultTlsTransportBuildsWithoutTouchingTheNetwork() {
        // Channels connect lazily: this checks that the default (TLS, Google endpoint) transport
        // can be set up with the module's trimmed dependencies.
        CloudRunExecutor.builder().credentialsProvider(com.google.api.gax.core.NoCredentialsProvider.create())
                .build().close();
    }

    @Test
    void builderRejectsBadValuesNamingThem() {
        var b = CloudRunExecutor.builder();
        assertThatThrownBy(() -> b.runJobsPerMinute(0)).hasMessage("runJobsPerMinute must be at least 1, got 0");
        assertThatThrownBy(() -> b.maxRunningExecutions(0)).hasMessage("maxRunningExecutions must be at least 1, got 0");
        assertThatThrownBy(() -> b.maxTasksPerExecution(10_001))
                .hasMessage("maxTasksPerExecution must be between 1 and 10000, got 10001");
        assertThatThrownBy(() -> b.pollInterval(Duration.ZERO)).hasMessage("pollInterval must be positive, got PT0S");
        assertThatThrownBy(() -> b.pollBackoff(0.5)).hasMessageContaining("pollBackoff");
        assertThatThrownBy(() -> b.heartbeatInterval(Duration.ofSeconds(-1))).hasMessageContaining("heartbeatInterval");
        assertThatThrownBy(() -> CloudRunExecutor.builder().pollInterval(Duration.ofSeconds(10))
                .maxPollInterval(Duration.ofSeconds(1)).build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("maxPollInterval");
        assertThatThrownBy(() -> b.runJobRate(0, Duration.ofSeconds(10)))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("runJobRate permits must be at least 1, got 0");
        assertThatThrownBy(() -> b.runJobRate(5, Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("runJobRate window must be positive, got PT0S");
        assertThatThrownBy(() -> b.retryBackoff(Duration.ofSeconds(5), Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("retryMaxDelay must be at least retryInitialDelay (PT5S), got PT1S");
        assertThatThrownBy(() -> b.readTimeout(Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("readTimeout must be positive, got PT0S");
        assertThatThrownBy(() -> b.runJobTimeout(Duration.ofSeconds(-1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("runJobTimeout must be positive, got PT-1S");
        assertThatThrownBy(() -> b.readsPerMinute(0))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("readsPerMinute must be at least 1, got 0");
        assertThatThrownBy(() -> b.readRate(0, Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("readRate permits must be at least 1, got 0");
        assertThatThrownBy(() -> b.clock(null)).isInstanceOf(NullPointerException.class).hasMessage("clock");
        assertThatThrownBy(() -> CloudRunExecutor.builder().usePlaintext(true).build())
                .isInstanceOf(IllegalStateException.class).hasMessage("usePlaintext needs an endpoint");
    }

    @Test
    void providerRejectsUnknownAndBadSettings() {
        var p = new CloudRunExecutorProvider();
        assertThatThrownBy(() -> p.create(Map.of("pollIntervall", "1s")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("[pollIntervall]");
        assertThatThrownBy(() -> p.create(Map.of("pollInterval", "soon")))
                .hasMessageContaining("pollInterval must be a duration").hasMessageContaining("'soon'");
        assertThatThrownBy(() -> p.create(Map.of("runJobsPerMinute", "many")))
                .hasMessage("runJobsPerMinute must be a whole number, got 'many'");
        assertThatThrownBy(() -> p.create(Map.of("runJobsPerMinute", "0")))
                .hasMessage("runJobsPerMinute must be at least 1, got 0");
        assertThatThrownBy(() -> p.create(Map.of("readTimeout", "soon")))
                .hasMessageContaining("readTimeout must be a duration");
        assertThatThrownBy(() -> p.create(Map.of("requireZeroMaxRetries", "maybe")))
                .hasMessage("requireZeroMaxRetries must be true or false, got 'maybe'");
        assertThatThrownBy(() -> p.create(Map.of("batching", "yes")))
                .hasMessage("batching must be true or false, got 'yes'");
        assertThatThrownBy(() -> p.create(Map.of("plaintext", "true")))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("usePlaintext needs an endpoint");
    }

    @Test
    void providerIsFoundWithServiceLoaderAndRunsTasksOverALoopbackChannel() throws Exception {
        ExecutorProvider provider = ServiceLoader.load(ExecutorProvider.class).stream()
                .map(ServiceLoader.Provider::get).filter(p -> p.type().equals("cloudrun")).findFirst().orElseThrow();
        assertThat(provider).isInstanceOf(CloudRunExecutorProvider.class);

        try (var fake = FakeCloudRun.loopback();
             Executor executor = provider.create(Map.of("endpoint", fake.endpoint(), "plaintext", "true",
                     "pollInterval", "20ms", "maxPollInterval", "PT0.1S", "runJobsPerMinute", "600"))) {
            assertThat(executor.type()).isEqualTo("cloudrun");
            var ds = IntStream.range(0, 3).mapToObj(i -> new Dispatch(
                    CloudRunExecutorTest.task(21, i, 3, CloudRunExecutorTest.SPEC), new RecordingSink())).toList();
            executor.startAll(ds);
            CloudRunExecutorTest.awaitEnded(ds);
            assertThat(ds).allSatisfy(d -> assertThat(CloudRunExecutorTest.sink(d).end().kind())
                    .isEqualTo(StatusUpdate.Kind.SUCCEEDED));
            assertThat(fake.runJobCalls()).hasSize(1);
            assertThat(fake.connections()).as("one channel for the Jobs, Executions and Tasks clients").isEqualTo(1);
            assertThat(fake.userAgents()).isNotEmpty().allSatisfy(ua -> assertThat(ua).contains("orchestrator-cloudrun/"));
        }
    }

    @Test
    void providerTakesACredentialsFile(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        var p = new CloudRunExecutorProvider();
        var file = dir.resolve("credentials.json");
        java.nio.file.Files.writeString(file, "{\"type\": \"authorized_user\", \"client_id\": \"id\", "
                + "\"client_secret\": \"secret\", \"refresh_token\": \"token\"}");

        p.create(Map.of("credentialsFile", file.toString())).close();

        assertThatThrownBy(() -> p.create(Map.of("credentialsFile", dir.resolve("missing.json").toString())))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("credentialsFile must name a readable JSON credentials file, got '");
    }
}
