package dev.orchestrator.spi;

import java.util.List;

/**
 * One step of a stored run with its counters, as {@link Store#listSteps} returns it.
 *
 * @param runId     the run
 * @param stepIndex position of the step in the workflow spec
 * @param name      step name
 * @param taskCount tasks of the step
 * @param finished  tasks that ended in any way
 * @param succeeded tasks that succeeded
 * @param failed    tasks that failed
 * @param inFlight  tasks dispatched or running now
 * @param status    the step's status: {@code WAITING}, {@code READY}, {@code SUCCEEDED}, {@code FAILED} or {@code SKIPPED}
 * @param dependsOn indexes of the steps it waits for (an immutable copy)
 */
public record StepRow(long runId, int stepIndex, String name, int taskCount, int finished, int succeeded, int failed,
                      int inFlight, String status, List<Integer> dependsOn) {
    /** Copies {@code dependsOn}. */
    public StepRow {
        dependsOn = List.copyOf(dependsOn);
    }
}
