package dev.orchestrator.examples;

import com.google.api.gax.core.CredentialsProvider;
import com.google.api.gax.core.FixedCredentialsProvider;
import com.google.auth.oauth2.ServiceAccountCredentials;
import dev.orchestrator.JobSpec;
import dev.orchestrator.Orchestrator;
import dev.orchestrator.RetryPolicy;
import dev.orchestrator.RunHandle;
import dev.orchestrator.RunInfo;
import dev.orchestrator.StepSpec;
import dev.orchestrator.TaskInfo;
import dev.orchestrator.TaskStatus;
import dev.orchestrator.TriggerOptions;
import dev.orchestrator.WorkflowSpec;
import dev.orchestrator.cloudrun.CloudRunExecutor;
import dev.orchestrator.cloudrun.CloudRunExecutorBuilder;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;

/**
 * Runs a step of 1,000 tasks as Google Cloud Run Jobs executions in a real project: the
 * configuration a user needs (project, region, job, credentials, quotas, batching, store).
 *
 * <pre>
 * java ... dev.orchestrator.examples.CloudRunExample [PROJECT REGION JOB]
 * </pre>
 *
 * <p>Each value comes from its argument, else from the environment:
 * <table>
 *   <caption>Configuration</caption>
 *   <tr><th>argument</th><th>environment</th><th>meaning</th></tr>
 *   <tr><td>1</td><td>{@code GOOGLE_CLOUD_PROJECT}</td><td>project id, such as {@code my-project}</td></tr>
 *   <tr><td>2</td><td>{@code CLOUD_RUN_REGION}</td><td>region of the job, such as {@code europe-west1}</td></tr>
 *   <tr><td>3</td><td>{@code CLOUD_RUN_JOB}</td><td>name of an existing Cloud Run job, such as {@code worker}</td></tr>
 *   <tr><td></td><td>{@code ORCHESTRATOR_STORE_URL}</td><td>default {@code jdbc:sqlite:cloudrun-example.db};
 *       for several nodes {@code jdbc:postgresql://HOST:5432/DB?user=USER&password=PASSWORD}</td></tr>
 *   <tr><td></td><td>{@code CLOUD_RUN_CREDENTIALS}</td><td>optional path of a service-account key file;
 *       without it, Application Default Credentials</td></tr>
 * </table>
 *
 * <p>The job must exist ({@code gcloud run jobs create worker --image=... --region=... --tasks=1
 * --parallelism=0 --max-retries=0}). Its container computes its orchestrator task index as
 * {@code ORCHESTRATOR_TASK_INDEX_OFFSET + CLOUD_RUN_TASK_INDEX} and reads the run's parameters from
 * its environment; exit code 0 is success. The caller needs {@code run.jobs.run} and
 * {@code run.jobs.runWithOverrides}, {@code run.jobs.get}, {@code run.executions.get/list/cancel}
 * and {@code run.tasks.list} on the job (role
 * {@code roles/run.developer}, or {@code roles/run.invoker} plus viewer rights).
 *
 * <p>This example talks to the real Cloud Run API and is not run by the tests.
 */
public final class CloudRunExample {

    static final String USAGE = """
            usage: CloudRunExample [PROJECT REGION JOB]
              PROJECT  Google Cloud project id, e.g. my-project  (or env GOOGLE_CLOUD_PROJECT)
              REGION   Cloud Run region, e.g. europe-west1       (or env CLOUD_RUN_REGION)
              JOB      name of an existing Cloud Run job         (or env CLOUD_RUN_JOB)
            optional env: ORCHESTRATOR_STORE_URL (default jdbc:sqlite:cloudrun-example.db),
                          CLOUD_RUN_CREDENTIALS (service-account key file; default: Application Default Credentials)""";

    /** Tasks of the example's step. */
    static final int TASKS = 1_000;

    private static final Pattern ID = Pattern.compile("[a-z][a-z0-9-]*[a-z0-9]");

    private CloudRunExample() {
    }

    /** A missing or malformed setting; the message says which and how to give it. */
    static final class UsageException extends IllegalArgumentException {
        private static final long serialVersionUID = 1L;

        UsageException(String message) {
            super(message + "\n" + USAGE);
        }
    }

    /**
     * The example's settings.
     *
     * @param project         Google Cloud project id
     * @param region          Cloud Run region
     * @param job             Cloud Run job name (not the full resource name)
     * @param storeUrl        JDBC URL of the orchestrator's store
     * @param credentialsFile service-account key file, or {@code null} for Application Default Credentials
     */
    record Config(String project, String region, String job, String storeUrl, Path credentialsFile) {

        /** The job's resource name, as a step's {@code options.job} names it. */
        String jobName() {
            return "projects/" + project + "/locations/" + region + "/jobs/" + job;
        }

        /**
         * Reads arguments, falling back on the environment.
         *
         * @throws UsageException naming what is missing or malformed
         */
        static Config from(String[] args, Map<String, String> env) {
            if (args.length != 0 && args.length != 3) {
                throw new UsageException("expected no arguments or exactly 3 (PROJECT REGION JOB), got " + args.length);
            }
            String project = value(args, 0, env, "GOOGLE_CLOUD_PROJECT", "PROJECT");
            String region = value(args, 1, env, "CLOUD_RUN_REGION", "REGION");
            String job = value(args, 2, env, "CLOUD_RUN_JOB", "JOB");
            // Project ids may also contain dots and colons (domain-scoped projects); keep the check loose there.
            if (project.chars().anyMatch(c -> c == '/' || Character.isWhitespace(c))) {
                throw new UsageException("PROJECT must be a project id such as my-project, got '" + project + "'");
            }
            if (!ID.matcher(region).matches()) {
                throw new UsageException("REGION must be a region such as europe-west1, got '" + region + "'");
            }
            if (!ID.matcher(job).matches()) {
                throw new UsageException("JOB must be a Cloud Run job name such as worker (lower-case letters, "
                        + "digits and hyphens), got '" + job + "'");
            }
            String storeUrl = env.getOrDefault("ORCHESTRATOR_STORE_URL", "jdbc:sqlite:cloudrun-example.db");
            String credentials = env.get("CLOUD_RUN_CREDENTIALS");
            Path credentialsFile = credentials == null || credentials.isBlank() ? null : Path.of(credentials);
            return new Config(project, region, job, storeUrl, credentialsFile);
        }

        private static String value(String[] args, int i, Map<String, String> env, String variable, String name) {
            String v = args.length > i ? args[i] : env.get(variable);
            if (v == null || v.isBlank()) {
                throw new UsageException("missing " + name + ": pass it as argument " + (i + 1) + " or set " + variable);
            }
            return v.trim();
        }
    }

    public static void main(String[] args) throws Exception {
        Config config;
        try {
            config = Config.from(args, System.getenv());
        } catch (UsageException e) {
            System.err.println("error: " + e.getMessage());
            System.exit(2);
            return;
        }
        run(config);
    }

    /**
     * The Cloud Run executor for a real project. Every setting below is optional; the values shown
     * are the defaults unless a comment says otherwise.
     */
    static CloudRunExecutor executor(Config config) throws IOException {
        CloudRunExecutorBuilder builder = CloudRunExecutor.builder()
                // Cloud Run's default RunJob quota is about 180 a minute per project and region; the
                // limiter counts retries too. Lower it if other clients share the quota.
                .runJobsPerMinute(180)
                // Cloud Run allows 1,000 running executions per project and region; further starts wait.
                .maxRunningExecutions(1_000)
                // Claimed tasks of one step of one run with contiguous indexes run as one execution
                // (taskCount = k); batching(false) starts one execution per task instead.
                .batching(true)
                .maxTasksPerExecution(10_000)
                // One GetExecution per execution (never per task): first after 5 s, growing by 1.5x
                // while nothing changes, up to 60 s.
                .pollInterval(Duration.ofSeconds(5))
                .maxPollInterval(Duration.ofSeconds(60))
                .pollBackoff(1.5)
                // Running tasks report a heartbeat this often (for steps with a heartbeatTimeout).
                .heartbeatInterval(Duration.ofSeconds(30))
                // UNAVAILABLE, RESOURCE_EXHAUSTED and DEADLINE_EXCEEDED are retried with jittered
                // exponential backoff for up to 10 minutes; PERMISSION_DENIED, NOT_FOUND and
                // INVALID_ARGUMENT fail the tasks at once with the API's message.
                .retryBackoff(Duration.ofSeconds(1), Duration.ofSeconds(32))
                .retryTimeout(Duration.ofMinutes(10));
        // Credentials: by default Application Default Credentials (GOOGLE_APPLICATION_CREDENTIALS,
        // `gcloud auth application-default login`, or the metadata server on Google Cloud). To use
        // credentials of your own, pass any gax CredentialsProvider, here from a service-account key
        // file. (GoogleCredentials.fromStream(in) also reads such a file, but Google marks it obsolete
        // for files you do not fully trust; prefer the type-specific loader.)
        if (config.credentialsFile() != null) {
            builder.credentialsProvider(serviceAccount(config.credentialsFile()));
        }
        // Tests and emulators: .endpoint("127.0.0.1:8080").usePlaintext(true)
        return builder.build();
    }

    private static CredentialsProvider serviceAccount(Path keyFile) throws IOException {
        try (InputStream in = Files.newInputStream(keyFile)) {
            var credentials = ServiceAccountCredentials.fromStream(in)
                    .createScoped(List.of("https://www.googleapis.com/auth/cloud-platform"));
            return FixedCredentialsProvider.create(credentials);
        } catch (IOException e) {
            throw new IOException("cannot read the service-account key file " + keyFile + " (CLOUD_RUN_CREDENTIALS): "
                    + e, e);
        }
    }

    /** The example's workflow: one Cloud Run step of {@value #TASKS} tasks. */
    static WorkflowSpec workflow(Config config) {
        JobSpec job = new JobSpec(
                // Overrides the container's arguments for every execution of this step.
                List.of("--input", "gs://" + config.project() + "-data/shards", "--output", "gs://" + config.project() + "-results"),
                // Added to the container's environment (run parameters are added too, see below).
                Map.of("LOG_LEVEL", "info"),
                null, // Cloud Run cannot override the working directory
                Map.of(
                        "job", config.jobName(),
                        // Per-task timeout override in seconds; without it, the step's timeout (if any) is used.
                        "timeout", "1800"));
        return WorkflowSpec.of("cloudrun-shards", StepSpec.builder("process-shard", CloudRunExecutor.TYPE)
                .job(job)
                .tasks(TASKS)
                // The orchestrator retries failed tasks (set the job's own --max-retries to 0). Retries
                // of contiguous failed indexes are batched into one execution again.
                .retry(new RetryPolicy(3, Duration.ofSeconds(30), Duration.ofMinutes(5)))
                // Longest one attempt may run, from its claim; Cloud Run stops the execution's tasks at
                // options.timeout, and the orchestrator cancels the execution past this.
                .timeout(Duration.ofHours(1)));
    }

    static void run(Config config) throws Exception {
        System.out.printf("Cloud Run job %s, store %s, credentials %s%n", config.jobName(), config.storeUrl(),
                config.credentialsFile() == null ? "Application Default Credentials" : config.credentialsFile());
        // The host owns an executor it builds: close it after the orchestrator (resources close in reverse order).
        try (CloudRunExecutor executor = executor(config);
             Orchestrator orchestrator = Orchestrator.builder()
                     .storeUrl(config.storeUrl())
                     .executor(executor)
                     // Every attempt in flight takes one slot, also while it waits in Cloud Run. One claim
                     // of up to batchSize ready tasks becomes one execution per contiguous index range,
                     // so give a Cloud Run node many slots and a big claim: here the whole step is
                     // claimed at once and runs as a single execution of 1,000 tasks.
                     .maxConcurrency(10_000)
                     .batchSize(TASKS)
                     // Executions outlive this process. After a crash (or close() with tasks in flight),
                     // another node on the same database, or this one restarted, adopts the running
                     // executions once the lease expires, without starting them again.
                     .heartbeatInterval(Duration.ofSeconds(10))
                     .nodeLease(Duration.ofSeconds(60))
                     // Do not wait for Cloud Run on close: its executions keep running and are adopted.
                     .shutdownTimeout(Duration.ofSeconds(5))
                     .build()) {
            orchestrator.start();
            orchestrator.register(workflow(config));

            // Per-run values: every task's container gets each parameter k as the environment variable
            // ORCHESTRATOR_PARAM_k (here ORCHESTRATOR_PARAM_DATE and ORCHESTRATOR_PARAM_MODE), next to
            // ORCHESTRATOR_RUN_ID, ORCHESTRATOR_ATTEMPT,
            // ORCHESTRATOR_TASK_COUNT, ORCHESTRATOR_WORKFLOW, ORCHESTRATOR_STEP and
            // ORCHESTRATOR_TASK_INDEX_OFFSET. The idempotency key makes a re-run of this program on the
            // same day return the same run instead of starting the work twice.
            String date = LocalDate.now().toString();
            RunHandle run = orchestrator.trigger("cloudrun-shards", TriggerOptions.builder()
                    .param("DATE", date)
                    .param("MODE", "full")
                    .idempotencyKey("shards-" + date)
                    .triggeredBy("api:cloudrun-example")
                    .build());
            System.out.printf("%s run %d of cloudrun-shards (%d tasks)%n",
                    run.created() ? "Triggered" : "Following the existing", run.id(), TASKS);

            RunInfo done = awaitWithProgress(run);
            printSummary(done, orchestrator.tasks(run.id()));
        }
    }

    private static RunInfo awaitWithProgress(RunHandle run) throws InterruptedException {
        while (true) {
            try {
                return run.await(Duration.ofSeconds(15));
            } catch (TimeoutException stillRunning) {
                RunInfo i = run.info();
                System.out.printf("  %s: %d/%d ended (%d succeeded, %d failed)%n", i.status(), i.finished(),
                        i.taskCount(), i.succeeded(), i.failed());
            }
        }
    }

    private static void printSummary(RunInfo run, List<TaskInfo> tasks) {
        long executions = tasks.stream().map(TaskInfo::executionName).filter(Objects::nonNull).distinct().count();
        Duration took = run.startedAt() == null || run.finishedAt() == null ? Duration.ZERO
                : Duration.between(run.startedAt(), run.finishedAt());
        System.out.printf("%nRun %d ended %s in %s: %d tasks, %d succeeded, %d failed, in %d Cloud Run execution(s)%n",
                run.id(), run.status(), took, run.taskCount(), run.succeeded(), run.failed(), executions);
        tasks.stream().filter(t -> t.status() == TaskStatus.FAILED).limit(20).forEach(t ->
                System.out.printf("  task %d failed after %d attempt(s), exit code %s: %s%n",
                        t.taskIndex(), t.attempt(), t.exitCode(), t.error()));
    }
}
