package dev.orchestrator.spi;

/**
 * What an executor reports about one attempt. Create with the factory methods.
 *
 * @param kind          what happened
 * @param executionName the executor's name for the execution ({@link Kind#RUNNING}), or {@code null}
 * @param outputRef     where the whole output is kept ({@link Kind#RUNNING}), or {@code null}
 * @param exitCode      exit code ({@link Kind#SUCCEEDED}, {@link Kind#FAILED}), or {@code null}
 * @param error         what went wrong ({@link Kind#FAILED}), or {@code null}
 * @param outputTail    the last few KB of output, or {@code null}
 */
public record StatusUpdate(Kind kind, String executionName, String outputRef, Integer exitCode, String error,
                           String outputTail) {

    /** Kinds of update. */
    public enum Kind {
        /** The execution started and has a name. */
        RUNNING,
        /** The execution is alive. */
        HEARTBEAT,
        /** The execution ended with success. */
        SUCCEEDED,
        /** The execution ended with failure or could not start. */
        FAILED
    }

    private static final StatusUpdate HEARTBEAT = new StatusUpdate(Kind.HEARTBEAT, null, null, null, null, null);

    /** The execution started as {@code executionName}; its whole output is at {@code outputRef} (may be null). */
    public static StatusUpdate running(String executionName, String outputRef) {
        return new StatusUpdate(Kind.RUNNING, executionName, outputRef, null, null, null);
    }

    /** The execution is alive. */
    public static StatusUpdate heartbeat() {
        return HEARTBEAT;
    }

    /** The execution succeeded. */
    public static StatusUpdate succeeded(Integer exitCode, String outputTail) {
        return new StatusUpdate(Kind.SUCCEEDED, null, null, exitCode, null, outputTail);
    }

    /** The execution failed or could not start. */
    public static StatusUpdate failed(Integer exitCode, String error, String outputTail) {
        return new StatusUpdate(Kind.FAILED, null, null, exitCode, error, outputTail);
    }
}
