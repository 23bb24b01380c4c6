package dev.orchestrator.examples;

import com.google.api.gax.core.NoCredentialsProvider;
import dev.orchestrator.StepSpec;
import dev.orchestrator.WorkflowSpec;
import dev.orchestrator.cloudrun.CloudRunExecutor;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Checks {@link CloudRunExample}'s configuration without Google Cloud: nothing here calls the API. */
class CloudRunExampleTest {

    static final Map<String, String> ENV = Map.of(
            "GOOGLE_CLOUD_PROJECT", "acme-prod",
            "CLOUD_RUN_REGION", "europe-west1",
            "CLOUD_RUN_JOB", "worker");

    @Test
    void aMissingProjectGivesAUsageErrorNamingTheArgumentAndTheVariable() {
        assertThatThrownBy(() -> CloudRunExample.Config.from(new String[0],
                Map.of("CLOUD_RUN_REGION", "europe-west1", "CLOUD_RUN_JOB", "worker")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("missing PROJECT: pass it as argument 1 or set GOOGLE_CLOUD_PROJECT")
                .hasMessageContaining("usage: CloudRunExample [PROJECT REGION JOB]");
    }

    @Test
    void aMissingJobGivesAUsageError() {
        assertThatThrownBy(() -> CloudRunExample.Config.from(new String[0],
                Map.of("GOOGLE_CLOUD_PROJECT", "acme-prod", "CLOUD_RUN_REGION", "europe-west1", "CLOUD_RUN_JOB", " ")))
                .hasMessageStartingWith("missing JOB: pass it as argument 3 or set CLOUD_RUN_JOB")
                .hasMessageContaining("usage:");
    }

    @Test
    void aWrongNumberOfArgumentsOrAFullResourceNameAsJobIsRejected() {
        assertThatThrownBy(() -> CloudRunExample.Config.from(new String[] {"acme-prod", "europe-west1"}, Map.of()))
                .hasMessageStartingWith("expected no arguments or exactly 3 (PROJECT REGION JOB), got 2");
        assertThatThrownBy(() -> CloudRunExample.Config.from(
                new String[] {"acme-prod", "europe-west1", "projects/acme-prod/locations/europe-west1/jobs/worker"},
                Map.of()))
                .hasMessageStartingWith("JOB must be a Cloud Run job name such as worker");
    }

    @Test
    void argumentsWinOverTheEnvironmentAndDefaultsApply() {
        var config = CloudRunExample.Config.from(new String[] {"other", "us-central1", "batch-2"}, ENV);
        assertThat(config.jobName()).isEqualTo("projects/other/locations/us-central1/jobs/batch-2");
        assertThat(config.storeUrl()).isEqualTo("jdbc:sqlite:cloudrun-example.db");
        assertThat(config.credentialsFile()).isNull();

        var fromEnv = CloudRunExample.Config.from(new String[0], Map.of("GOOGLE_CLOUD_PROJECT", "acme-prod",
                "CLOUD_RUN_REGION", "europe-west1", "CLOUD_RUN_JOB", "worker",
                "ORCHESTRATOR_STORE_URL", "jdbc:postgresql://db:5432/orchestrator?user=orch",
                "CLOUD_RUN_CREDENTIALS", "/secrets/sa.json"));
        assertThat(fromEnv.jobName()).isEqualTo("projects/acme-prod/locations/europe-west1/jobs/worker");
        assertThat(fromEnv.storeUrl()).isEqualTo("jdbc:postgresql://db:5432/orchestrator?user=orch");
        assertThat(fromEnv.credentialsFile()).isEqualTo(Path.of("/secrets/sa.json"));
    }

    @Test
    void theExampleWorkflowIsValidForTheCloudRunExecutor() {
        WorkflowSpec spec = CloudRunExample.workflow(CloudRunExample.Config.from(new String[0], ENV));
        StepSpec step = spec.steps().getFirst();
        assertThat(step.executor()).isEqualTo("cloudrun");
        assertThat(step.taskCount()).isEqualTo(1_000);
        assertThat(step.job().options()).containsEntry("job", "projects/acme-prod/locations/europe-west1/jobs/worker");
        // A plaintext executor to an unused address: building it opens no connection and needs no credentials.
        try (CloudRunExecutor executor = CloudRunExecutor.builder().endpoint("127.0.0.1:9")
                .usePlaintext(true).credentialsProvider(NoCredentialsProvider.create()).build()) {
            executor.validate(step.job());
        }
    }
}
