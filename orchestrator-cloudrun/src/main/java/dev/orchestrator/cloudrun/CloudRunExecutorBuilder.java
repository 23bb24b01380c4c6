package dev.orchestrator.cloudrun;

import com.google.api.gax.core.CredentialsProvider;
import com.google.api.gax.rpc.TransportChannelProvider;
import com.google.cloud.run.v2.JobsSettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;

/**
 * Builds a {@link CloudRunExecutor}. Each setter checks its value at once; {@link #build()}
 * checks combinations. Not thread-safe.
 */
public final class CloudRunExecutorBuilder {

    private static final Logger LOG = LoggerFactory.getLogger(CloudRunExecutorBuilder.class);

    private CredentialsProvider credentialsProvider;
    private String endpoint;
    private TransportChannelProvider transportChannelProvider;
    private boolean plaintext;
    private int runJobPermits = CloudRunExecutor.DEFAULT_RUN_JOBS_PER_MINUTE;
    private Duration runJobWindow = Duration.ofMinutes(1);
    private int maxRunningExecutions = CloudRunExecutor.DEFAULT_MAX_RUNNING_EXECUTIONS;
    private Duration pollInterval = Duration.ofSeconds(5);
    private Duration maxPollInterval = Duration.ofSeconds(60);
    private double pollBackoff = 1.5;
    private boolean batching = true;
    private int maxTasksPerExecution = Batching.MAX_TASKS_PER_EXECUTION;
    private Duration heartbeatInterval = Duration.ofSeconds(30);
    private Duration retryInitialDelay = Duration.ofSeconds(1);
    private Duration retryMaxDelay = Duration.ofSeconds(32);
    private Duration retryTimeout = Duration.ofMinutes(10);
    private Clock clock = Clock.systemUTC();
    private Duration readTimeout = Duration.ofSeconds(30);
    private boolean requireZeroMaxRetries;
    private int readPermits = CloudRunExecutor.DEFAULT_READS_PER_MINUTE;
    private Duration readWindow = Duration.ofMinutes(1);
    private Duration runJobTimeout = Duration.ofSeconds(60);

    CloudRunExecutorBuilder() {
    }

    /**
     * Credentials for the API. Default: Application Default Credentials (the
     * {@code GOOGLE_APPLICATION_CREDENTIALS} file, gcloud's user credentials, or the
     * metadata server on Google Cloud).
     */
    public CloudRunExecutorBuilder credentialsProvider(CredentialsProvider credentialsProvider) {
        this.credentialsProvider = Objects.requireNonNull(credentialsProvider, "credentialsProvider");
        return this;
    }

    /** The API endpoint as {@code host:port}. Default: {@code run.googleapis.com:443}. */
    public CloudRunExecutorBuilder endpoint(String endpoint) {
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
    public CloudRunExecutorBuilder transportChannelProvider(TransportChannelProvider transportChannelProvider) {
        this.transportChannelProvider = Objects.requireNonNull(transportChannelProvider, "transportChannelProvider");
        return this;
    }

    /**
     * Talks plaintext gRPC without credentials to {@link #endpoint}, for emulators and fakes
     * only. Default: {@code false}.
     */
    public CloudRunExecutorBuilder usePlaintext(boolean plaintext) {
        this.plaintext = plaintext;
        return this;
    }

    /**
     * RunJob calls allowed in any minute. Default {@value CloudRunExecutor#DEFAULT_RUN_JOBS_PER_MINUTE}. Retries count.
     *
     * @throws IllegalArgumentException if {@code perMinute < 1}
     */
    public CloudRunExecutorBuilder runJobsPerMinute(int perMinute) {
        if (perMinute < 1) {
            throw new IllegalArgumentException("runJobsPerMinute must be at least 1, got " + perMinute);
        }
        return runJobRate(perMinute, Duration.ofMinutes(1));
    }

    /**
     * RunJob calls allowed in any window of length {@code window} (a sliding window: never more
     * than {@code permits} calls within {@code window} of each other). Default 180 per minute.
     *
     * @throws IllegalArgumentException if {@code permits < 1} or {@code window} is not positive
     */
    public CloudRunExecutorBuilder runJobRate(int permits, Duration window) {
        if (permits < 1) {
            throw new IllegalArgumentException("runJobRate permits must be at least 1, got " + permits);
        }
        this.runJobWindow = positive("runJobRate window", window);
        this.runJobPermits = permits;
        return this;
    }

    /**
     * API reads (GetJob, GetExecution, ListExecutions, ListTasks) allowed in any minute, shared by
     * every execution this executor follows; when many executions run, each is polled less often
     * so that all of them fit. Cloud Run's read quota is per project and region and shared with
     * the console, gcloud and other nodes: give each node its share. Default
     * {@value CloudRunExecutor#DEFAULT_READS_PER_MINUTE}.
     *
     * @throws IllegalArgumentException if {@code perMinute < 1}
     */
    public CloudRunExecutorBuilder readsPerMinute(int perMinute) {
        if (perMinute < 1) {
            throw new IllegalArgumentException("readsPerMinute must be at least 1, got " + perMinute);
        }
        return readRate(perMinute, Duration.ofMinutes(1));
    }

    /**
     * API reads allowed in any window of length {@code window} (see {@link #readsPerMinute}).
     *
     * @throws IllegalArgumentException if {@code permits < 1} or {@code window} is not positive
     */
    public CloudRunExecutorBuilder readRate(int permits, Duration window) {
        if (permits < 1) {
            throw new IllegalArgumentException("readRate permits must be at least 1, got " + permits);
        }
        this.readWindow = positive("readRate window", window);
        this.readPermits = permits;
        return this;
    }

    /**
     * Executions started or adopted by this executor that may run at once; further starts wait.
     * Default {@value CloudRunExecutor#DEFAULT_MAX_RUNNING_EXECUTIONS}.
     *
     * @throws IllegalArgumentException if {@code max < 1}
     */
    public CloudRunExecutorBuilder maxRunningExecutions(int max) {
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
    public CloudRunExecutorBuilder pollInterval(Duration interval) {
        this.pollInterval = positive("pollInterval", interval);
        return this;
    }

    /**
     * Longest delay between two polls of one execution; the delay grows by
     * {@link #pollBackoff} after each poll without progress. Default 60 s.
     *
     * @throws IllegalArgumentException if not positive
     */
    public CloudRunExecutorBuilder maxPollInterval(Duration interval) {
        this.maxPollInterval = positive("maxPollInterval", interval);
        return this;
    }

    /**
     * Factor by which the poll delay grows after a poll without progress. Default 1.5.
     *
     * @throws IllegalArgumentException if below 1
     */
    public CloudRunExecutorBuilder pollBackoff(double factor) {
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
    public CloudRunExecutorBuilder batching(boolean batching) {
        this.batching = batching;
        return this;
    }

    /**
     * Most tasks in one execution when batching. Default and maximum
     * {@value CloudRunExecutor#MAX_TASKS_PER_EXECUTION}.
     *
     * @throws IllegalArgumentException if not between 1 and 10000
     */
    public CloudRunExecutorBuilder maxTasksPerExecution(int max) {
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
    public CloudRunExecutorBuilder heartbeatInterval(Duration interval) {
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
     * @throws IllegalArgumentException if not positive, or if {@code max < initial}
     */
    public CloudRunExecutorBuilder retryBackoff(Duration initial, Duration max) {
        positive("retryInitialDelay", initial);
        positive("retryMaxDelay", max);
        if (max.compareTo(initial) < 0) {
            throw new IllegalArgumentException("retryMaxDelay must be at least retryInitialDelay (" + initial
                    + "), got " + max);
        }
        this.retryInitialDelay = initial;
        this.retryMaxDelay = max;
        return this;
    }

    /**
     * How long one API call is retried before its attempts fail with the last error. Default 10 minutes.
     *
     * @throws IllegalArgumentException if not positive
     */
    public CloudRunExecutorBuilder retryTimeout(Duration timeout) {
        this.retryTimeout = positive("retryTimeout", timeout);
        return this;
    }

    /**
     * How long one try of a read (GetJob, GetExecution, ListExecutions, ListTasks) or of
     * CancelExecution may take before it fails with {@code DEADLINE_EXCEEDED} and is retried, so
     * that a hung call never holds its execution. Default 30 s.
     *
     * @throws IllegalArgumentException if not positive
     */
    public CloudRunExecutorBuilder readTimeout(Duration timeout) {
        this.readTimeout = positive("readTimeout", timeout);
        return this;
    }

    /**
     * How long one RunJob try may take before it fails with {@code DEADLINE_EXCEEDED}. Default 60 s.
     *
     * @throws IllegalArgumentException if not positive
     */
    public CloudRunExecutorBuilder runJobTimeout(Duration timeout) {
        this.runJobTimeout = positive("runJobTimeout", timeout);
        return this;
    }

    /**
     * Whether a job whose own task retries ({@code max_retries}, 3 when the job does not set it)
     * are not 0 fails its attempts at once ({@code true}) or only logs a warning, once per job
     * ({@code false}, the default). With retries in Cloud Run, each failure runs up to
     * {@code max_retries + 1} times for every attempt of the orchestrator's retry policy.
     */
    public CloudRunExecutorBuilder requireZeroMaxRetries(boolean require) {
        this.requireZeroMaxRetries = require;
        return this;
    }

    /**
     * The clock that attempt deadlines are compared with when a deadline becomes Cloud Run's
     * task timeout; use the orchestrator's clock. Default: the system clock (UTC).
     */
    public CloudRunExecutorBuilder clock(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
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
        if (plaintext && endpoint == null && transportChannelProvider == null) {
            throw new IllegalStateException("usePlaintext needs an endpoint");
        }
        var settings = new Settings(runJobPermits, runJobWindow, maxRunningExecutions, pollInterval,
                maxPollInterval, pollBackoff, batching ? maxTasksPerExecution : 1, heartbeatInterval,
                retryInitialDelay, retryMaxDelay, retryTimeout, clock, readPermits, readWindow,
                requireZeroMaxRetries);
        var clients = Clients.create(new Clients.Connection(credentialsProvider, endpoint,
                transportChannelProvider, plaintext), new Clients.Deadlines(readTimeout, runJobTimeout),
                new RateLimiter(readPermits, readWindow));
        LOG.info("cloudrun executor: endpoint={}, credentials={}, runJobRate={}/{}, maxRunningExecutions={}, "
                        + "pollInterval={}..{} x{}, batching={}, maxTasksPerExecution={}, heartbeatInterval={}, "
                        + "retry={}..{} for {}, readTimeout={}, runJobTimeout={}, requireZeroMaxRetries={}, readRate={}/{}",
                transportChannelProvider != null ? "custom transport" : endpoint != null ? endpoint
                        : JobsSettings.getDefaultEndpoint(),
                credentialsProvider != null ? credentialsProvider.getClass().getSimpleName()
                        : plaintext ? "none (plaintext)" : "application default",
                runJobPermits, runJobWindow, maxRunningExecutions, pollInterval, maxPollInterval, pollBackoff,
                batching, settings.maxTasksPerExecution(), heartbeatInterval, retryInitialDelay, retryMaxDelay,
                retryTimeout, readTimeout, runJobTimeout, requireZeroMaxRetries, readPermits, readWindow);
        return new CloudRunExecutor(new CloudRunEngine(settings, clients));
    }

    private static Duration positive(String name, Duration d) {
        Objects.requireNonNull(d, name);
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(name + " must be positive, got " + d);
        }
        return d;
    }
}
