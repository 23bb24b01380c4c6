package dev.orchestrator.cloudrun;

import com.google.api.gax.rpc.StatusCode;
import dev.orchestrator.spi.TaskContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Cancels attempts: stops a launch that has not started, or cancels the execution it runs in. Thread-safe. */
final class Canceller {

    private static final Logger LOG = LoggerFactory.getLogger(Canceller.class);

    private final Clients clients;
    private final Calls calls;
    private final Threads threads;
    private final Attempts attempts;
    private final Follower follower;

    Canceller(Clients clients, Calls calls, Threads threads, Attempts attempts, Follower follower) {
        this.clients = clients;
        this.calls = calls;
        this.threads = threads;
        this.attempts = attempts;
        this.follower = follower;
    }

    /** Cancels the execution an attempt runs in (all tasks of that execution end). Returns at once. */
    void cancel(TaskContext task) {
        String name = task.executionName();
        Launch launch = attempts.launchOf(task);
        if (launch != null) {
            launch.cancelled = true;
            if (name == null) {
                name = launch.executionName;
            }
        }
        if (name == null) {
            return; // not started yet: the launch sees the flag
        }
        String n = name;
        if (!threads.execute(() -> cancelExecution(n))) {
            LOG.warn("cannot cancel {}: the cloudrun executor is closed", n);
        }
    }

    /** Calls CancelExecution once per followed execution (again if an earlier call failed). */
    void cancelExecution(String name) {
        Tracker t = follower.followed(name);
        if (t != null) {
            if (!t.cancelRequested.compareAndSet(false, true)) {
                return;
            }
            follower.hurry(t);
        }
        try {
            calls.call("CancelExecution of " + name, () -> clients.cancelExecution(name), threads::closed);
            LOG.debug("cancelled {}", name);
        } catch (CallFailed e) {
            if (e.code() == StatusCode.Code.FAILED_PRECONDITION) {
                LOG.debug("{} had already ended when it was cancelled", name);
            } else {
                LOG.warn("{}", e.getMessage());
                if (t != null) {
                    t.cancelRequested.set(false);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
