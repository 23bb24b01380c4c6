package dev.orchestrator.internal;

import dev.orchestrator.StepSpec;
import dev.orchestrator.spi.Executor;
import dev.orchestrator.spi.StatusSink;
import dev.orchestrator.spi.StatusUpdate;
import dev.orchestrator.spi.TaskContext;

import java.time.Instant;

/**
 * One attempt this node runs, and the sink its executor reports to. Fields other than
 * {@link #closed} are touched by the scheduler loop only.
 */
final class InFlight implements StatusSink {

    final TaskContext context;
    final StepSpec step;
    final Executor executor;
    private final Scheduler scheduler;

    /** Set by the loop once the attempt's end is recorded; later reports are dropped. */
    volatile boolean closed;
    final Instant dispatchedAt;
    Instant lastHeartbeat;
    /** When the loop asked the executor to stop it (timeout), or null. */
    Instant cancelledAt;
    String cancelReason;

    InFlight(TaskContext context, StepSpec step, Executor executor, Scheduler scheduler, Instant startedAt,
             Instant now) {
        this.context = context;
        this.step = step;
        this.executor = executor;
        this.scheduler = scheduler;
        this.dispatchedAt = startedAt;
        this.lastHeartbeat = now;
    }

    @Override
    public void report(StatusUpdate update) {
        if (!closed) {
            scheduler.enqueue(this, update);
        }
    }
}
