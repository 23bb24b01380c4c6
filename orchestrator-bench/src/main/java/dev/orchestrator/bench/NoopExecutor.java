package dev.orchestrator.bench;

import dev.orchestrator.spi.Dispatch;
import dev.orchestrator.spi.Executor;
import dev.orchestrator.spi.StatusSink;
import dev.orchestrator.spi.StatusUpdate;
import dev.orchestrator.spi.TaskContext;

import java.util.List;

/** An in-process executor whose attempts succeed at once: measures the orchestrator, not the work. */
public final class NoopExecutor implements Executor {

    /** The executor type steps name. */
    public static final String TYPE = "noop";
    private static final StatusUpdate DONE = StatusUpdate.succeeded(0, null);

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public void start(TaskContext task, StatusSink sink) {
        sink.report(DONE);
    }

    @Override
    public void startAll(List<Dispatch> batch) {
        for (Dispatch d : batch) {
            d.sink().report(DONE);
        }
    }
}
