package dev.orchestrator.spi;

/**
 * What a store's cancel did.
 *
 * @param exists       whether the run or task exists
 * @param changed      whether anything changed (false when it had ended already)
 * @param statusBefore its status before, or {@code null} if it does not exist
 * @param statusAfter  its status after, or {@code null} if it does not exist
 * @param cancelled    tasks cancelled at once (they had not started)
 * @param stopping     running tasks asked to stop (their owners stop them and record them cancelled)
 */
public record CancelOutcome(boolean exists, boolean changed, String statusBefore, String statusAfter, int cancelled,
                            int stopping) {

    /** Nothing of that id. */
    public static CancelOutcome missing() {
        return new CancelOutcome(false, false, null, null, 0, 0);
    }

    /** It exists and had ended in {@code status}: nothing changed. */
    public static CancelOutcome unchanged(String status) {
        return new CancelOutcome(true, false, status, status, 0, 0);
    }
}
