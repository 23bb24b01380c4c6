package dev.orchestrator;

/**
 * What a trigger does when its workflow already has {@link WorkflowSpec#maxConcurrentRuns()} runs
 * that have not ended.
 */
public enum ConcurrencyPolicy {
    /**
     * The default: the run is created and waits, {@link RunStatus#PENDING} with none of its tasks
     * claimed, until one of the running runs ends; waiting runs start oldest first.
     */
    QUEUE,
    /**
     * The trigger throws {@link ConcurrencyLimitException} and writes nothing. Runs never wait, so
     * at most {@code maxConcurrentRuns} runs of the workflow exist that have not ended (a schedule's
     * fire that is refused is dropped).
     */
    REFUSE
}
