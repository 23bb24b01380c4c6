package dev.orchestrator.spi;

import java.util.List;

/**
 * One step of a run to create.
 *
 * @param name               step name
 * @param taskCount          tasks to create for it, indexes {@code 0..taskCount-1}
 * @param dependsOn          indexes of the steps it waits for; empty means its tasks start {@code PENDING}
 * @param executor           the executor type its tasks need (claims filter on it), or {@code null} for any node
 * @param maxConcurrentTasks at most this many tasks of steps of this name in runs of the same workflow are
 *                           claimed or running at once (the claim enforces it), or {@code null} for no limit
 */
public record NewStep(String name, int taskCount, List<Integer> dependsOn, String executor, Integer maxConcurrentTasks) {
    /**
     * Copies {@code dependsOn}.
     *
     * @throws IllegalArgumentException if {@code maxConcurrentTasks} is below 1
     */
    public NewStep {
        dependsOn = List.copyOf(dependsOn);
        if (maxConcurrentTasks != null && maxConcurrentTasks < 1) {
            throw new IllegalArgumentException("maxConcurrentTasks must be at least 1, got " + maxConcurrentTasks
                    + " (step '" + name + "')");
        }
    }

    /** A step without a concurrency limit. */
    public NewStep(String name, int taskCount, List<Integer> dependsOn, String executor) {
        this(name, taskCount, dependsOn, executor, null);
    }

    /** A step whose tasks any node may claim. */
    public NewStep(String name, int taskCount, List<Integer> dependsOn) {
        this(name, taskCount, dependsOn, null, null);
    }
}
