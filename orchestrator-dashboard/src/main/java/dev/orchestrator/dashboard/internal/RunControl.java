package dev.orchestrator.dashboard.internal;

import dev.orchestrator.Orchestrator;

/**
 * The dashboard's run-control actions, in one place. The {@code Orchestrator} methods they call
 * ({@code cancel(long)}, {@code cancelTask(long)}, {@code retry(long)}, {@code pauseWorkflow(String)},
 * {@code resumeWorkflow(String)}) are not in the API yet: until they are, each action answers
 * {@code 501 Not Implemented} with a message that says so, and nothing is changed. Wiring one is
 * replacing its body with the call.
 */
final class RunControl {

    private final Orchestrator orchestrator;

    RunControl(Orchestrator orchestrator) {
        this.orchestrator = orchestrator;
    }

    /** Cancels a run: its pending tasks end CANCELLED and its running ones are stopped. */
    Object cancelRun(long runId) {
        requireRun(runId);
        throw notYet("cancel(long runId)");
    }

    /** Cancels one task. */
    Object cancelTask(long taskId) {
        throw notYet("cancelTask(long taskId)");
    }

    /** Runs a run's failed and cancelled tasks again. */
    Object retryRun(long runId) {
        requireRun(runId);
        throw notYet("retry(long runId)");
    }

    /** Stops claiming new tasks of a workflow's runs. */
    Object pauseWorkflow(String name) {
        requireWorkflow(name);
        throw notYet("pauseWorkflow(String)");
    }

    /** Undoes {@link #pauseWorkflow}. */
    Object resumeWorkflow(String name) {
        requireWorkflow(name);
        throw notYet("resumeWorkflow(String)");
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

    private static HttpError notYet(String method) {
        return new HttpError(501, "this action needs Orchestrator." + method
                + ", which this version of the library does not have yet; nothing was changed");
    }
}
