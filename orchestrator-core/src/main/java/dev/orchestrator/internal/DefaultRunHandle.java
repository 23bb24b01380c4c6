package dev.orchestrator.internal;

import dev.orchestrator.CancelResult;
import dev.orchestrator.RunHandle;
import dev.orchestrator.RunInfo;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** A run handle that reads the store and waits on this node's completion signals. */
final class DefaultRunHandle implements RunHandle {

    /** Re-read interval while waiting: catches runs ended by other nodes. */
    private static final long RECHECK_NANOS = TimeUnit.MILLISECONDS.toNanos(250);

    private final long id;
    private final boolean created;
    private final DefaultOrchestrator orchestrator;
    private final RunWaiters waiters;

    DefaultRunHandle(long id, boolean created, DefaultOrchestrator orchestrator, RunWaiters waiters) {
        this.id = id;
        this.created = created;
        this.orchestrator = orchestrator;
        this.waiters = waiters;
    }

    @Override
    public long id() {
        return id;
    }

    @Override
    public boolean created() {
        return created;
    }

    @Override
    public CancelResult cancel() {
        return orchestrator.cancel(id);
    }

    @Override
    public RunInfo info() {
        return orchestrator.runInfo(id);
    }

    @Override
    public RunInfo await(Duration timeout) throws TimeoutException, InterruptedException {
        if (timeout == null || timeout.isNegative()) {
            throw new IllegalArgumentException("timeout must not be negative, got " + timeout);
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        waiters.register(id);
        try {
            while (true) {
                long seen = waiters.generation();
                RunInfo info = info();
                if (info.status().isTerminal()) {
                    return info;
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new TimeoutException("run " + id + " did not end within " + timeout + ": status "
                            + info.status() + ", " + info.finished() + " of " + info.taskCount() + " tasks ended");
                }
                waiters.awaitChange(seen, Math.min(left, RECHECK_NANOS));
            }
        } finally {
            waiters.unregister(id);
        }
    }

    @Override
    public String toString() {
        return "RunHandle[" + id + "]";
    }
}
