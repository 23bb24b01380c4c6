package dev.orchestrator.spi;

import java.util.List;

/**
 * One step of a run to create.
 *
 * @param name      step name
 * @param taskCount tasks to create for it, indexes {@code 0..taskCount-1}
 * @param dependsOn indexes of the steps it waits for; empty means its tasks start {@code PENDING}
 * @param executor  the executor type its tasks need (claims filter on it), or {@code null} for any node
 */
public record NewStep(String name, int taskCount, List<Integer> dependsOn, String executor) {
    /** Copies {@code dependsOn}. */
    public NewStep {
        dependsOn = List.copyOf(dependsOn);
    }

    /** A step whose tasks any node may claim. */
    public NewStep(String name, int taskCount, List<Integer> dependsOn) {
        this(name, taskCount, dependsOn, null);
    }
}
