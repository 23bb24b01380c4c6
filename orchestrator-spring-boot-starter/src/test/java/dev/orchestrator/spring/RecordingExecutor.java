package dev.orchestrator.spring;

import dev.orchestrator.spi.Executor;
import dev.orchestrator.spi.StatusSink;
import dev.orchestrator.spi.StatusUpdate;
import dev.orchestrator.spi.TaskContext;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** An executor that records the tasks it starts and ends each one with success at once. */
final class RecordingExecutor implements Executor {

    private final String type;
    final List<Long> started = new CopyOnWriteArrayList<>();

    RecordingExecutor(String type) {
        this.type = type;
    }

    @Override
    public String type() {
        return type;
    }

    @Override
    public void start(TaskContext task, StatusSink sink) {
        started.add(task.taskId());
        sink.report(StatusUpdate.running(type + "-" + task.taskId(), null));
        sink.report(StatusUpdate.succeeded(0, null));
    }
}
