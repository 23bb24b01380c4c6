package dev.orchestrator.spi;

/**
 * What a trigger reads before it writes a run ({@link Store#findTriggerTarget}).
 *
 * @param workflow the latest version of the workflow that is not deleted
 * @param paused   whether the workflow is paused (then no run may be triggered)
 */
public record TriggerTarget(WorkflowRow workflow, boolean paused) {
}
