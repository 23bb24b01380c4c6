package dev.orchestrator;

import java.time.Duration;
import java.util.concurrent.TimeoutException;

/** A reference to one run. Thread-safe; cheap to keep. */
public interface RunHandle {

    /** The run's id. */
    long id();

    /** Whether this trigger created the run ({@code false} when an idempotency key returned an earlier run). */
    boolean created();

    /** A fresh snapshot of the run, read from the store. */
    RunInfo info();

    /** The run's current status, read from the store. */
    default RunStatus status() {
        return info().status();
    }

    /** Cancels the run; see {@link Orchestrator#cancel(long)}. */
    CancelResult cancel();

    /**
     * Waits until the run has ended.
     *
     * @param timeout longest wait; not negative
     * @return the final snapshot
     * @throws IllegalArgumentException if {@code timeout} is negative
     * @throws TimeoutException         if the run has not ended in time
     * @throws InterruptedException     if the waiting thread is interrupted
     */
    RunInfo await(Duration timeout) throws TimeoutException, InterruptedException;
}
