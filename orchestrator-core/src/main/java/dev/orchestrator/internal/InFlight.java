package dev.orchestrator.internal;

import dev.orchestrator.StepSpec;
import dev.orchestrator.spi.ClaimedTask;
import dev.orchestrator.spi.Executor;
import dev.orchestrator.spi.StatusSink;
import dev.orchestrator.spi.StatusUpdate;
import dev.orchestrator.spi.TaskContext;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One attempt this node owns, from its claim to its recorded end, and the sink its executor
 * reports to: a report goes to the {@link Inbox}, and an end also frees its slot in the
 * {@link Dispatcher}. It is started once, by the loop or by the thread that freed a slot; the
 * fields without {@code volatile} or atomics are touched by the scheduler loop only.
 */
final class InFlight implements StatusSink {

    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(InFlight.class);

    final ClaimedTask claim;
    final String workflow;
    final StepSpec step;
    final Executor executor;
    private final Map<String, String> parameters;
    private final Inbox inbox;
    private final Dispatcher dispatcher;
    private final AtomicBoolean slotHeld = new AtomicBoolean();
    /** Whether a heartbeat of this attempt waits in the inbox: one says as much as many. */
    final AtomicBoolean heartbeatQueued = new AtomicBoolean();

    /** Built when the attempt starts, so its deadline counts from then; null before. */
    volatile TaskContext context;
    /** When the attempt started (its claim time for a taken-over attempt); null before. */
    volatile Instant startedAt;
    /** Set once the attempt's end is recorded; later reports are dropped. */
    volatile boolean closed;

    boolean lagReported;
    Instant lastHeartbeat;
    /**
     * When the attempt must have ended, or null: its context's deadline, or, for an executor that
     * {@link Executor#reportsStart() reports starts}, none until it reports the real start.
     */
    Instant deadline;
    /** When the loop asked the executor to stop it (timeout or cancel), or null. */
    Instant cancelledAt;
    String cancelReason;
    /** Whether a user cancelled it: it ends CANCELLED, and is not tried again. */
    boolean userCancelled;

    InFlight(ClaimedTask claim, String workflow, StepSpec step, Executor executor, Map<String, String> parameters,
             Inbox inbox, Dispatcher dispatcher, Instant now) {
        this.claim = claim;
        this.workflow = workflow;
        this.step = step;
        this.executor = executor;
        this.parameters = parameters;
        this.inbox = inbox;
        this.dispatcher = dispatcher;
        this.lastHeartbeat = now;
    }

    /** Builds the context of an attempt that starts (or started, for a take-over) at {@code attemptStart}. */
    TaskContext start(Instant attemptStart, boolean holdsSlot) {
        slotHeld.set(holdsSlot);
        Instant deadline = step.timeout() == null ? null : attemptStart.plus(step.timeout());
        TaskContext ctx = new TaskContext(claim.taskId(), claim.runId(), workflow, step.name(), claim.stepIndex(),
                claim.taskIndex(), step.taskCount(), claim.attempt(), parameters, step.job(), deadline,
                claim.executionName(), claim.executorState());
        this.deadline = executor.reportsStart() ? null : deadline;
        startedAt = attemptStart;
        lastHeartbeat = attemptStart; // a heartbeat timeout counts from the attempt's start
        context = ctx;
        return ctx;
    }

    /**
     * The executor reported at {@code now} that the task really started at {@code at}: its
     * timeout counts from {@code at}, its heartbeat timeout from {@code now}. Loop thread only.
     */
    void reallyStarted(Instant at, Instant now) {
        deadline = step.timeout() == null ? null : at.plus(step.timeout());
        lastHeartbeat = now;
    }

    /** Asks the executor to stop the started attempt within {@code grace}; a failure is logged, not thrown. */
    void cancelQuietly(Duration grace) {
        TaskContext ctx = context;
        try {
            executor.cancel(ctx, grace);
        } catch (RuntimeException e) {
            log.warn("cancel of run={} step={} index={} attempt={} failed: {}", ctx.runId(), ctx.step(),
                    ctx.taskIndex(), ctx.attempt(), e.toString());
        }
    }

    /** Gives the slot back once; returns whether this call did. */
    boolean releaseSlot() {
        return slotHeld.compareAndSet(true, false);
    }

    @Override
    public void report(StatusUpdate update) {
        if (closed) {
            return;
        }
        if (update.kind() == StatusUpdate.Kind.HEARTBEAT && !heartbeatQueued.compareAndSet(false, true)) {
            return; // merged: the inbox holds at most one heartbeat per attempt, however long the loop is away
        }
        inbox.add(this, update);
        if (update.ends()) {
            dispatcher.slotFreed(this);
        }
    }
}
