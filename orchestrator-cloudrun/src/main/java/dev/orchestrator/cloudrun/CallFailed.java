package dev.orchestrator.cloudrun;

import com.google.api.gax.rpc.ApiException;
import com.google.api.gax.rpc.StatusCode;

/** An API call that failed for good (not retryable, retried too long, or abandoned). */
final class CallFailed extends Exception {

    CallFailed(String message, Throwable cause) {
        super(message, cause);
    }

    /** The API's status code, or null if the cause was no API error. */
    StatusCode.Code code() {
        return getCause() instanceof ApiException e ? e.getStatusCode().getCode() : null;
    }
}
