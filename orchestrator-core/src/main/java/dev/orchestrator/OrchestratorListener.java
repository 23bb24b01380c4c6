package dev.orchestrator;

import java.time.Duration;

/**
 * Observes the scheduler, for metrics. Every method is called on the scheduler loop thread, so
 * it must be fast and must not block; an exception it throws is logged and ignored. Every
 * method does nothing by default. {@link dev.orchestrator.metrics.MicrometerMetrics} is an
 * implementation for Micrometer.
 */
public interface OrchestratorListener {

    /**
     * One claim statement ran.
     *
     * @param requested tasks asked for (free slots, capped by the batch size)
     * @param claimed   tasks returned
     * @param latency   how long the statement took
     */
    default void claimed(int requested, int claimed, Duration latency) {
    }

    /**
     * One batch of status updates was written.
     *
     * @param updates    updates in the batch
     * @param latency    how long the transaction took
     * @param queueDepth reports still queued after the batch was taken
     */
    default void written(int updates, Duration latency, int queueDepth) {
    }

    /**
     * An attempt was handed to its executor.
     *
     * @param executor executor type
     * @param lag      from the time the task was ready to its dispatch
     */
    default void dispatched(String executor, Duration lag) {
    }

    /**
     * An attempt ended.
     *
     * @param executor executor type
     * @param outcome  how it ended
     * @param runtime  from dispatch to end, as seen by this node
     */
    default void ended(String executor, AttemptOutcome outcome, Duration runtime) {
    }
}
