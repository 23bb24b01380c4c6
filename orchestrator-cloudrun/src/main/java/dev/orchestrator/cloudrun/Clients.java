package dev.orchestrator.cloudrun;

import com.google.api.gax.core.BackgroundResource;
import com.google.api.gax.core.CredentialsProvider;
import com.google.api.gax.core.NoCredentialsProvider;
import com.google.api.gax.grpc.GrpcCallContext;
import com.google.api.gax.rpc.ApiCallContext;
import com.google.api.gax.rpc.FixedHeaderProvider;
import com.google.api.gax.rpc.FixedTransportChannelProvider;
import com.google.api.gax.rpc.TransportChannel;
import com.google.api.gax.rpc.TransportChannelProvider;
import com.google.cloud.run.v2.CancelExecutionRequest;
import com.google.cloud.run.v2.Execution;
import com.google.cloud.run.v2.ExecutionsClient;
import com.google.cloud.run.v2.ExecutionsSettings;
import com.google.cloud.run.v2.GetExecutionRequest;
import com.google.cloud.run.v2.GetJobRequest;
import com.google.cloud.run.v2.Job;
import com.google.cloud.run.v2.JobsClient;
import com.google.cloud.run.v2.JobsSettings;
import com.google.cloud.run.v2.ListExecutionsRequest;
import com.google.cloud.run.v2.ListExecutionsResponse;
import com.google.cloud.run.v2.ListTasksRequest;
import com.google.cloud.run.v2.ListTasksResponse;
import com.google.cloud.run.v2.RunJobRequest;
import com.google.cloud.run.v2.TasksClient;
import com.google.cloud.run.v2.TasksSettings;
import com.google.longrunning.Operation;
import io.grpc.ManagedChannelBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/** The three Cloud Run API clients the executor uses, created and closed together. */
final class Clients implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Clients.class);

    private final JobsClient jobs;
    private final ExecutionsClient executions;
    private final TasksClient tasks;
    private final ApiCallContext read;
    private final ApiCallContext runJob;
    private final RateLimiter readLimiter;
    /** The channel built here, or null when the host gave its own transport. */
    private final TransportChannel channel;

    /** The user agent of every call: {@code orchestrator-cloudrun/VERSION}. */
    static final String USER_AGENT = "orchestrator-cloudrun/" + version();

    private static String version() {
        String v = Clients.class.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }

    /** One gRPC channel to the endpoint, TLS unless plaintext. */
    private static TransportChannel channel(Connection c) throws IOException {
        var builder = JobsSettings.defaultGrpcTransportProviderBuilder();
        if (c.plaintext()) {
            builder.setChannelConfigurator(Clients::plaintextChannel);
        }
        TransportChannelProvider provider = builder.build()
                .withEndpoint(c.endpoint() != null ? c.endpoint() : JobsSettings.getDefaultEndpoint());
        if (provider.needsHeaders()) {
            provider = provider.withHeaders(Map.of("user-agent", USER_AGENT));
        }
        return provider.getTransportChannel();
    }

    private Clients(JobsClient jobs, ExecutionsClient executions, TasksClient tasks, TransportChannel channel,
                    Deadlines deadlines, RateLimiter readLimiter) {
        this.channel = channel;
        this.readLimiter = readLimiter;
        this.jobs = jobs;
        this.executions = executions;
        this.tasks = tasks;
        this.read = GrpcCallContext.createDefault().withTimeoutDuration(deadlines.read());
        this.runJob = GrpcCallContext.createDefault().withTimeoutDuration(deadlines.runJob());
    }

    /**
     * How long one call may take before it fails with {@code DEADLINE_EXCEEDED}.
     *
     * @param read   GetJob, GetExecution, ListExecutions, ListTasks and CancelExecution
     * @param runJob RunJob
     */
    record Deadlines(Duration read, Duration runJob) {
    }

    /** One RunJob try. */
    Operation runJob(RunJobRequest request) {
        return jobs.runJobCallable().call(request, runJob);
    }

    /** Reads allowed per window, shared by every read of this executor. */
    RateLimiter readLimiter() {
        return readLimiter;
    }

    /** One GetJob try (waits for the read limiter). */
    Job getJob(String job) throws InterruptedException {
        readLimiter.acquire();
        return jobs.getJobCallable().call(GetJobRequest.newBuilder().setName(job).build(), read);
    }

    /** One GetExecution try (waits for the read limiter). */
    Execution getExecution(String execution) throws InterruptedException {
        readLimiter.acquire();
        return executions.getExecutionCallable().call(GetExecutionRequest.newBuilder().setName(execution).build(), read);
    }

    /** One ListExecutions page (waits for the read limiter). */
    ListExecutionsResponse listExecutions(ListExecutionsRequest request) throws InterruptedException {
        readLimiter.acquire();
        return executions.listExecutionsCallable().call(request, read);
    }

    /** One CancelExecution try. */
    Operation cancelExecution(String execution) {
        return executions.cancelExecutionCallable()
                .call(CancelExecutionRequest.newBuilder().setName(execution).build(), read);
    }

    /** One ListTasks page (waits for the read limiter). */
    ListTasksResponse listTasks(ListTasksRequest request) throws InterruptedException {
        readLimiter.acquire();
        return tasks.listTasksCallable().call(request, read);
    }

    /**
     * How to reach the API.
     *
     * @param credentials credentials, or null for Application Default Credentials
     * @param endpoint    {@code host:port}, or null for the default endpoint
     * @param transport   a host's own transport, or null
     * @param plaintext   plaintext gRPC without credentials (emulators, fakes)
     */
    record Connection(CredentialsProvider credentials, String endpoint, TransportChannelProvider transport,
                      boolean plaintext) {
    }

    /**
     * Creates the clients.
     *
     * @throws UncheckedIOException if a client cannot be created (for example, no credentials)
     */
    static Clients create(Connection c, Deadlines deadlines, RateLimiter readLimiter) {
        JobsClient jobs = null;
        ExecutionsClient executions = null;
        TasksClient tasks = null;
        TransportChannel shared = null;
        try {
            var js = JobsSettings.newBuilder();
            var es = ExecutionsSettings.newBuilder();
            var ts = TasksSettings.newBuilder();
            // The executor retries every call itself (a RunJob try must pass the rate limiter, a
            // poll is rescheduled rather than blocking a thread), so the clients do not.
            js.runJobSettings().setRetryableCodes(Set.of());
            js.getJobSettings().setRetryableCodes(Set.of());
            es.getExecutionSettings().setRetryableCodes(Set.of());
            es.listExecutionsSettings().setRetryableCodes(Set.of());
            es.cancelExecutionSettings().setRetryableCodes(Set.of());
            ts.listTasksSettings().setRetryableCodes(Set.of());
            // One channel for the three clients: the host's transport, or one built here.
            TransportChannelProvider transport = c.transport();
            if (transport == null) {
                shared = channel(c);
                transport = FixedTransportChannelProvider.create(shared);
            }
            CredentialsProvider credentials = c.credentials();
            if (credentials == null && c.plaintext()) {
                credentials = NoCredentialsProvider.create();
            }
            var headers = FixedHeaderProvider.create(Map.of("user-agent", USER_AGENT));
            js.setTransportChannelProvider(transport).setHeaderProvider(headers);
            es.setTransportChannelProvider(transport).setHeaderProvider(headers);
            ts.setTransportChannelProvider(transport).setHeaderProvider(headers);
            if (credentials != null) {
                js.setCredentialsProvider(credentials);
                es.setCredentialsProvider(credentials);
                ts.setCredentialsProvider(credentials);
            }
            if (c.endpoint() != null) {
                js.setEndpoint(c.endpoint());
                es.setEndpoint(c.endpoint());
                ts.setEndpoint(c.endpoint());
            }
            jobs = JobsClient.create(js.build());
            executions = ExecutionsClient.create(es.build());
            tasks = TasksClient.create(ts.build());
            return new Clients(jobs, executions, tasks, shared, deadlines, readLimiter);
        } catch (IOException e) {
            closeAll(Arrays.asList(jobs, executions, tasks, shared));
            throw new UncheckedIOException("cannot create the Cloud Run clients: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            closeAll(Arrays.asList(jobs, executions, tasks, shared));
            throw e;
        }
    }

    @SuppressWarnings("rawtypes") // gax declares the configurator on the raw type
    private static ManagedChannelBuilder plaintextChannel(ManagedChannelBuilder builder) {
        return builder.usePlaintext();
    }

    /** Closes the clients and the channel, and waits up to 5 s each for them. */
    @Override
    public void close() {
        List<BackgroundResource> all = channel == null ? List.of(jobs, executions, tasks)
                : List.of(jobs, executions, tasks, channel);
        closeAll(all);
        for (BackgroundResource r : all) {
            try {
                r.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private static void closeAll(List<? extends AutoCloseable> clients) {
        for (AutoCloseable client : clients) {
            if (client != null) {
                try {
                    client.close();
                } catch (Exception e) {
                    LOG.debug("closing a Cloud Run client failed", e);
                }
            }
        }
    }
}
