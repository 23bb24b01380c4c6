package dev.orchestrator.cloudrun;

import com.google.cloud.run.v2.Condition;
import com.google.cloud.run.v2.Container;
import com.google.cloud.run.v2.Execution;
import com.google.cloud.run.v2.ExecutionName;
import com.google.cloud.run.v2.RunJobRequest;
import com.google.cloud.run.v2.Task;
import com.google.cloud.run.v2.TaskAttemptResult;
import com.google.cloud.run.v2.TaskTemplate;
import com.google.protobuf.Timestamp;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.PriorityQueue;
import java.util.function.IntFunction;

/**
 * One execution of the fake, modelled as Cloud Run runs it: at most {@code parallelism} tasks run
 * at once and the rest queue; each task attempt runs for the task duration from its own start
 * (or until the per-task timeout, counted from that start); a failed attempt is retried up to
 * {@code max_retries} times; a cancel goes through a CANCELLING phase (one more observation with
 * tasks still running) before the tasks end as cancelled. Time is {@link System#nanoTime()}.
 * Guarded by {@code this}.
 */
final class FakeExecution {

    enum State { PENDING, RUNNING, SUCCEEDED, FAILED, CANCELLED }

    final String name;
    final String jobId;
    final RunJobRequest request;
    final int offset;
    final int parallelism;
    final int maxRetries;
    final long timeoutNanos;
    final long durationNanos;
    private final FakeCloudRun.Script[] scripts;
    private final State[] states;
    private final long[] attemptStart;
    /** When each task first left PENDING (Task.start_time), or null while it waits. */
    private final Timestamp[] startTime;
    private final int[] retries;
    private final String[] messages;
    private final ArrayDeque<Integer> pending = new ArrayDeque<>();
    /** Running tasks by the time their attempt ends. */
    private final PriorityQueue<long[]> running = new PriorityQueue<>((a, b) -> Long.compare(a[0], b[0]));
    final Timestamp createTime = FakeCloudRun.timestamp(Instant.now());
    private final String failBeforeStart;
    private Timestamp completionTime;
    private boolean cancelling;
    private boolean cancelled;
    /** The states as the previous GetExecution saw them (for lagging task states). */
    private State[] lastSeen;
    private int lagListCalls;

    FakeExecution(String name, String jobId, RunJobRequest request, FakeCloudRun.FakeJob job,
                  IntFunction<FakeCloudRun.Script> scriptOf, long durationNanos, String failBeforeStart,
                  int lagListCalls) {
        this.name = name;
        this.jobId = jobId;
        this.request = request;
        int count = request.getOverrides().getTaskCount() > 0 ? request.getOverrides().getTaskCount() : job.taskCount();
        this.offset = FakeCloudRun.envInt(request, "ORCHESTRATOR_TASK_INDEX_OFFSET", 0);
        this.parallelism = job.parallelism() == 0 ? count : Math.min(count, job.parallelism());
        this.maxRetries = job.maxRetries();
        long timeoutSeconds = request.getOverrides().hasTimeout() ? request.getOverrides().getTimeout().getSeconds()
                : job.timeoutSeconds();
        this.timeoutNanos = timeoutSeconds * 1_000_000_000L;
        this.durationNanos = durationNanos;
        this.failBeforeStart = failBeforeStart;
        this.lagListCalls = lagListCalls;
        this.scripts = new FakeCloudRun.Script[count];
        this.states = new State[count];
        this.attemptStart = new long[count];
        this.startTime = new Timestamp[count];
        this.retries = new int[count];
        this.messages = new String[count];
        for (int i = 0; i < count; i++) {
            scripts[i] = scriptOf.apply(offset + i);
            states[i] = State.PENDING;
            pending.add(i);
        }
        this.lastSeen = states.clone();
        if (failBeforeStart == null) {
            startPending(System.nanoTime());
        }
    }

    int taskCount() {
        return states.length;
    }

    synchronized boolean completed() {
        return completionTime != null;
    }

    synchronized int runningTasks() {
        return running.size();
    }

    private void startPending(long at) {
        while (running.size() < parallelism && !pending.isEmpty()) {
            int i = pending.poll();
            states[i] = State.RUNNING;
            attemptStart[i] = at;
            if (startTime[i] == null) {
                startTime[i] = FakeCloudRun.timestamp(Instant.now().minusNanos(Math.max(0, System.nanoTime() - at)));
            }
            running.add(new long[]{endOf(i), i});
        }
    }

    private long endOf(int i) {
        long end = scripts[i].kind() == FakeCloudRun.Kind.HANG ? Long.MAX_VALUE : attemptStart[i] + durationNanos;
        return Math.min(end, timeoutNanos > 0 ? attemptStart[i] + timeoutNanos : Long.MAX_VALUE);
    }

    /** Moves the model to now, unless paused. */
    synchronized void advance(boolean paused) {
        if (paused || completionTime != null) {
            return;
        }
        if (failBeforeStart != null) {
            for (int i = 0; i < states.length; i++) {
                states[i] = State.FAILED;
            }
            pending.clear();
            completionTime = FakeCloudRun.timestamp(Instant.now());
            return;
        }
        long now = System.nanoTime();
        while (!running.isEmpty() && running.peek()[0] <= now) {
            long[] e = running.poll();
            int i = (int) e[1];
            long at = e[0];
            boolean timedOut = at - attemptStart[i] >= timeoutNanos && timeoutNanos > 0
                    && (scripts[i].kind() == FakeCloudRun.Kind.HANG || durationNanos >= timeoutNanos);
            boolean ok = !timedOut && scripts[i].kind() == FakeCloudRun.Kind.SUCCEED;
            if (ok) {
                states[i] = State.SUCCEEDED;
            } else if (retries[i] < maxRetries) {
                retries[i]++;
                attemptStart[i] = at;
                running.add(new long[]{endOf(i), i});
                continue;
            } else {
                states[i] = State.FAILED;
                messages[i] = timedOut ? "Task timed out after " + timeoutNanos / 1_000_000_000L + "s."
                        : "The container exited with an error (exit code " + scripts[i].exitCode() + ").";
            }
            startPending(at);
        }
        if (running.isEmpty() && pending.isEmpty()) {
            completionTime = FakeCloudRun.timestamp(Instant.now());
        }
    }

    /** CancelExecution: the execution is CANCELLING until the next observation. */
    synchronized void cancel() {
        if (completionTime == null) {
            cancelling = true;
        }
    }

    private void finishCancel() {
        for (int i = 0; i < states.length; i++) {
            if (states[i] == State.PENDING || states[i] == State.RUNNING) {
                states[i] = State.CANCELLED;
            }
        }
        running.clear();
        pending.clear();
        cancelled = true;
        completionTime = FakeCloudRun.timestamp(Instant.now());
    }

    synchronized Execution toProto(boolean paused, boolean lagCounts) {
        if (cancelling && completionTime == null) {
            cancelling = false;
            Execution cancellingView = view(states, false);
            finishCancel();
            return cancellingView;
        }
        advance(paused);
        State[] shown = lagCounts ? lastSeen : states;
        Execution ex = view(shown, true);
        lastSeen = states.clone();
        return ex;
    }

    private Execution view(State[] shown, boolean withCompletion) {
        int run = 0;
        int succeeded = 0;
        int failed = 0;
        int cancelledCount = 0;
        for (State s : shown) {
            switch (s) {
                case RUNNING -> run++;
                case SUCCEEDED -> succeeded++;
                case FAILED -> failed++;
                case CANCELLED -> cancelledCount++;
                default -> {
                }
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
                .setParallelism(parallelism)
                .setCreateTime(createTime)
                .setRunningCount(run)
                .setSucceededCount(succeeded)
                .setFailedCount(failed)
                .setCancelledCount(cancelledCount)
                .setTemplate(TaskTemplate.newBuilder().addContainers(container));
        if (failBeforeStart == null) {
            b.setStartTime(createTime);
        }
        if (withCompletion && completionTime != null) {
            b.setCompletionTime(completionTime);
            String message = failBeforeStart != null ? failBeforeStart
                    : cancelled ? "Execution was cancelled" : failed + " task(s) failed";
            b.addConditions(Condition.newBuilder().setType("Completed")
                    .setState(failed + cancelledCount == 0 ? Condition.State.CONDITION_SUCCEEDED
                            : Condition.State.CONDITION_FAILED)
                    .setMessage(message));
        }
        return b.build();
    }

    /** The states a ListTasks call shows: lagging behind for the first calls after the end, if asked. */
    synchronized State[] listStates(boolean paused) {
        advance(paused);
        if (completionTime != null && lagListCalls > 0) {
            lagListCalls--;
            State[] lagged = states.clone();
            for (int i = 0; i < lagged.length; i++) {
                if (lagged[i] == State.FAILED) {
                    lagged[i] = State.RUNNING;
                }
            }
            return lagged;
        }
        return states.clone();
    }

    synchronized Task task(int i, State state) {
        if (failBeforeStart != null) {
            return null;
        }
        String execId = ExecutionName.parse(name).getExecution();
        var b = Task.newBuilder()
                .setName(name + "/tasks/" + execId + "-task" + i)
                .setJob(jobId)
                .setExecution(execId)
                .setIndex(i)
                .setRetried(retries[i])
                .setCreateTime(createTime);
        if (startTime[i] != null && state != State.PENDING) {
            b.setStartTime(startTime[i]);
        }
        switch (state) {
            case PENDING, RUNNING -> {
                return b.build();
            }
            case SUCCEEDED -> b.setLastAttemptResult(TaskAttemptResult.newBuilder()
                            .setStatus(com.google.rpc.Status.newBuilder().setCode(0)).setExitCode(0))
                    .addConditions(Condition.newBuilder().setType("Completed")
                            .setState(Condition.State.CONDITION_SUCCEEDED));
            case FAILED -> {
                int exit = scripts[i].kind() == FakeCloudRun.Kind.FAIL ? scripts[i].exitCode() : 0;
                b.setLastAttemptResult(TaskAttemptResult.newBuilder()
                                .setStatus(com.google.rpc.Status.newBuilder().setCode(exit != 0 ? 2 : 4)
                                        .setMessage(messages[i]))
                                .setExitCode(exit))
                        .addConditions(Condition.newBuilder().setType("Completed")
                                .setState(Condition.State.CONDITION_FAILED).setMessage(messages[i]));
            }
            case CANCELLED -> b.addConditions(Condition.newBuilder().setType("Completed")
                    .setState(Condition.State.CONDITION_FAILED).setMessage("The task was cancelled."));
        }
        return b.setCompletionTime(completionTime == null ? FakeCloudRun.timestamp(Instant.now()) : completionTime)
                .build();
    }
}
