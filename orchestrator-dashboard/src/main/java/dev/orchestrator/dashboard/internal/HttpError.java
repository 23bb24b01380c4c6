package dev.orchestrator.dashboard.internal;

/** An answer other than success: the HTTP status and a message the page shows. */
public final class HttpError extends RuntimeException {

    private final int status;

    /** An error answered with {@code status} and {@code message}. */
    public HttpError(int status, String message) {
        super(message, null, false, false);
        this.status = status;
    }

    /** The HTTP status. */
    public int status() {
        return status;
    }
}
