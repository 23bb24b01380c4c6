package dev.orchestrator.cloudrun;

import com.google.api.gax.rpc.ApiException;
import com.google.api.gax.rpc.StatusCode;

import java.util.Set;

/** How API errors are classified and described. */
final class Errors {

    /** Codes retried with backoff on writes (RunJob, CancelExecution). */
    static final Set<StatusCode.Code> RETRYABLE = Set.of(StatusCode.Code.UNAVAILABLE,
            StatusCode.Code.RESOURCE_EXHAUSTED, StatusCode.Code.DEADLINE_EXCEEDED);

    /**
     * Codes retried on reads (GetJob, GetExecution, ListExecutions, ListTasks), which are
     * idempotent: the write codes and INTERNAL, UNKNOWN and ABORTED.
     */
    static final Set<StatusCode.Code> READ_RETRYABLE = Set.of(StatusCode.Code.UNAVAILABLE,
            StatusCode.Code.RESOURCE_EXHAUSTED, StatusCode.Code.DEADLINE_EXCEEDED, StatusCode.Code.INTERNAL,
            StatusCode.Code.UNKNOWN, StatusCode.Code.ABORTED);

    private Errors() {
    }

    /** Whether a write (RunJob, CancelExecution) that failed with {@code e} is worth retrying. */
    static boolean retryable(ApiException e) {
        return RETRYABLE.contains(e.getStatusCode().getCode());
    }

    /**
     * Whether a write that failed with {@code e} may have taken effect all the same: the answer
     * was lost (UNAVAILABLE, DEADLINE_EXCEEDED) or the server failed midway (INTERNAL, UNKNOWN).
     */
    static boolean ambiguous(ApiException e) {
        return switch (e.getStatusCode().getCode()) {
            case UNAVAILABLE, DEADLINE_EXCEEDED, INTERNAL, UNKNOWN, CANCELLED -> true;
            default -> false;
        };
    }

    /** Whether a read that failed with {@code e} is worth retrying. */
    static boolean readRetryable(ApiException e) {
        return READ_RETRYABLE.contains(e.getStatusCode().getCode());
    }

    /** The code and the API's message, such as {@code PERMISSION_DENIED: Permission 'run.jobs.run' denied}. */
    static String describe(ApiException e) {
        String code = String.valueOf(e.getStatusCode().getCode());
        String description = null;
        Throwable cause = e.getCause();
        if (cause != null) {
            description = io.grpc.Status.fromThrowable(cause).getDescription();
        }
        if (description == null || description.isBlank()) {
            description = e.getMessage();
            if (description != null && description.startsWith(code + ": ")) {
                description = description.substring(code.length() + 2);
            }
        }
        return description == null || description.isBlank() ? code : code + ": " + description;
    }
}
