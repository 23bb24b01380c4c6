package dev.orchestrator.jdbc.internal;

/** Mutable counter deltas of one step or run within one batch of updates. */
final class Counters {

    int finished;
    int succeeded;
    int failed;

    /** Counts one ended task. */
    void add(boolean success, boolean failure) {
        finished++;
        if (success) {
            succeeded++;
        }
        if (failure) {
            failed++;
        }
    }

    /** Adds another delta. */
    void add(Counters other) {
        finished += other.finished;
        succeeded += other.succeeded;
        failed += other.failed;
    }
}
