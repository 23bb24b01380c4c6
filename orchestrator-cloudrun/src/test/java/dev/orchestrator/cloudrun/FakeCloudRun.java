package dev.orchestrator.cloudrun;

import com.google.api.gax.core.NoCredentialsProvider;
import com.google.api.gax.grpc.GrpcTransportChannel;
import com.google.api.gax.rpc.FixedTransportChannelProvider;
import com.google.api.gax.rpc.TransportChannelProvider;
import com.google.cloud.run.v2.CancelExecutionRequest;
import com.google.cloud.run.v2.Condition;
import com.google.cloud.run.v2.Container;
import com.google.cloud.run.v2.EnvVar;
import com.google.cloud.run.v2.Execution;
import com.google.cloud.run.v2.ExecutionName;
import com.google.cloud.run.v2.ExecutionsGrpc;
import com.google.cloud.run.v2.GetExecutionRequest;
import com.google.cloud.run.v2.JobName;
import com.google.cloud.run.v2.JobsGrpc;
import com.google.cloud.run.v2.ListTasksRequest;
import com.google.cloud.run.v2.ListTasksResponse;
import com.google.cloud.run.v2.RunJobRequest;
import com.google.cloud.run.v2.Task;
import com.google.cloud.run.v2.TaskAttemptResult;
import com.google.cloud.run.v2.TaskTemplate;
import com.google.cloud.run.v2.TasksGrpc;
import com.google.longrunning.GetOperationRequest;
import com.google.longrunning.Operation;
import com.google.longrunning.OperationsGrpc;
import com.google.protobuf.Any;
import com.google.protobuf.Timestamp;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A local fake of the Cloud Run v2 gRPC services the executor uses: {@code Jobs.RunJob},
 * {@code Executions.GetExecution/CancelExecution}, {@code Tasks.ListTasks} and
 * {@code Operations.GetOperation}. Outcomes are scripted per orchestrator task index (the
 * execution's {@code ORCHESTRATOR_TASK_INDEX_OFFSET} plus the Cloud Run task index), as a real
 * container would compute it. Every task runs for {@link #taskDuration} unless it hangs (until
 * cancelled) or the fake is {@link #pause() paused}. Every RunJob call is recorded with its time.
 */
final class FakeCloudRun implements AutoCloseable {

    /** What a task does. */
    enum Kind { SUCCEED, FAIL, HANG }

    /** A scripted outcome. */
    record Script(Kind kind, int exitCode) {
        static final Script SUCCEED = new Script(Kind.SUCCEED, 0);
        static final Script HANG = new Script(Kind.HANG, 0);

        static Script fail(int exitCode) {
            return new Script(Kind.FAIL, exitCode);
        }
    }

    /** One RunJob call as the server received it. */
    record RunJobCall(long nanoTime, RunJobRequest request, Status answer) {
    }

    private enum State { RUNNING, SUCCEEDED, FAILED, CANCELLED }

    private final Server server;
    private final String inProcessName;
    private final Map<Integer, Script> scripts = new ConcurrentHashMap<>();
    private final List<RunJobCall> runJobCalls = new CopyOnWriteArrayList<>();
    private final List<String> cancelCalls = new CopyOnWriteArrayList<>();
    private final List<ManagedChannel> channels = new CopyOnWriteArrayList<>();
    private final Map<String, AtomicInteger> getExecutionCalls = new ConcurrentHashMap<>();
    private final AtomicInteger listTasksCalls = new AtomicInteger();
    private final Map<String, FakeExecution> executions = new ConcurrentHashMap<>();
    private final Map<String, String> operations = new ConcurrentHashMap<>();
    private final AtomicInteger throttleRemaining = new AtomicInteger();
    private final AtomicInteger getExecutionFailures = new AtomicInteger();
    private final AtomicInteger executionCounter = new AtomicInteger();
    private volatile Status runJobError;
    private volatile boolean paused;
    private volatile Duration taskDuration = Duration.ofMillis(30);

    private FakeCloudRun(boolean loopback) throws IOException {
        inProcessName = "fake-cloud-run-" + UUID.randomUUID();
        var services = List.of(new Jobs(), new Executions(), new Tasks(), new Operations());
        if (loopback) {
            var b = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0));
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
                .retryTimeout(Duration.ofSeconds(20));
    }

    // ---- scripting

    void script(int taskIndex, Script script) {
        scripts.put(taskIndex, script);
    }

    /** Every RunJob call fails with {@code status} (null to stop). */
    void failRunJob(Status status) {
        runJobError = status;
    }

    /** The next {@code n} RunJob calls fail with RESOURCE_EXHAUSTED. */
    void throttleRunJob(int n) {
        throttleRemaining.set(n);
    }

    /** The next {@code n} GetExecution calls fail with UNAVAILABLE. */
    void failGetExecution(int n) {
        getExecutionFailures.set(n);
    }

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

    List<String> cancelCalls() {
        return List.copyOf(cancelCalls);
    }

    int getExecutionCalls(String name) {
        AtomicInteger n = getExecutionCalls.get(name);
        return n == null ? 0 : n.get();
    }

    int listTasksCalls() {
        return listTasksCalls.get();
    }

    Execution execution(String name) {
        return executions.get(name).toProto();
    }

    @Override
    public void close() {
        channels.forEach(ManagedChannel::shutdownNow);
        server.shutdownNow();
        try {
            server.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    // ---- model

    private final class FakeExecution {
        final String name;
        final String jobId;
        final RunJobRequest request;
        final int offset;
        final Script[] scripts;
        final State[] states;
        final long createdNanos = System.nanoTime();
        final Timestamp createTime = now();
        Timestamp completionTime;
        boolean cancelled;

        FakeExecution(String name, String jobId, RunJobRequest request) {
            this.name = name;
            this.jobId = jobId;
            this.request = request;
            int count = Math.max(1, request.getOverrides().getTaskCount());
            this.offset = envInt(request, "ORCHESTRATOR_TASK_INDEX_OFFSET", 0);
            this.scripts = new Script[count];
            this.states = new State[count];
            for (int i = 0; i < count; i++) {
                scripts[i] = FakeCloudRun.this.scripts.getOrDefault(offset + i, Script.SUCCEED);
                states[i] = State.RUNNING;
            }
        }

        synchronized void advance() {
            if (paused || completionTime != null) {
                return;
            }
            boolean elapsed = System.nanoTime() - createdNanos >= taskDuration.toNanos();
            boolean allEnded = true;
            for (int i = 0; i < states.length; i++) {
                if (states[i] == State.RUNNING && elapsed && scripts[i].kind() != Kind.HANG) {
                    states[i] = scripts[i].kind() == Kind.SUCCEED ? State.SUCCEEDED : State.FAILED;
                }
                allEnded &= states[i] != State.RUNNING;
            }
            if (allEnded) {
                completionTime = now();
            }
        }

        synchronized void cancel() {
            cancelled = true;
            for (int i = 0; i < states.length; i++) {
                if (states[i] == State.RUNNING) {
                    states[i] = State.CANCELLED;
                }
            }
            completionTime = now();
        }

        synchronized Execution toProto() {
            advance();
            int running = 0;
            int succeeded = 0;
            int failed = 0;
            int cancelledCount = 0;
            for (State s : states) {
                switch (s) {
                    case RUNNING -> running++;
                    case SUCCEEDED -> succeeded++;
                    case FAILED -> failed++;
                    case CANCELLED -> cancelledCount++;
                }
            }
            var container = Container.newBuilder().setName("worker").setImage("example/worker");
            for (var co : request.getOverrides().getContainerOverridesList()) {
                container.addAllArgs(co.getArgsList()).addAllEnv(co.getEnvList());
            }
            var b = Execution.newBuilder()
                    .setName(name)
                    .setJob(jobId)
                    .setTaskCount(states.length)
                    .setParallelism(states.length)
                    .setCreateTime(createTime)
                    .setStartTime(createTime)
                    .setRunningCount(running)
                    .setSucceededCount(succeeded)
                    .setFailedCount(failed)
                    .setCancelledCount(cancelledCount)
                    .setTemplate(TaskTemplate.newBuilder().addContainers(container));
            if (completionTime != null) {
                b.setCompletionTime(completionTime);
                b.addConditions(Condition.newBuilder().setType("Completed")
                        .setState(failed + cancelledCount == 0 ? Condition.State.CONDITION_SUCCEEDED
                                : Condition.State.CONDITION_FAILED)
                        .setMessage(cancelled ? "Execution was cancelled" : failed + " task(s) failed"));
            }
            return b.build();
        }

        synchronized Task task(int i) {
            String execId = ExecutionName.parse(name).getExecution();
            var b = Task.newBuilder()
                    .setName(name + "/tasks/" + execId + "-task" + i)
                    .setJob(jobId)
                    .setExecution(execId)
                    .setIndex(i)
                    .setCreateTime(createTime);
            switch (states[i]) {
                case RUNNING -> {
                    return b.build();
                }
                case SUCCEEDED -> b.setLastAttemptResult(TaskAttemptResult.newBuilder()
                                .setStatus(com.google.rpc.Status.newBuilder().setCode(0)).setExitCode(0))
                        .addConditions(Condition.newBuilder().setType("Completed")
                                .setState(Condition.State.CONDITION_SUCCEEDED));
                case FAILED -> {
                    String msg = "The container exited with an error (exit code " + scripts[i].exitCode() + ").";
                    b.setLastAttemptResult(TaskAttemptResult.newBuilder()
                                    .setStatus(com.google.rpc.Status.newBuilder().setCode(2).setMessage(msg))
                                    .setExitCode(scripts[i].exitCode()))
                            .addConditions(Condition.newBuilder().setType("Completed")
                                    .setState(Condition.State.CONDITION_FAILED).setMessage(msg));
                }
                case CANCELLED -> b.addConditions(Condition.newBuilder().setType("Completed")
                        .setState(Condition.State.CONDITION_FAILED).setMessage("The task was cancelled."));
            }
            return b.setCompletionTime(completionTime == null ? now() : completionTime).build();
        }
    }

    private static int envInt(RunJobRequest request, String name, int dflt) {
        for (var co : request.getOverrides().getContainerOverridesList()) {
            for (EnvVar e : co.getEnvList()) {
                if (e.getName().equals(name)) {
                    return Integer.parseInt(e.getValue());
                }
            }
        }
        return dflt;
    }

    private static Timestamp now() {
        Instant t = Instant.now();
        return Timestamp.newBuilder().setSeconds(t.getEpochSecond()).setNanos(t.getNano()).build();
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
        Execution proto = ex.toProto();
        var b = Operation.newBuilder().setName(opName).setMetadata(Any.pack(proto))
                .setDone(proto.hasCompletionTime());
        if (proto.hasCompletionTime()) {
            b.setResponse(Any.pack(proto));
        }
        return b.build();
    }

    // ---- services

    private final class Jobs extends JobsGrpc.JobsImplBase {
        @Override
        public void runJob(RunJobRequest request, StreamObserver<Operation> observer) {
            Status answer = Status.OK;
            if (runJobError != null) {
                answer = runJobError;
            } else if (throttleRemaining.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                answer = Status.RESOURCE_EXHAUSTED.withDescription("Quota exceeded for quota metric 'Job run requests'");
            } else if (!JobName.isParsableFrom(request.getName())) {
                answer = Status.INVALID_ARGUMENT.withDescription("Invalid job name '" + request.getName() + "'");
            }
            runJobCalls.add(new RunJobCall(System.nanoTime(), request, answer));
            if (!answer.isOk()) {
                observer.onError(answer.asRuntimeException());
                return;
            }
            JobName job = JobName.parse(request.getName());
            String execId = job.getJob() + "-" + String.format("%05d", executionCounter.incrementAndGet());
            String name = ExecutionName.of(job.getProject(), job.getLocation(), job.getJob(), execId).toString();
            var ex = new FakeExecution(name, job.getJob(), request);
            executions.put(name, ex);
            String opName = "projects/" + job.getProject() + "/locations/" + job.getLocation() + "/operations/"
                    + UUID.randomUUID();
            operations.put(opName, name);
            observer.onNext(operation(ex, opName));
            observer.onCompleted();
        }
    }

    private final class Executions extends ExecutionsGrpc.ExecutionsImplBase {
        @Override
        public void getExecution(GetExecutionRequest request, StreamObserver<Execution> observer) {
            getExecutionCalls.computeIfAbsent(request.getName(), n -> new AtomicInteger()).incrementAndGet();
            if (getExecutionFailures.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                observer.onError(Status.UNAVAILABLE.withDescription("try again").asRuntimeException());
                return;
            }
            FakeExecution ex = find(request.getName(), observer);
            if (ex != null) {
                observer.onNext(ex.toProto());
                observer.onCompleted();
            }
        }

        @Override
        public void cancelExecution(CancelExecutionRequest request, StreamObserver<Operation> observer) {
            cancelCalls.add(request.getName());
            FakeExecution ex = find(request.getName(), observer);
            if (ex == null) {
                return;
            }
            ex.cancel();
            String opName = "projects/p/locations/l/operations/" + UUID.randomUUID();
            operations.put(opName, ex.name);
            observer.onNext(operation(ex, opName));
            observer.onCompleted();
        }
    }

    private final class Tasks extends TasksGrpc.TasksImplBase {
        @Override
        public void listTasks(ListTasksRequest request, StreamObserver<ListTasksResponse> observer) {
            listTasksCalls.incrementAndGet();
            FakeExecution ex = find(request.getParent(), observer);
            if (ex == null) {
                return;
            }
            ex.advance();
            int pageSize = request.getPageSize() <= 0 ? 100 : Math.min(request.getPageSize(), 1000);
            int start = request.getPageToken().isEmpty() ? 0 : Integer.parseInt(request.getPageToken());
            int end = Math.min(ex.states.length, start + pageSize);
            var tasks = new ArrayList<Task>(end - start);
            for (int i = start; i < end; i++) {
                tasks.add(ex.task(i));
            }
            observer.onNext(ListTasksResponse.newBuilder().addAllTasks(tasks)
                    .setNextPageToken(end < ex.states.length ? Integer.toString(end) : "").build());
            observer.onCompleted();
        }
    }

    private final class Operations extends OperationsGrpc.OperationsImplBase {
        @Override
        public void getOperation(GetOperationRequest request, StreamObserver<Operation> observer) {
            String exName = operations.get(request.getName());
            if (exName == null) {
                observer.onError(Status.NOT_FOUND.withDescription("operation " + request.getName())
                        .asRuntimeException());
                return;
            }
            observer.onNext(operation(executions.get(exName), request.getName()));
            observer.onCompleted();
        }
    }
}
