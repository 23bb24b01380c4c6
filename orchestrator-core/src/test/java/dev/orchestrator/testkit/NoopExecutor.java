package dev.orchestrator.testkit;

import dev.orchestrator.*;
import dev.orchestrator.spi.*;
import dev.orchestrator.spi.Executor;
import dev.orchestrator.spi.StatusSink;
import dev.orchestrator.spi.StatusUpdate;
import dev.orchestrator.spi.TaskContext;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A test executor of type {@code noop} that succeeds at once, counting starts and noticing any
 * task started twice while its first attempt still runs.
 */
public final class NoopExecutor implements Executor {

    /** Attempts started. */
    public final AtomicInteger starts = new AtomicInteger();
    /** Task ids currently running on this executor. */
    private final Set<Long> live = ConcurrentHashMap.newKeySet();
    /** Set when one task had two live attempts at once. */
    public volatile boolean overlapSeen;

    @Override
    public String type() {
        return "noop";
    }

    @Override
    public void start(TaskContext task, StatusSink sink) {
        starts.incrementAndGet();
        if (!live.add(task.taskId())) {
            overlapSeen = true;
        }
        sink.report(StatusUpdate.running("noop-" + task.taskId(), null));
        live.remove(task.taskId());
        sink.report(StatusUpdate.succeeded(0, null));
    }
}
