package dev.orchestrator.dashboard.internal;

import dev.orchestrator.CancelResult;
import dev.orchestrator.Orchestrator;

/**
 * The dashboard's run-control actions, in one place: each checks that its run, task or
 * workflow exists (404 otherwise), calls the orchestrator, and answers what changed.
 */
final class RunControl {

    private final Orchestrator orchestrator;

    RunControl(Orchestrator orchestrator) {
        this.orchestrator = orchestrator;
    }

    /** Cancels a run: its tasks that have not started end CANCELLED and its running ones are stopped. */
    Object cancelRun(long runId) {
        requireRun(runId);
        return result(orchestrator.cancel(runId));
    }

    /** Cancels one task. */
    Object cancelTask(long taskId) {
        try {
            return result(orchestrator.cancelTask(taskId));
        } catch (IllegalArgumentException e) {
            throw new HttpError(404, e.getMessage());
        }
    }

    /** Runs an ended run's failed, cancelled and skipped tasks again. */
    Object retryRun(long runId) {
        requireRun(runId);
        try {
            int again = orchestrator.retry(runId);
            return Json.obj("changed", again > 0, "tasks", again, "message", again == 0
                    ? "every task of run " + runId + " had succeeded; nothing to run again"
                    : again + " task" + (again == 1 ? "" : "s") + " of run " + runId + " will run again");
        } catch (IllegalStateException e) {
            throw new HttpError(409, e.getMessage());
        }
    }

    /** Refuses triggers of a workflow until it is resumed. */
    Object pauseWorkflow(String name) {
        requireWorkflow(name);
        boolean changed = orchestrator.pauseWorkflow(name);
        return Json.obj("changed", changed, "paused", true, "message",
                "workflow '" + name + "' " + (changed ? "paused" : "was paused already"));
    }

    /** Undoes {@link #pauseWorkflow}. */
    Object resumeWorkflow(String name) {
        requireWorkflow(name);
        boolean changed = orchestrator.resumeWorkflow(name);
        return Json.obj("changed", changed, "paused", false, "message",
                "workflow '" + name + "' " + (changed ? "resumed" : "was not paused"));
    }

    private static Object result(CancelResult r) {
        return Json.obj("changed", r.changed(), "cancelledTasks", r.cancelledTasks(), "stoppingTasks", r.stoppingTasks(),
                "message", r.message());
    }

    private void requireRun(long runId) {
        if (orchestrator.run(runId).isEmpty()) {
            throw new HttpError(404, "run " + runId + " does not exist");
        }
    }

    private void requireWorkflow(String name) {
        if (orchestrator.workflow(name).isEmpty()) {
            throw new HttpError(404, "workflow '" + name + "' is not registered");
        }
    }
}
