package dev.orchestrator;

/**
 * Thrown by {@link Orchestrator#trigger} when the workflow's {@link ConcurrencyPolicy#REFUSE}
 * limit is reached: it already has {@link #limit()} runs that have not ended. Nothing was written.
 */
public final class ConcurrencyLimitException extends IllegalStateException {

    private static final long serialVersionUID = 1L;

    private final String workflow;
    private final int limit;

    /** A refusal of a run of {@code workflow}, whose {@code maxConcurrentRuns} is {@code limit}. */
    public ConcurrencyLimitException(String workflow, int limit) {
        super("workflow '" + workflow + "' already has " + limit + " runs that have not ended, its maxConcurrentRuns,"
                + " and its concurrency policy is REFUSE: trigger refused, nothing written");
        this.workflow = workflow;
        this.limit = limit;
    }

    /** The workflow whose trigger was refused. */
    public String workflow() {
        return workflow;
    }

    /** Its {@code maxConcurrentRuns}. */
    public int limit() {
        return limit;
    }
}
