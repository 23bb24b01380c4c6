package dev.orchestrator.cloudrun;

import com.google.api.gax.core.NoCredentialsProvider;
import com.google.api.gax.grpc.GrpcTransportChannel;
import com.google.api.gax.rpc.FixedTransportChannelProvider;
import com.google.api.gax.rpc.TransportChannelProvider;
import com.google.cloud.run.v2.CancelExecutionRequest;
import com.google.cloud.run.v2.Container;
import com.google.cloud.run.v2.EnvVar;
import com.google.cloud.run.v2.Execution;
import com.google.cloud.run.v2.ExecutionName;
import com.google.cloud.run.v2.ExecutionTemplate;
import com.google.cloud.run.v2.ExecutionsGrpc;
import com.google.cloud.run.v2.GetExecutionRequest;
import com.google.cloud.run.v2.GetJobRequest;
import com.google.cloud.run.v2.Job;
import com.google.cloud.run.v2.JobName;
import com.google.cloud.run.v2.JobsGrpc;
import com.google.cloud.run.v2.ListExecutionsRequest;
import com.google.cloud.run.v2.ListExecutionsResponse;
import com.google.cloud.run.v2.ListTasksRequest;
import com.google.cloud.run.v2.ListTasksResponse;
import com.google.cloud.run.v2.RunJobRequest;
import com.google.cloud.run.v2.Task;
import com.google.cloud.run.v2.TaskTemplate;
import com.google.cloud.run.v2.TasksGrpc;
import com.google.longrunning.GetOperationRequest;
import com.google.longrunning.Operation;
import com.google.longrunning.OperationsGrpc;
import com.google.protobuf.Any;
import com.google.protobuf.Timestamp;
import io.grpc.Attributes;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.ServerTransportFilter;
import io.grpc.Status;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A local fake of the Cloud Run v2 gRPC services the executor uses ({@code Jobs.RunJob/GetJob},
 * {@code Executions.GetExecution/ListExecutions/CancelExecution}, {@code Tasks.ListTasks},
 * {@code Operations.GetOperation}) that keeps the real service's rules: see {@link FakeExecution}
 * for how an execution runs (parallelism, per-task timeouts, retries, CANCELLING), and the
 * scripting methods here for quotas, hung calls, failures, retention deletes, environment limits
 * and the parallelism rule. Outcomes are scripted per orchestrator task index (the execution's
 * {@code ORCHESTRATOR_TASK_INDEX_OFFSET} plus the Cloud Run task index), as a real container
 * would compute it. Every RunJob call is recorded with its time.
 */
final class FakeCloudRun implements AutoCloseable {

    /** What a task does. */
    enum Kind { SUCCEED, FAIL, HANG }

    /** The API methods, for scripted failures and hangs. */
    enum Method { RUN_JOB, GET_JOB, GET_EXECUTION, LIST_EXECUTIONS, CANCEL_EXECUTION, LIST_TASKS }

    /** A scripted outcome. */
    record Script(Kind kind, int exitCode) {
        static final Script SUCCEED = new Script(Kind.SUCCEED, 0);
        static final Script HANG = new Script(Kind.HANG, 0);

        static Script fail(int exitCode) {
            return new Script(Kind.FAIL, exitCode);
        }
    }

    /**
     * A job as Cloud Run stores it.
     *
     * @param parallelism    tasks run at once, 0 for as many as possible
     * @param taskCount      the job's own task count
     * @param maxRetries     Cloud Run's own retries of a failed task
     * @param timeoutSeconds the job's per-task timeout
     * @param envCount       variables the job's container defines itself
     * @param containers     the job's container names
     */
    record FakeJob(int parallelism, int taskCount, int maxRetries, long timeoutSeconds, int envCount,
                   List<String> containers) {
        static final FakeJob DEFAULT = new FakeJob(0, 1, 0, 600, 0, List.of("worker"));
    }

    /** One RunJob call as the server received it. */
    record RunJobCall(long nanoTime, RunJobRequest request, Status answer) {
    }

    static final int MAX_ENV_VARS = 1000;
    static final int MAX_ENV_VALUE_BYTES = 32_768;

    private final Server server;
    private final String inProcessName;
    private final Map<Integer, Script> scripts = new ConcurrentHashMap<>();
    private final Map<String, FakeJob> jobs = new ConcurrentHashMap<>();
    private final List<RunJobCall> runJobCalls = new CopyOnWriteArrayList<>();
    private final List<String> cancelCalls = new CopyOnWriteArrayList<>();
    private final List<ManagedChannel> channels = new CopyOnWriteArrayList<>();
    private final Map<String, AtomicInteger> getExecutionCalls = new ConcurrentHashMap<>();
    private final Map<Method, AtomicInteger> calls = new ConcurrentHashMap<>();
    private final AtomicInteger listTasksCalls = new AtomicInteger();
    private final Map<String, FakeExecution> executions = new ConcurrentHashMap<>();
    private final Map<String, String> operations = new ConcurrentHashMap<>();
    private final Map<Method, ArrayDeque<Status>> failures = new EnumMap<>(Method.class);
    private final Map<Method, AtomicInteger> hangs = new ConcurrentHashMap<>();
    private final List<StreamObserver<?>> hung = new CopyOnWriteArrayList<>();
    private final List<String> userAgents = new CopyOnWriteArrayList<>();
    private final AtomicInteger executionCounter = new AtomicInteger();
    private final AtomicInteger connections = new AtomicInteger();
    private final AtomicInteger startThenFail = new AtomicInteger();
    private final Quota runJobQuota = new Quota();
    private final Quota readQuota = new Quota();
    private volatile Status runJobError;
    private volatile boolean paused;
    private volatile boolean lagCounts;
    private volatile int lagListCalls;
    private volatile String failBeforeStart;
    private volatile int maxRunningExecutions = Integer.MAX_VALUE;
    private volatile int peakRunningExecutions;
    private volatile Duration taskDuration = Duration.ofMillis(30);

    /** A sliding-window quota: at most {@code permits} calls in any {@code window}; counts refusals. */
    private static final class Quota {
        private final ArrayDeque<Long> granted = new ArrayDeque<>();
        private int permits = Integer.MAX_VALUE;
        private long windowNanos = 1;
        private int refused;

        synchronized void set(int permits, Duration window) {
            this.permits = permits;
            this.windowNanos = window.toNanos();
        }

        synchronized boolean take() {
            long now = System.nanoTime();
            while (!granted.isEmpty() && now - granted.peekFirst() >= windowNanos) {
                granted.pollFirst();
            }
            if (granted.size() >= permits) {
                refused++;
                return false;
            }
            granted.addLast(now);
            return true;
        }

        synchronized int refused() {
            return refused;
        }
    }

    private FakeCloudRun(boolean loopback) throws IOException {
        inProcessName = "fake-cloud-run-" + UUID.randomUUID();
        var services = List.of(ServerInterceptors.intercept(new Jobs(), new UserAgents()),
                ServerInterceptors.intercept(new Executions(), new UserAgents()),
                ServerInterceptors.intercept(new Tasks(), new UserAgents()), new Operations().bindService());
        if (loopback) {
            var b = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
                    .addTransportFilter(new ServerTransportFilter() {
                        @Override
                        public Attributes transportReady(Attributes attributes) {
                            connections.incrementAndGet();
                            return attributes;
                        }
                    });
            services.forEach(b::addService);
            server = b.build().start();
        } else {
            var b = InProcessServerBuilder.forName(inProcessName).directExecutor();
            services.forEach(b::addService);
            server = b.build().start();
        }
    }

    /** A fake reached through an in-process channel. */
    static FakeCloudRun inProcess() throws IOException {
        return new FakeCloudRun(false);
    }

    /** A fake listening on a loopback port, plaintext. */
    static FakeCloudRun loopback() throws IOException {
        return new FakeCloudRun(true);
    }

    /** {@code 127.0.0.1:port} of a loopback fake. */
    String endpoint() {
        return "127.0.0.1:" + server.getPort();
    }

    /** A new in-process channel wrapped for the client; shut down when the fake closes. */
    TransportChannelProvider channelProvider() {
        ManagedChannel channel = InProcessChannelBuilder.forName(inProcessName).build();
        channels.add(channel);
        return FixedTransportChannelProvider.create(GrpcTransportChannel.create(channel));
    }

    /** A builder of an executor wired to this fake, with small intervals for tests. */
    CloudRunExecutorBuilder executorBuilder() {
        return CloudRunExecutor.builder()
                .transportChannelProvider(channelProvider())
                .credentialsProvider(NoCredentialsProvider.create())
                .pollInterval(Duration.ofMillis(20))
                .maxPollInterval(Duration.ofMillis(100))
                .retryBackoff(Duration.ofMillis(10), Duration.ofMillis(80))
                .retryTimeout(Duration.ofSeconds(20))
                .readRate(1000, Duration.ofSeconds(1));
    }

    // ---- scripting

    void script(int taskIndex, Script script) {
        scripts.put(taskIndex, script);
    }

    /** Sets the stored job {@code name} (a full job name). Jobs not set are {@link FakeJob#DEFAULT}. */
    void job(String name, FakeJob job) {
        jobs.put(name, job);
    }

    /** Every RunJob call fails with {@code status} (null to stop). */
    void failRunJob(Status status) {
        runJobError = status;
    }

    /** The next {@code n} RunJob calls fail with RESOURCE_EXHAUSTED. */
    void throttleRunJob(int n) {
        fail(Method.RUN_JOB, Status.RESOURCE_EXHAUSTED.withDescription(
                "Quota exceeded for quota metric 'Job run requests'"), n);
    }

    /** The next {@code n} GetExecution calls fail with UNAVAILABLE. */
    void failGetExecution(int n) {
        fail(Method.GET_EXECUTION, Status.UNAVAILABLE.withDescription("try again"), n);
    }

    /** The next {@code n} calls of {@code method} fail with {@code status}. */
    void fail(Method method, Status status, int n) {
        synchronized (failures) {
            var q = failures.computeIfAbsent(method, m -> new ArrayDeque<>());
            for (int i = 0; i < n; i++) {
                q.add(status);
            }
        }
    }

    /** The next {@code n} calls of {@code method} never answer (until the fake closes). */
    void hang(Method method, int n) {
        hangs.computeIfAbsent(method, m -> new AtomicInteger()).addAndGet(n);
    }

    /** The next {@code n} RunJob calls start their execution, then answer UNAVAILABLE. */
    void startThenFailRunJob(int n) {
        startThenFail.set(n);
    }

    /** The next executions fail before any task starts, with {@code message} (null to stop). */
    void failBeforeStart(String message) {
        failBeforeStart = message;
    }

    /** Quotas: RunJob calls and reads (GetExecution, ListTasks, ListExecutions, GetJob) per window. */
    void quotas(int runJobs, int reads, Duration window) {
        runJobQuota.set(runJobs, window);
        readQuota.set(reads, window);
    }

    /** RunJob answers RESOURCE_EXHAUSTED while {@code max} executions run. */
    void maxRunningExecutions(int max) {
        maxRunningExecutions = max;
    }

    /** Counts lag one GetExecution behind completion; ListTasks shows failed tasks running for {@code n} calls. */
    void lag(boolean counts, int listCalls) {
        lagCounts = counts;
        lagListCalls = listCalls;
    }

    /**
     * GetExecution answers without the container overrides (arguments and environment), so a
     * follower cannot read them back.
     */
    void hideOverridesOnGet() {
        hideOverrides = true;
    }

    /** Deletes an execution, as retention does. */
    void delete(String executionName) {
        executions.remove(executionName);
    }

    private volatile boolean hideOverrides;

    void taskDuration(Duration d) {
        taskDuration = d;
    }

    /** Tasks stop progressing until {@link #resume()}. */
    void pause() {
        paused = true;
    }

    void resume() {
        paused = false;
    }

    // ---- observations

    List<RunJobCall> runJobCalls() {
        return List.copyOf(runJobCalls);
    }

    /** RunJob calls that started an execution. */
    List<RunJobCall> acceptedRunJobCalls() {
        return runJobCalls.stream().filter(c -> c.answer().isOk()).toList();
    }

    /** Executions started, in order. */
    List<Execution> executions() {
        return executions.values().stream().sorted(Comparator.comparing(e -> e.name))
                .map(e -> e.toProto(paused, false)).toList();
    }

    List<String> cancelCalls() {
        return List.copyOf(cancelCalls);
    }

    int getExecutionCalls(String name) {
        AtomicInteger n = getExecutionCalls.get(name);
        return n == null ? 0 : n.get();
    }

    int calls(Method method) {
        AtomicInteger n = calls.get(method);
        return n == null ? 0 : n.get();
    }

    int listTasksCalls() {
        return listTasksCalls.get();
    }

    /** Calls refused by the RunJob quota, and by the read quota. */
    int runJobQuotaRefusals() {
        return runJobQuota.refused();
    }

    int readQuotaRefusals() {
        return readQuota.refused();
    }

    int peakRunningExecutions() {
        return peakRunningExecutions;
    }

    /** Connections a loopback fake accepted. */
    int connections() {
        return connections.get();
    }

    List<String> userAgents() {
        return List.copyOf(userAgents);
    }

    Execution execution(String name) {
        return executions.get(name).toProto(paused, false);
    }

    @Override
    public void close() {
        for (StreamObserver<?> o : hung) {
            try {
                o.onError(Status.UNAVAILABLE.withDescription("fake closed").asRuntimeException());
            } catch (RuntimeException ignored) {
                // the call was cancelled
            }
        }
        channels.forEach(ManagedChannel::shutdownNow);
        server.shutdownNow();
        try {
            server.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    // ---- helpers

    static int envInt(RunJobRequest request, String name, int dflt) {
        for (var co : request.getOverrides().getContainerOverridesList()) {
            for (EnvVar e : co.getEnvList()) {
                if (e.getName().equals(name)) {
                    return Integer.parseInt(e.getValue());
                }
            }
        }
        return dflt;
    }

    static Timestamp timestamp(Instant t) {
        return Timestamp.newBuilder().setSeconds(t.getEpochSecond()).setNanos(t.getNano()).build();
    }

    private FakeJob jobOf(String name) {
        return jobs.getOrDefault(name, FakeJob.DEFAULT);
    }

    /**
     * Counts the call and answers it with a scripted failure or hang, or a quota refusal;
     * returns true if the call was answered so.
     */
    private boolean intercepted(Method method, StreamObserver<?> observer) {
        calls.computeIfAbsent(method, m -> new AtomicInteger()).incrementAndGet();
        AtomicInteger h = hangs.get(method);
        if (h != null && h.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            hung.add(observer);
            return true;
        }
        Status failure;
        synchronized (failures) {
            var q = failures.get(method);
            failure = q == null ? null : q.poll();
        }
        if (failure == null && method != Method.RUN_JOB && method != Method.CANCEL_EXECUTION && !readQuota.take()) {
            failure = Status.RESOURCE_EXHAUSTED.withDescription("Quota exceeded for quota metric 'Read requests'");
        }
        if (failure != null) {
            observer.onError(failure.asRuntimeException());
            return true;
        }
        return false;
    }

    private FakeExecution find(String name, StreamObserver<?> observer) {
        FakeExecution ex = executions.get(name);
        if (ex == null) {
            observer.onError(Status.NOT_FOUND.withDescription("Resource '" + name + "' was not found")
                    .asRuntimeException());
        }
        return ex;
    }

    private Operation operation(FakeExecution ex, String opName) {
        Execution proto = ex.toProto(paused, false);
        var b = Operation.newBuilder().setName(opName).setMetadata(Any.pack(proto))
                .setDone(proto.hasCompletionTime());
        if (proto.hasCompletionTime()) {
            b.setResponse(Any.pack(proto));
        }
        return b.build();
    }

    /** Why Cloud Run would refuse this RunJob, or null. */
    private Status refusal(RunJobRequest request) {
        if (!JobName.isParsableFrom(request.getName())) {
            return Status.INVALID_ARGUMENT.withDescription("Invalid job name '" + request.getName() + "'");
        }
        FakeJob job = jobOf(request.getName());
        int taskCount = request.getOverrides().getTaskCount() > 0 ? request.getOverrides().getTaskCount()
                : job.taskCount();
        if (job.parallelism() > taskCount) {
            return Status.INVALID_ARGUMENT.withDescription("parallelism (" + job.parallelism()
                    + ") must be less than or equal to task_count (" + taskCount + ")");
        }
        for (var co : request.getOverrides().getContainerOverridesList()) {
            if (job.containers().size() > 1 && co.getName().isEmpty()) {
                return Status.INVALID_ARGUMENT.withDescription("container override needs a name: the job has "
                        + job.containers().size() + " containers");
            }
            if (job.envCount() + co.getEnvCount() > MAX_ENV_VARS) {
                return Status.INVALID_ARGUMENT.withDescription("a container may have at most " + MAX_ENV_VARS
                        + " environment variables");
            }
            for (EnvVar e : co.getEnvList()) {
                if (e.getName().startsWith("CLOUD_RUN_") || e.getName().equals("PORT")) {
                    return Status.INVALID_ARGUMENT.withDescription("environment variable " + e.getName()
                            + " is reserved");
                }
                if (e.getValue().getBytes(StandardCharsets.UTF_8).length > MAX_ENV_VALUE_BYTES) {
                    return Status.INVALID_ARGUMENT.withDescription("environment variable " + e.getName()
                            + " is longer than " + MAX_ENV_VALUE_BYTES + " bytes");
                }
            }
        }
        long runningNow = executions.values().stream().filter(e -> !e.completed()).count();
        if (runningNow >= maxRunningExecutions) {
            return Status.RESOURCE_EXHAUSTED.withDescription("Quota exceeded: running executions");
        }
        return null;
    }

    // ---- services

    private final class UserAgents implements ServerInterceptor {
        private final Metadata.Key<String> key = Metadata.Key.of("user-agent", Metadata.ASCII_STRING_MARSHALLER);

        @Override
        public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
                                                          ServerCallHandler<Q, R> next) {
            String ua = headers.get(key);
            if (ua != null && userAgents.size() < 100) {
                userAgents.add(ua);
            }
            return next.startCall(call, headers);
        }
    }

    private final class Jobs extends JobsGrpc.JobsImplBase {
        @Override
        public void runJob(RunJobRequest request, StreamObserver<Operation> observer) {
            long now = System.nanoTime();
            calls.computeIfAbsent(Method.RUN_JOB, m -> new AtomicInteger()).incrementAndGet();
            AtomicInteger h = hangs.get(Method.RUN_JOB);
            if (h != null && h.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                runJobCalls.add(new RunJobCall(now, request, Status.DEADLINE_EXCEEDED));
                hung.add(observer);
                return;
            }
            Status answer;
            synchronized (failures) {
                var q = failures.get(Method.RUN_JOB);
                answer = q == null ? null : q.poll();
            }
            if (answer == null) {
                answer = runJobError;
            }
            if (answer == null && !runJobQuota.take()) {
                answer = Status.RESOURCE_EXHAUSTED.withDescription("Quota exceeded for quota metric 'Job run requests'");
            }
            if (answer == null) {
                answer = refusal(request);
            }
            if (answer != null) {
                runJobCalls.add(new RunJobCall(now, request, answer));
                observer.onError(answer.asRuntimeException());
                return;
            }
            JobName job = JobName.parse(request.getName());
            String execId = job.getJob() + "-" + String.format("%06d", executionCounter.incrementAndGet());
            String name = ExecutionName.of(job.getProject(), job.getLocation(), job.getJob(), execId).toString();
            var ex = new FakeExecution(name, job.getJob(), request, jobOf(request.getName()),
                    i -> scripts.getOrDefault(i, Script.SUCCEED), taskDuration.toNanos(), failBeforeStart,
                    lagListCalls);
            executions.put(name, ex);
            peakRunningExecutions = Math.max(peakRunningExecutions,
                    (int) executions.values().stream().filter(e -> !e.completed()).count());
            if (startThenFail.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                runJobCalls.add(new RunJobCall(now, request, Status.UNAVAILABLE));
                observer.onError(Status.UNAVAILABLE.withDescription("connection reset").asRuntimeException());
                return;
            }
            runJobCalls.add(new RunJobCall(now, request, Status.OK));
            String opName = "projects/" + job.getProject() + "/locations/" + job.getLocation() + "/operations/"
                    + UUID.randomUUID();
            operations.put(opName, name);
            observer.onNext(operation(ex, opName));
            observer.onCompleted();
        }

        @Override
        public void getJob(GetJobRequest request, StreamObserver<Job> observer) {
            if (intercepted(Method.GET_JOB, observer)) {
                return;
            }
            FakeJob job = jobOf(request.getName());
            var template = TaskTemplate.newBuilder().setMaxRetries(job.maxRetries())
                    .setTimeout(com.google.protobuf.Duration.newBuilder().setSeconds(job.timeoutSeconds()));
            for (String c : job.containers()) {
                var container = Container.newBuilder().setName(c).setImage("example/" + c);
                for (int i = 0; i < job.envCount(); i++) {
                    container.addEnv(EnvVar.newBuilder().setName("JOB_VAR_" + i).setValue("x"));
                }
                template.addContainers(container);
            }
            observer.onNext(Job.newBuilder().setName(request.getName())
                    .setTemplate(ExecutionTemplate.newBuilder().setParallelism(job.parallelism())
                            .setTaskCount(job.taskCount()).setTemplate(template))
                    .build());
            observer.onCompleted();
        }
    }

    private final class Executions extends ExecutionsGrpc.ExecutionsImplBase {
        @Override
        public void getExecution(GetExecutionRequest request, StreamObserver<Execution> observer) {
            getExecutionCalls.computeIfAbsent(request.getName(), n -> new AtomicInteger()).incrementAndGet();
            if (intercepted(Method.GET_EXECUTION, observer)) {
                return;
            }
            FakeExecution ex = find(request.getName(), observer);
            if (ex != null) {
                Execution proto = ex.toProto(paused, lagCounts);
                if (hideOverrides) {
                    proto = proto.toBuilder().setTemplate(com.google.cloud.run.v2.TaskTemplate.newBuilder()
                            .addContainers(com.google.cloud.run.v2.Container.newBuilder().setName("worker")
                                    .setImage("example/worker"))).build();
                }
                observer.onNext(proto);
                observer.onCompleted();
            }
        }

        @Override
        public void listExecutions(ListExecutionsRequest request, StreamObserver<ListExecutionsResponse> observer) {
            if (intercepted(Method.LIST_EXECUTIONS, observer)) {
                return;
            }
            String jobId = JobName.parse(request.getParent()).getJob();
            // Newest first, as Cloud Run lists them.
            List<FakeExecution> mine = executions.values().stream().filter(e -> e.jobId.equals(jobId))
                    .sorted(Comparator.comparing((FakeExecution e) -> e.name).reversed()).toList();
            int pageSize = request.getPageSize() <= 0 ? 100 : Math.min(request.getPageSize(), 1000);
            int start = request.getPageToken().isEmpty() ? 0 : Integer.parseInt(request.getPageToken());
            int end = Math.min(mine.size(), start + pageSize);
            var page = ListExecutionsResponse.newBuilder();
            for (int i = start; i < end; i++) {
                page.addExecutions(mine.get(i).toProto(paused, false));
            }
            observer.onNext(page.setNextPageToken(end < mine.size() ? Integer.toString(end) : "").build());
            observer.onCompleted();
        }

        @Override
        public void cancelExecution(CancelExecutionRequest request, StreamObserver<Operation> observer) {
            cancelCalls.add(request.getName());
            if (intercepted(Method.CANCEL_EXECUTION, observer)) {
                return;
            }
            FakeExecution ex = find(request.getName(), observer);
            if (ex == null) {
                return;
            }
            if (ex.completed()) {
                observer.onError(Status.FAILED_PRECONDITION.withDescription("execution " + ex.name
                        + " has already completed").asRuntimeException());
                return;
            }
            ex.cancel();
            String opName = "projects/p/locations/l/operations/" + UUID.randomUUID();
            operations.put(opName, ex.name);
            observer.onNext(Operation.newBuilder().setName(opName).setDone(false).build());
            observer.onCompleted();
        }
    }

    private final class Tasks extends TasksGrpc.TasksImplBase {
        @Override
        public void listTasks(ListTasksRequest request, StreamObserver<ListTasksResponse> observer) {
            listTasksCalls.incrementAndGet();
            if (intercepted(Method.LIST_TASKS, observer)) {
                return;
            }
            FakeExecution ex = find(request.getParent(), observer);
            if (ex == null) {
                return;
            }
            var states = ex.listStates(paused);
            int pageSize = request.getPageSize() <= 0 ? 100 : Math.min(request.getPageSize(), 1000);
            int start = request.getPageToken().isEmpty() ? 0 : Integer.parseInt(request.getPageToken());
            int end = Math.min(states.length, start + pageSize);
            var tasks = new ArrayList<Task>(end - start);
            for (int i = start; i < end; i++) {
                Task t = ex.task(i, states[i]);
                if (t != null) {
                    tasks.add(t);
                }
            }
            observer.onNext(ListTasksResponse.newBuilder().addAllTasks(tasks)
                    .setNextPageToken(end < states.length && !tasks.isEmpty() ? Integer.toString(end) : "").build());
            observer.onCompleted();
        }
    }

    private final class Operations extends OperationsGrpc.OperationsImplBase {
        @Override
        public void getOperation(GetOperationRequest request, StreamObserver<Operation> observer) {
            String exName = operations.get(request.getName());
            if (exName == null || executions.get(exName) == null) {
                observer.onError(Status.NOT_FOUND.withDescription("operation " + request.getName())
                        .asRuntimeException());
                return;
            }
            observer.onNext(operation(executions.get(exName), request.getName()));
            observer.onCompleted();
        }
    }
}
