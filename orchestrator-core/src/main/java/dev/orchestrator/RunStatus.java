package dev.orchestrator;

/** Lifecycle of a run: {@code PENDING -> RUNNING -> SUCCEEDED | FAILED | CANCELLED}. */
public enum RunStatus {
    /** Created; no task has been claimed yet. */
    PENDING,
    /** At least one task has been claimed. */
    RUNNING,
    /** Every task succeeded. */
    SUCCEEDED,
    /** Every task ended and at least one failed or was skipped. */
    FAILED,
    /** Cancelled before it ended. */
    CANCELLED;

    /** Whether the run has ended and will not change again. */
    public boolean isTerminal() {
        return this == SUCCEEDED || this == FAILED || this == CANCELLED;
    }
}
