package dev.orchestrator;

import java.util.List;

/**
 * A snapshot of one step of a run, read from the step's counters (never by counting its tasks).
 *
 * @param runId     the run
 * @param index     position of the step in the workflow spec
 * @param name      step name
 * @param taskCount tasks of the step
 * @param succeeded tasks that succeeded
 * @param failed    tasks that failed
 * @param finished  tasks that ended in any way (succeeded, failed, skipped, cancelled)
 * @param running   tasks dispatched or running now
 * @param status    {@code WAITING} (upstream steps not done), {@code READY} (its tasks may run),
 *                  {@code SUCCEEDED}, {@code FAILED} or {@code SKIPPED}
 * @param dependsOn indexes of the steps it waits for
 */
public record StepInfo(long runId, int index, String name, int taskCount, int succeeded, int failed, int finished,
                       int running, String status, List<Integer> dependsOn) {

    /** Copies {@code dependsOn}. */
    public StepInfo {
        dependsOn = List.copyOf(dependsOn);
    }

    /** Tasks that ended neither succeeded nor failed: skipped or cancelled. */
    public int skipped() {
        return Math.max(0, finished - succeeded - failed);
    }

    /** Tasks not ended and not in flight: waiting or pending. */
    public int pending() {
        return Math.max(0, taskCount - finished - running);
    }
}
