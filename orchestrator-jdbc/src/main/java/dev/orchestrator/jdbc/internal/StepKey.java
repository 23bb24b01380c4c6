package dev.orchestrator.jdbc.internal;

/**
 * One step of one run, ordered by run then step (the order rows are locked in, to avoid deadlocks).
 *
 * @param runId     run id
 * @param stepIndex step position
 */
record StepKey(long runId, int stepIndex) implements Comparable<StepKey> {

    @Override
    public int compareTo(StepKey o) {
        int c = Long.compare(runId, o.runId);
        return c != 0 ? c : Integer.compare(stepIndex, o.stepIndex);
    }
}
