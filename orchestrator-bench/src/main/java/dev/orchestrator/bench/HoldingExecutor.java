package dev.orchestrator.bench;

import dev.orchestrator.spi.Executor;
import dev.orchestrator.spi.StatusSink;
import dev.orchestrator.spi.StatusUpdate;
import dev.orchestrator.spi.TaskContext;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An executor that keeps every attempt open (reported {@code RUNNING}) until {@link #releaseAll()}:
 * puts a known number of tasks in flight. It keeps one reference per attempt (the sink), so
 * what stays on the heap is what the orchestrator retains.
 */
public final class HoldingExecutor implements Executor {

    /** The executor type steps name. */
    public static final String TYPE = "hold";

    private final ConcurrentLinkedQueue<StatusSink> held = new ConcurrentLinkedQueue<>();
    private final AtomicInteger count = new AtomicInteger();

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public void start(TaskContext task, StatusSink sink) {
        sink.report(StatusUpdate.running("held-" + task.taskId(), null));
        held.add(sink);
        count.incrementAndGet();
    }

    /** Attempts started and not yet released. */
    public int held() {
        return count.get();
    }

    /** Ends every held attempt with success. */
    public void releaseAll() {
        StatusSink s;
        while ((s = held.poll()) != null) {
            count.decrementAndGet();
            s.report(StatusUpdate.succeeded(0, null));
        }
    }
}
