package dev.orchestrator.cloudrun;

import com.google.cloud.run.v2.Condition;
import com.google.cloud.run.v2.Execution;
import com.google.cloud.run.v2.Task;
import com.google.cloud.run.v2.TaskAttemptResult;
import dev.orchestrator.spi.StatusUpdate;

/** Maps what Cloud Run reports about a task or an execution to an attempt's outcome. */
final class TaskOutcomes {

    private TaskOutcomes() {
    }

    /** The error of attempts the execution gave no result for. */
    static String noResult(Execution ex) {
        if (ex.getCancelledCount() > 0) {
            return "Cloud Run execution " + ex.getName() + " was cancelled before this task ended";
        }
        for (Condition c : ex.getConditionsList()) {
            if (c.getState() == Condition.State.CONDITION_FAILED && !c.getMessage().isBlank()) {
                return "Cloud Run execution " + ex.getName() + " reported no result for this task: " + c.getMessage();
            }
        }
        return "Cloud Run execution " + ex.getName() + " reported no result for this task";
    }

    /** The outcome of one Cloud Run task; {@code noResult} when it has none. */
    static StatusUpdate of(String execution, Task task, String noResult) {
        String where = "Cloud Run task " + task.getIndex() + " of " + execution;
        String retried = task.getRetried() > 0 ? " (after " + task.getRetried() + " retries)" : "";
        if (!task.hasLastAttemptResult()) {
            String msg = completedMessage(task);
            return StatusUpdate.failed(null, msg != null ? where + ": " + msg : noResult, null);
        }
        TaskAttemptResult r = task.getLastAttemptResult();
        boolean ok = r.getStatus().getCode() == 0 && r.getExitCode() == 0;
        if (ok) {
            return task.hasCompletionTime() ? StatusUpdate.succeeded(0, null)
                    : StatusUpdate.failed(null, where + " had not finished when its execution ended", null);
        }
        Integer exitCode = r.getExitCode() != 0 ? Integer.valueOf(r.getExitCode()) : null;
        String msg = r.getStatus().getMessage();
        if (msg.isBlank()) {
            msg = completedMessage(task);
        }
        if (msg == null || msg.isBlank()) {
            msg = exitCode != null ? "exited with code " + exitCode
                    : r.getTermSignal() != 0 ? "ended by signal " + r.getTermSignal()
                    : "failed with status " + io.grpc.Status.Code.values()[Math.min(r.getStatus().getCode(), 16)];
        }
        return StatusUpdate.failed(exitCode, where + " failed" + retried + ": " + msg, null);
    }

    private static String completedMessage(Task task) {
        for (Condition c : task.getConditionsList()) {
            if (c.getType().equals("Completed") && !c.getMessage().isBlank()) {
                return c.getMessage();
            }
        }
        return null;
    }
}
