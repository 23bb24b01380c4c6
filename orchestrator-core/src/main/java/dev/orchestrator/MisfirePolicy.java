package dev.orchestrator;

/** What a schedule does with fires it missed while no node ran (more than a minute late). */
public enum MisfirePolicy {
    /** Drop the missed fires; the schedule goes on with its next fire after now. The default. */
    SKIP,
    /** One run for all the missed fires (at the latest missed fire time), then the next fire after now. */
    RUN_ONCE
}
