package dev.orchestrator.spi;

/**
 * Where an executor reports one attempt's progress. Bound to that attempt; thread-safe; never
 * blocks on the database (updates are queued and written in batches by the scheduler).
 * Reports after the attempt has ended are ignored.
 */
@FunctionalInterface
public interface StatusSink {

    /** Reports one update. */
    void report(StatusUpdate update);
}
