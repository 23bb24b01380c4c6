package dev.orchestrator.internal;

import dev.orchestrator.spi.Executor;
import dev.orchestrator.spi.StatusSink;
import dev.orchestrator.spi.StatusUpdate;
import dev.orchestrator.spi.TaskContext;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An executor that starts nothing: it remembers each attempt's sink so the test reports for it,
 * and records cancels and adoptions. Optionally it reports a failure when asked to cancel.
 */
final class ScriptedExecutor implements Executor {

    final Map<Long, StatusSink> sinks = new LinkedHashMap<>();
    final Map<Long, TaskContext> started = new LinkedHashMap<>();
    final List<TaskContext> cancelled = new ArrayList<>();
    final List<TaskContext> adopted = new ArrayList<>();
    boolean stopsWhenCancelled = true;
    /** What {@link #reportsStart()} answers. */
    boolean reportsStart;
    /** What {@link #adoptsUnnamed()} answers. */
    boolean adoptsUnnamed;
    final List<Duration> renewals = new ArrayList<>();
    final List<Duration> graces = new ArrayList<>();

    @Override
    public String type() {
        return "scripted";
    }

    @Override
    public void start(TaskContext task, StatusSink sink) {
        started.put(task.taskId(), task);
        sinks.put(task.taskId(), sink);
        sink.report(StatusUpdate.running("exec-" + task.taskId(), null));
    }

    @Override
    public void cancel(TaskContext task) {
        cancelled.add(task);
        if (stopsWhenCancelled) {
            sinks.get(task.taskId()).report(StatusUpdate.failed(143, "terminated", null));
        }
    }

    @Override
    public void cancel(TaskContext task, Duration grace) {
        graces.add(grace);
        cancel(task);
    }

    @Override
    public void leaseRenewed(Duration validFor) {
        renewals.add(validFor);
    }

    @Override
    public boolean reportsStart() {
        return reportsStart;
    }

    @Override
    public boolean adoptsUnnamed() {
        return adoptsUnnamed;
    }

    @Override
    public boolean canAdopt() {
        return true;
    }

    @Override
    public void adopt(TaskContext task, StatusSink sink) {
        adopted.add(task);
        sinks.put(task.taskId(), sink);
    }
}
