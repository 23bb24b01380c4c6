package dev.orchestrator.spi;

/**
 * What an executor reports about one attempt. Create with the factory methods.
 *
 * @param kind          what happened
 * @param executionName the executor's name for the execution ({@link Kind#RUNNING}), or {@code null}
 * @param outputRef     where the whole output is kept ({@link Kind#RUNNING}), or {@code null}
 * @param exitCode      exit code ({@link Kind#SUCCEEDED}, {@link Kind#FAILED}), or {@code null}
 * @param error         what went wrong ({@link Kind#FAILED}, {@link Kind#LOST}), or {@code null}
 * @param outputTail    the last few KB of output, or {@code null}
 * @param executorState ({@link Kind#RUNNING}) what the executor needs, besides the execution name, to
 *                      {@link Executor#adopt adopt} the execution after a node failure; stored with the
 *                      attempt and handed back as {@link TaskContext#executorState()}; or {@code null}.
 *                      Opaque to the orchestrator; at most {@value #MAX_EXECUTOR_STATE} characters
 * @param startedAt     ({@link Kind#STARTED}) when the task began, as the executor's backend says, or
 *                      {@code null} for the moment of the report; a time after the report counts as
 *                      the report's
 */
public record StatusUpdate(Kind kind, String executionName, String outputRef, Integer exitCode, String error,
                           String outputTail, String executorState, java.time.Instant startedAt) {

    /** Longest {@link #executorState()}, in characters: {@value}. */
    public static final int MAX_EXECUTOR_STATE = 1024;

    /** Kinds of update. */
    public enum Kind {
        /** The execution started and has a name. */
        RUNNING,
        /** The execution is alive. */
        HEARTBEAT,
        /**
         * The task really began to run (it had been accepted, then queued by the executor's
         * backend), at {@link StatusUpdate#startedAt()} or now. For an executor whose
         * {@link Executor#reportsStart()} is {@code true}, the step's timeout counts from that
         * start, and its heartbeat timeout from this report, not from dispatch. Reporting it again
         * restarts both clocks; reporting it after the end changes nothing.
         */
        STARTED,
        /** The execution ended with success. */
        SUCCEEDED,
        /** The execution ended with failure or could not start. */
        FAILED,
        /**
         * The attempt's outcome is unknown and will never be known (its execution vanished, or
         * the executor had to give up following it). Counted against the step's
         * {@link dev.orchestrator.StepSpec#maxLostAttempts() lost budget}, not its retry policy:
         * the task runs again at once while the budget allows, and fails once it is spent.
         */
        LOST,
        /**
         * The attempt never started anything and never will: it is handed back unused, and the
         * task is claimed again later as if this attempt had never been made. Only for an attempt
         * the executor is sure it did not start (an executor that reports it for every start would
         * loop forever).
         */
        RELEASED
    }

    private static final StatusUpdate HEARTBEAT =
            new StatusUpdate(Kind.HEARTBEAT, null, null, null, null, null, null, null);
    private static final StatusUpdate STARTED =
            new StatusUpdate(Kind.STARTED, null, null, null, null, null, null, null);
    private static final StatusUpdate RELEASED =
            new StatusUpdate(Kind.RELEASED, null, null, null, null, null, null, null);

    /** Checks the size of {@code executorState}. */
    public StatusUpdate {
        if (executorState != null && executorState.length() > MAX_EXECUTOR_STATE) {
            throw new IllegalArgumentException("executorState must be at most " + MAX_EXECUTOR_STATE
                    + " characters, got " + executorState.length());
        }
    }

    /** The execution started as {@code executionName}; its whole output is at {@code outputRef} (may be null). */
    public static StatusUpdate running(String executionName, String outputRef) {
        return new StatusUpdate(Kind.RUNNING, executionName, outputRef, null, null, null, null, null);
    }

    /**
     * The execution started as {@code executionName}, and adopting it later needs
     * {@code executorState} (see {@link #executorState()}).
     */
    public static StatusUpdate running(String executionName, String outputRef, String executorState) {
        return new StatusUpdate(Kind.RUNNING, executionName, outputRef, null, null, null, executorState, null);
    }

    /** The execution is alive. */
    public static StatusUpdate heartbeat() {
        return HEARTBEAT;
    }

    /** The task really began to run now (see {@link Kind#STARTED}). */
    public static StatusUpdate started() {
        return STARTED;
    }

    /** The task really began to run at {@code at}, as the executor's backend says (see {@link Kind#STARTED}). */
    public static StatusUpdate started(java.time.Instant at) {
        return new StatusUpdate(Kind.STARTED, null, null, null, null, null, null, at);
    }

    /** The execution succeeded. */
    public static StatusUpdate succeeded(Integer exitCode, String outputTail) {
        return new StatusUpdate(Kind.SUCCEEDED, null, null, exitCode, null, outputTail, null, null);
    }

    /** The execution failed or could not start. */
    public static StatusUpdate failed(Integer exitCode, String error, String outputTail) {
        return new StatusUpdate(Kind.FAILED, null, null, exitCode, error, outputTail, null, null);
    }

    /** The attempt's outcome is unknown for good, for the reason {@code error} (see {@link Kind#LOST}). */
    public static StatusUpdate lost(String error) {
        return new StatusUpdate(Kind.LOST, null, null, null, error, null, null, null);
    }

    /** The attempt never started and is handed back unused (see {@link Kind#RELEASED}). */
    public static StatusUpdate released() {
        return RELEASED;
    }

    /** Whether this update ends the attempt (after it, reports of the attempt are ignored). */
    public boolean ends() {
        return kind == Kind.SUCCEEDED || kind == Kind.FAILED || kind == Kind.LOST || kind == Kind.RELEASED;
    }
}
