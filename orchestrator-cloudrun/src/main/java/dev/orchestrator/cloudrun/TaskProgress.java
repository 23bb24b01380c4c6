package dev.orchestrator.cloudrun;

import com.google.cloud.run.v2.Execution;
import com.google.cloud.run.v2.Task;
import dev.orchestrator.spi.Dispatch;
import dev.orchestrator.spi.StatusUpdate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * What the {@link Follower} reports about single tasks while their execution runs: when each
 * leaves PENDING ({@code STARTED}, from which the core's timeout counts), and, for attempts with
 * a deadline, a success before the execution ends. One poll of an execution at a time.
 */
final class TaskProgress {

    private static final Logger LOG = LoggerFactory.getLogger(TaskProgress.class);

    private final TaskLister lister;
    private final Attempts attempts;
    private final BooleanSupplier closed;

    TaskProgress(TaskLister lister, Attempts attempts, BooleanSupplier closed) {
        this.lister = lister;
        this.attempts = attempts;
        this.closed = closed;
    }

    /**
     * Tells each member when its Cloud Run task left PENDING (the core's timeout counts from
     * there) and, for members with a timeout, when it succeeded while the execution runs on
     * (else a task that ended early would pass its deadline while its siblings still run). When
     * every task of an execution this node started has started, starts are told at once (no
     * read); while tasks queue behind the job's parallelism, for an adopted execution (whose tasks
     * may have started long before this node saw them), or when more tasks succeeded, from a
     * listing with each task's start time and result, read again only when those counts changed.
     */
    void report(Tracker t, Execution ex) throws InterruptedException {
        List<Dispatch> waiting = t.notStarted();
        int started = ex.getRunningCount() + ex.getSucceededCount() + ex.getFailedCount() + ex.getCancelledCount();
        boolean all = started >= ex.getTaskCount() || ex.hasCompletionTime();
        boolean unchanged = started == t.lastStartedCount && waiting.size() == t.lastWaiting;
        if (!waiting.isEmpty() && all && (!t.adopted || unchanged)) {
            waiting.forEach(d -> started(t, d, null));
            waiting = List.of();
        }
        boolean listStarts = !waiting.isEmpty() && started > 0 && !unchanged;
        boolean listSuccesses = t.timed && !ex.hasCompletionTime() && ex.getSucceededCount() > t.lastSucceeded;
        if (!listStarts && !listSuccesses) {
            return;
        }
        Map<Integer, Task> byIndex;
        try {
            byIndex = lister.all(t.name, closed);
        } catch (CallFailed e) {
            LOG.debug("{}", e.getMessage()); // listed again at the next poll
            return;
        }
        for (Dispatch d : t.snapshot()) {
            Task task = byIndex.get(d.task().taskIndex() - t.offset);
            if (task == null) {
                continue;
            }
            if (task.hasStartTime()) {
                started(t, d, Instant.ofEpochSecond(task.getStartTime().getSeconds(), task.getStartTime().getNanos()));
            } else if (task.hasCompletionTime()) {
                started(t, d, null);
            }
            if (t.timed && d.task().deadline() != null && succeeded(task) && t.endEarly(d)) {
                attempts.forget(d.task());
                d.sink().report(StatusUpdate.succeeded(0, null));
            }
        }
        t.lastStartedCount = started;
        t.lastWaiting = t.notStarted().size();
        t.lastSucceeded = ex.getSucceededCount();
    }

    /** Whether a listed task has ended with success for good. */
    private static boolean succeeded(Task task) {
        return task.hasCompletionTime() && task.hasLastAttemptResult()
                && task.getLastAttemptResult().getStatus().getCode() == 0
                && task.getLastAttemptResult().getExitCode() == 0;
    }

    private static void started(Tracker t, Dispatch d, Instant at) {
        if (t.markStarted(d)) {
            d.sink().report(at == null ? StatusUpdate.started() : StatusUpdate.started(at));
        }
    }
}
