package dev.orchestrator;

/** How one attempt of a task ended; {@code RUNNING} while it has not ended. */
public enum AttemptOutcome {
    /** Claimed or running: not ended yet. */
    RUNNING,
    /** The executor reported success. */
    SUCCEEDED,
    /** The executor reported failure (non-zero exit, start error, API error). */
    FAILED,
    /** The attempt ran past its step's timeout and was stopped. */
    TIMED_OUT,
    /** The node that ran the attempt stopped heartbeating; the attempt's outcome is unknown. */
    LOST,
    /** The attempt was cancelled. */
    CANCELLED
}
