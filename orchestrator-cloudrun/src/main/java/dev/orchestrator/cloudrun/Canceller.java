package dev.orchestrator.cloudrun;

import com.google.api.gax.rpc.StatusCode;
import dev.orchestrator.spi.Dispatch;
import dev.orchestrator.spi.StatusUpdate;
import dev.orchestrator.spi.TaskContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Cancels attempts: detaches them from their launch or execution, and cancels an execution nobody waits for. Thread-safe. */
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

    /**
     * Cancels one attempt. Cloud Run cannot cancel one task of an execution, so the attempt is
     * detached: it is reported cancelled at once and its result is ignored. The execution itself
     * is cancelled only once no attempt waits for it, or (see {@link Follower}) once every task
     * still running in it belongs to a detached attempt. Returns at once.
     */
    void cancel(TaskContext task) {
        String name = task.executionName();
        Launch launch = attempts.launchOf(task);
        if (launch != null) {
            Dispatch d = launch.detachBeforeStart(task);
            if (d != null) {
                attempts.forget(task);
                d.sink().report(StatusUpdate.failed(null, "cancelled before its Cloud Run execution started", null));
                return;
            }
            if (name == null) {
                name = launch.executionName;
            }
        }
        if (name == null) {
            return;
        }
        Tracker t = follower.followed(name);
        if (t == null) {
            String n = name;
            if (!threads.execute(() -> cancelExecution(n))) {
                LOG.warn("cannot cancel {}: the cloudrun executor is closed", n);
            }
            return;
        }
        Dispatch d = t.detach(task);
        if (d != null) {
            attempts.forget(task);
            d.sink().report(StatusUpdate.failed(null, detachedMessage(t.name, task.taskIndex() - t.offset), null));
        }
        if (t.empty() && !threads.execute(() -> cancelExecution(t.name))) {
            LOG.warn("cannot cancel {}: the cloudrun executor is closed", t.name);
        }
    }

    static String detachedMessage(String execution, int cloudRunIndex) {
        return "cancelled: detached from Cloud Run execution " + execution + ", which runs other tasks too; Cloud Run "
                + "cannot cancel one task of an execution, so its task " + cloudRunIndex + " may still run, and its "
                + "result is ignored";
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
