package dev.orchestrator.cli;

/**
 * A failure the CLI reports as one line on stderr with a chosen exit code (see {@link ExitCodes}).
 * Thrown by commands; mapped to its exit code by {@link Main}.
 */
public final class CliException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final int exitCode;

    /** A failure with {@code message} that exits with {@code exitCode}. */
    public CliException(int exitCode, String message) {
        this(exitCode, message, null);
    }

    /** A failure with {@code message} and its {@code cause} (shown with {@code --verbose}). */
    public CliException(int exitCode, String message, Throwable cause) {
        super(message, cause);
        this.exitCode = exitCode;
    }

    /** The process exit code. */
    public int exitCode() {
        return exitCode;
    }

    static CliException notFound(String message) {
        return new CliException(ExitCodes.NOT_FOUND, message);
    }

    static CliException badInput(String message) {
        return new CliException(ExitCodes.BAD_INPUT, message);
    }
}
