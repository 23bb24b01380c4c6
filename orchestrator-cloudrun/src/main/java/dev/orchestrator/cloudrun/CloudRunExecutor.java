package dev.orchestrator.cloudrun;

import com.google.api.gax.core.CredentialsProvider;
import com.google.api.gax.core.NoCredentialsProvider;
import com.google.api.gax.grpc.InstantiatingGrpcChannelProvider;
import com.google.api.gax.rpc.TransportChannelProvider;
import com.google.cloud.run.v2.ExecutionsClient;
import com.google.cloud.run.v2.ExecutionsSettings;
import com.google.cloud.run.v2.JobsClient;
import com.google.cloud.run.v2.JobsSettings;
import com.google.cloud.run.v2.TasksClient;
import com.google.cloud.run.v2.TasksSettings;
import dev.orchestrator.JobSpec;
import dev.orchestrator.cloudrun.internal.Batching;
import dev.orchestrator.cloudrun.internal.CloudRunEngine;
import dev.orchestrator.cloudrun.internal.JobOptions;
import dev.orchestrator.cloudrun.internal.Settings;
import dev.orchestrator.spi.Dispatch;
import dev.orchestrator.spi.Executor;
import dev.orchestrator.spi.StatusSink;
import dev.orchestrator.spi.TaskContext;
import io.grpc.ManagedChannelBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Runs tasks as Google Cloud Run Jobs executions: the executor of type {@value #TYPE}.
 *
 * <p>A step names its job in {@code options.job} as {@code projects/PROJECT/locations/REGION/jobs/JOB};
 * {@link JobSpec#command()} overrides the container's arguments, {@link JobSpec#environment()} is
 * added to its environment, {@code options.timeout} (seconds) overrides the per-task timeout and
 * {@code options.container} picks the container to override in a job with several.
 *
 * <p><b>Batching.</b> Attempts handed over together by {@link #startAll} that belong to the same
 * run, step and attempt number and have contiguous task indexes {@code [a, a+k)} run as one
 * execution with {@code taskCount = k} (at most {@value Batching#MAX_TASKS_PER_EXECUTION}). The
 * container sees {@code ORCHESTRATOR_TASK_INDEX_OFFSET = a} and computes its orchestrator task
 * index as {@code ORCHESTRATOR_TASK_INDEX_OFFSET + CLOUD_RUN_TASK_INDEX}; it also sees
 * {@code ORCHESTRATOR_RUN_ID}, {@code ORCHESTRATOR_ATTEMPT}, {@code ORCHESTRATOR_TASK_COUNT} (the
 * step's total), {@code ORCHESTRATOR_WORKFLOW}, {@code ORCHESTRATOR_STEP} and each run parameter
 * {@code k} as {@code ORCHESTRATOR_PARAM_k}, as process tasks do.
 * Each orchestrator task ends with its own status and exit code, read from the Tasks API when the
 * execution ends. Set the Cloud Run job's own task retries to 0 and let the orchestrator's retry
 * policy retry failed tasks.
 *
 * <p><b>Quotas.</b> RunJob calls go through a client-side rate limiter (default
 * {@value #DEFAULT_RUN_JOBS_PER_MINUTE} a minute), at most {@value #DEFAULT_MAX_RUNNING_EXECUTIONS}
 * executions are followed at once (further starts wait), and {@code UNAVAILABLE},
 * {@code RESOURCE_EXHAUSTED} and {@code DEADLINE_EXCEEDED} are retried with exponential backoff
 * and jitter. Other errors ({@code PERMISSION_DENIED}, {@code NOT_FOUND}, {@code INVALID_ARGUMENT},
 * ...) fail the attempts at once with the API's message.
 *
 * <p><b>Cancel and adopt.</b> {@link #cancel} cancels the attempt's whole execution, so every
 * task batched with it ends too. {@link #adopt} follows an execution that another node (or an
 * earlier instance) started; attempts of one execution share one poll.
 *
 * <p>Create with {@link #builder()}, or let the orchestrator find {@link CloudRunExecutorProvider}.
 * Thread-safe.
 */
public final class CloudRunExecutor implements Executor {

    /** The executor type steps name: {@value}. */
    public static final String TYPE = "cloudrun";
    /** Default RunJob calls per minute: {@value}, Cloud Run's default quota per project and region. */
    public static final int DEFAULT_RUN_JOBS_PER_MINUTE = 180;
    /** Default cap on executions followed at once: {@value}, Cloud Run's default per project and region. */
    public static final int DEFAULT_MAX_RUNNING_EXECUTIONS = 1000;

    private static final Logger LOG = LoggerFactory.getLogger(CloudRunExecutor.class);

    private final CloudRunEngine engine;

    private CloudRunExecutor(CloudRunEngine engine) {
        this.engine = engine;
    }

    /** A builder with the defaults stated on each setter. */
    public static Builder builder() {
        return new Builder();
    }

    /** Returns {@value #TYPE}. */
    @Override
    public String type() {
        return TYPE;
    }

    /**
     * Checks that {@code options.job} is a job name, {@code options.timeout} a number of seconds
     * between 1 and 604800, that no unknown option is set and that no working directory is set.
     *
     * @throws IllegalArgumentException naming the field and the rule
     */
    @Override
    public void validate(JobSpec job) {
        JobOptions.parse(job);
    }

    /** Starts one attempt as its own execution; returns at once. */
    @Override
    public void start(TaskContext task, StatusSink sink) {
        engine.startAll(List.of(new Dispatch(task, sink)));
    }

    /** Starts attempts claimed together, grouping them into as few executions as possible; returns at once. */
    @Override
    public void startAll(List<Dispatch> batch) {
        engine.startAll(batch);
    }

    /**
     * Cancels the execution the attempt runs in: {@link TaskContext#executionName()} if set, else
     * the one this executor started for it. Every task of that execution ends, and each reports
     * how it ended. An attempt whose execution has not started yet is not started. Returns at once.
     */
    @Override
    public void cancel(TaskContext task) {
        engine.cancel(task);
    }

    /** Returns {@code true} when batching: attempts claimed together share one execution. */
    @Override
    public boolean groupsTasks() {
        return engine.batches();
    }

    /** Returns {@code true}: Cloud Run executions outlive the node that started them. */
    @Override
    public boolean canAdopt() {
        return true;
    }

    /**
     * Follows the execution named by {@link TaskContext#executionName()} without starting a new
     * one, and reports the attempt's outcome when it ends. Attempts of one execution share one poll.
     */
    @Override
    public void adopt(TaskContext task, StatusSink sink) {
        engine.adopt(task, sink);
    }

    /**
     * Stops starting and following executions and closes the API clients. Executions keep
     * running in Cloud Run and can be adopted later; their attempts get no further report from
     * this instance.
     */
    @Override
    public void close() {
        engine.close();
    }

    /**
     * Builds a {@link CloudRunExecutor}. Each setter checks its value at once; {@link #build()}
     * checks combinations. Not thread-safe.
     */
    public static final class Builder {
        private CredentialsProvider credentialsProvider;
        private String endpoint;
        private TransportChannelProvider transportChannelProvider;
        private boolean plaintext;
        private int runJobPermits = DEFAULT_RUN_JOBS_PER_MINUTE;
        private Duration runJobWindow = Duration.ofMinutes(1);
        private int maxRunningExecutions = DEFAULT_MAX_RUNNING_EXECUTIONS;
        private Duration pollInterval = Duration.ofSeconds(5);
        private Duration maxPollInterval = Duration.ofSeconds(60);
        private double pollBackoff = 1.5;
        private boolean batching = true;
        private int maxTasksPerExecution = Batching.MAX_TASKS_PER_EXECUTION;
        private Duration heartbeatInterval = Duration.ofSeconds(30);
        private Duration retryInitialDelay = Duration.ofSeconds(1);
        private Duration retryMaxDelay = Duration.ofSeconds(32);
        private Duration retryTimeout = Duration.ofMinutes(10);

        private Builder() {
        }

        /**
         * Credentials for the API. Default: Application Default Credentials (the
         * {@code GOOGLE_APPLICATION_CREDENTIALS} file, gcloud's user credentials, or the
         * metadata server on Google Cloud).
         */
        public Builder credentialsProvider(CredentialsProvider credentialsProvider) {
            this.credentialsProvider = Objects.requireNonNull(credentialsProvider, "credentialsProvider");
            return this;
        }

        /** The API endpoint as {@code host:port}. Default: {@code run.googleapis.com:443}. */
        public Builder endpoint(String endpoint) {
            Objects.requireNonNull(endpoint, "endpoint");
            if (endpoint.isBlank()) {
                throw new IllegalArgumentException("endpoint must not be blank");
            }
            this.endpoint = endpoint;
            return this;
        }

        /**
         * The gRPC transport, for hosts that build their own channel (such as a
         * {@code FixedTransportChannelProvider}); it wins over {@link #endpoint} and
         * {@link #usePlaintext}. Default: a TLS channel pool to the endpoint.
         */
        public Builder transportChannelProvider(TransportChannelProvider transportChannelProvider) {
            this.transportChannelProvider = Objects.requireNonNull(transportChannelProvider, "transportChannelProvider");
            return this;
        }

        /**
         * Talks plaintext gRPC without credentials to {@link #endpoint}, for emulators and fakes
         * only. Default: {@code false}.
         */
        public Builder usePlaintext(boolean plaintext) {
            this.plaintext = plaintext;
            return this;
        }

        /**
         * RunJob calls allowed in any minute. Default {@value #DEFAULT_RUN_JOBS_PER_MINUTE}. Retries count.
         *
         * @throws IllegalArgumentException if {@code perMinute < 1}
         */
        public Builder runJobsPerMinute(int perMinute) {
            return runJobRate(perMinute, Duration.ofMinutes(1));
        }

        /**
         * RunJob calls allowed in any window of length {@code window} (a sliding window: never more
         * than {@code permits} calls within {@code window} of each other). Default 180 per minute.
         *
         * @throws IllegalArgumentException if {@code permits < 1} or {@code window} is not positive
         */
        public Builder runJobRate(int permits, Duration window) {
            if (permits < 1) {
                throw new IllegalArgumentException("runJobsPerMinute must be at least 1, got " + permits);
            }
            this.runJobWindow = positive("runJob rate window", window);
            this.runJobPermits = permits;
            return this;
        }

        /**
         * Executions started or adopted by this executor that may run at once; further starts wait.
         * Default {@value #DEFAULT_MAX_RUNNING_EXECUTIONS}.
         *
         * @throws IllegalArgumentException if {@code max < 1}
         */
        public Builder maxRunningExecutions(int max) {
            if (max < 1) {
                throw new IllegalArgumentException("maxRunningExecutions must be at least 1, got " + max);
            }
            this.maxRunningExecutions = max;
            return this;
        }

        /**
         * Delay between two polls of one execution after a poll that saw progress. Default 5 s.
         *
         * @throws IllegalArgumentException if not positive
         */
        public Builder pollInterval(Duration interval) {
            this.pollInterval = positive("pollInterval", interval);
            return this;
        }

        /**
         * Longest delay between two polls of one execution; the delay grows by
         * {@link #pollBackoff} after each poll without progress. Default 60 s.
         *
         * @throws IllegalArgumentException if not positive
         */
        public Builder maxPollInterval(Duration interval) {
            this.maxPollInterval = positive("maxPollInterval", interval);
            return this;
        }

        /**
         * Factor by which the poll delay grows after a poll without progress. Default 1.5.
         *
         * @throws IllegalArgumentException if below 1
         */
        public Builder pollBackoff(double factor) {
            if (!(factor >= 1.0) || Double.isInfinite(factor)) {
                throw new IllegalArgumentException("pollBackoff must be a finite number of at least 1, got " + factor);
            }
            this.pollBackoff = factor;
            return this;
        }

        /**
         * Whether attempts claimed together run as one execution per contiguous index range
         * ({@code true}, the default) or each as its own execution ({@code false}).
         */
        public Builder batching(boolean batching) {
            this.batching = batching;
            return this;
        }

        /**
         * Most tasks in one execution when batching. Default and maximum
         * {@value Batching#MAX_TASKS_PER_EXECUTION}.
         *
         * @throws IllegalArgumentException if not between 1 and 10000
         */
        public Builder maxTasksPerExecution(int max) {
            if (max < 1 || max > Batching.MAX_TASKS_PER_EXECUTION) {
                throw new IllegalArgumentException("maxTasksPerExecution must be between 1 and "
                        + Batching.MAX_TASKS_PER_EXECUTION + ", got " + max);
            }
            this.maxTasksPerExecution = max;
            return this;
        }

        /**
         * How often each running attempt reports a heartbeat (when a poll saw its execution
         * alive). Default 30 s; {@link Duration#ZERO} turns heartbeats off.
         *
         * @throws IllegalArgumentException if negative
         */
        public Builder heartbeatInterval(Duration interval) {
            Objects.requireNonNull(interval, "heartbeatInterval");
            if (interval.isNegative()) {
                throw new IllegalArgumentException("heartbeatInterval must not be negative, got " + interval);
            }
            this.heartbeatInterval = interval;
            return this;
        }

        /**
         * Backoff for retried API calls: the first retry waits up to {@code initial}, each next one
         * twice as long, at most {@code max}, each with random jitter down to half. Default 1 s and 32 s.
         *
         * @throws IllegalArgumentException if not positive
         */
        public Builder retryBackoff(Duration initial, Duration max) {
            this.retryInitialDelay = positive("retryInitialDelay", initial);
            this.retryMaxDelay = positive("retryMaxDelay", max);
            return this;
        }

        /**
         * How long one API call is retried before its attempts fail with the last error. Default 10 minutes.
         *
         * @throws IllegalArgumentException if not positive
         */
        public Builder retryTimeout(Duration timeout) {
            this.retryTimeout = positive("retryTimeout", timeout);
            return this;
        }

        /**
         * Creates the API clients and the executor, and logs the effective configuration once.
         *
         * @throws IllegalStateException    if a combination of settings is invalid
         * @throws UncheckedIOException     if the clients cannot be created (for example, no credentials)
         */
        public CloudRunExecutor build() {
            if (maxPollInterval.compareTo(pollInterval) < 0) {
                throw new IllegalStateException("maxPollInterval (" + maxPollInterval
                        + ") must be at least pollInterval (" + pollInterval + ")");
            }
            if (retryMaxDelay.compareTo(retryInitialDelay) < 0) {
                throw new IllegalStateException("retryMaxDelay (" + retryMaxDelay
                        + ") must be at least retryInitialDelay (" + retryInitialDelay + ")");
            }
            if (plaintext && endpoint == null && transportChannelProvider == null) {
                throw new IllegalStateException("usePlaintext needs an endpoint");
            }
            var settings = new Settings(runJobPermits, runJobWindow, maxRunningExecutions, pollInterval,
                    maxPollInterval, pollBackoff, batching ? maxTasksPerExecution : 1, heartbeatInterval,
                    retryInitialDelay, retryMaxDelay, retryTimeout);
            JobsClient jobs = null;
            ExecutionsClient executions = null;
            TasksClient tasks = null;
            try {
                var js = JobsSettings.newBuilder();
                var es = ExecutionsSettings.newBuilder();
                var ts = TasksSettings.newBuilder();
                // Every RunJob try must pass the rate limiter: the executor retries, not the client.
                js.runJobSettings().setRetryableCodes(Set.of());
                TransportChannelProvider transport = transportChannelProvider;
                CredentialsProvider credentials = credentialsProvider;
                if (transport == null && plaintext) {
                    transport = InstantiatingGrpcChannelProvider.newBuilder()
                            .setEndpoint(endpoint)
                            .setChannelConfigurator(Builder::plaintextChannel)
                            .build();
                    if (credentials == null) {
                        credentials = NoCredentialsProvider.create();
                    }
                }
                if (transport != null) {
                    js.setTransportChannelProvider(transport);
                    es.setTransportChannelProvider(transport);
                    ts.setTransportChannelProvider(transport);
                }
                if (credentials != null) {
                    js.setCredentialsProvider(credentials);
                    es.setCredentialsProvider(credentials);
                    ts.setCredentialsProvider(credentials);
                }
                if (endpoint != null) {
                    js.setEndpoint(endpoint);
                    es.setEndpoint(endpoint);
                    ts.setEndpoint(endpoint);
                }
                jobs = JobsClient.create(js.build());
                executions = ExecutionsClient.create(es.build());
                tasks = TasksClient.create(ts.build());
            } catch (IOException e) {
                closeQuietly(jobs, executions, tasks);
                throw new UncheckedIOException("cannot create the Cloud Run clients: " + e.getMessage(), e);
            } catch (RuntimeException e) {
                closeQuietly(jobs, executions, tasks);
                throw e;
            }
            LOG.info("cloudrun executor: endpoint={}, credentials={}, runJobRate={}/{}, maxRunningExecutions={}, "
                            + "pollInterval={}..{} x{}, batching={}, maxTasksPerExecution={}, heartbeatInterval={}, "
                            + "retry={}..{} for {}",
                    transportChannelProvider != null ? "custom transport" : endpoint != null ? endpoint
                            : JobsSettings.getDefaultEndpoint(),
                    credentialsProvider != null ? credentialsProvider.getClass().getSimpleName()
                            : plaintext ? "none (plaintext)" : "application default",
                    runJobPermits, runJobWindow, maxRunningExecutions, pollInterval, maxPollInterval, pollBackoff,
                    batching, settings.maxTasksPerExecution(), heartbeatInterval, retryInitialDelay, retryMaxDelay,
                    retryTimeout);
            return new CloudRunExecutor(new CloudRunEngine(settings, jobs, executions, tasks));
        }

        @SuppressWarnings("rawtypes") // gax declares the configurator on the raw type
        private static ManagedChannelBuilder plaintextChannel(ManagedChannelBuilder builder) {
            return builder.usePlaintext();
        }

        private static void closeQuietly(AutoCloseable... clients) {
            for (AutoCloseable c : clients) {
                if (c != null) {
                    try {
                        c.close();
                    } catch (Exception ignored) {
                        // already failing
                    }
                }
            }
        }

        private static Duration positive(String name, Duration d) {
            Objects.requireNonNull(d, name);
            if (d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException(name + " must be positive, got " + d);
            }
            return d;
        }
    }
}
