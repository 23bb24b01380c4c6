package dev.orchestrator;

/**
 * Lifecycle of a task: {@code WAITING -> PENDING -> DISPATCHED -> RUNNING ->
 * SUCCEEDED | FAILED | CANCELLED | SKIPPED}. A failed attempt with attempts left returns the task
 * to {@code PENDING} with a later ready time.
 */
public enum TaskStatus {
    /** Upstream steps have not finished yet. */
    WAITING,
    /** Ready to run once its ready time has passed. */
    PENDING,
    /** Claimed by a node and being started. */
    DISPATCHED,
    /** The executor confirmed that it runs. */
    RUNNING,
    /** Ended with success. */
    SUCCEEDED,
    /** Ended with failure after its last attempt. */
    FAILED,
    /** Cancelled before it ended. */
    CANCELLED,
    /** Never ran because an upstream step failed. */
    SKIPPED;

    /** Whether the task has ended and will not change again. */
    public boolean isTerminal() {
        return this == SUCCEEDED || this == FAILED || this == CANCELLED || this == SKIPPED;
    }
}
