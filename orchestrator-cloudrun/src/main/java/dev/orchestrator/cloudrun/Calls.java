package dev.orchestrator.cloudrun;

import com.google.api.gax.rpc.ApiException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;

/** Runs one API call, retrying transient errors with backoff for up to the retry timeout. Thread-safe. */
final class Calls {

    private static final Logger LOG = LoggerFactory.getLogger(Calls.class);

    /** One blocking API call. */
    @FunctionalInterface
    interface Rpc<T> {
        T call() throws InterruptedException, CallFailed;
    }

    private final Backoff backoff;
    private final Duration retryTimeout;

    Calls(Settings settings) {
        this.backoff = new Backoff(settings.retryInitialDelay(), settings.retryMaxDelay());
        this.retryTimeout = settings.retryTimeout();
    }

    /** How long a failing call is retried. */
    Duration retryTimeout() {
        return retryTimeout;
    }

    /**
     * Calls {@code rpc} until it succeeds, fails with an error that is not retryable, has been
     * retried for the retry timeout, or {@code abandon} says to stop.
     */
    <T> T call(String what, Rpc<T> rpc, BooleanSupplier abandon) throws CallFailed, InterruptedException {
        return call(what, rpc, abandon, Errors::retryable);
    }

    /** As {@link #call}, for an idempotent read: more codes are retried (see {@link Errors#READ_RETRYABLE}). */
    <T> T read(String what, Rpc<T> rpc, BooleanSupplier abandon) throws CallFailed, InterruptedException {
        return call(what, rpc, abandon, Errors::readRetryable);
    }

    private <T> T call(String what, Rpc<T> rpc, BooleanSupplier abandon, Predicate<ApiException> retryable)
            throws CallFailed, InterruptedException {
        long start = System.nanoTime();
        int attempt = 0;
        while (true) {
            try {
                return rpc.call();
            } catch (ApiException e) {
                if (!retryable.test(e)) {
                    throw new CallFailed(what + " failed: " + Errors.describe(e), e);
                }
                Duration delay = backoff.delay(attempt++);
                if (Duration.ofNanos(System.nanoTime() - start).plus(delay).compareTo(retryTimeout) > 0) {
                    throw new CallFailed(what + " failed after " + attempt + " tries: " + Errors.describe(e), e);
                }
                if (abandon.getAsBoolean()) {
                    throw new CallFailed(what + " abandoned (cancelled) after: " + Errors.describe(e), e);
                }
                LOG.debug("{} failed, retry {} in {}: {}", what, attempt, delay, Errors.describe(e));
                TimeUnit.NANOSECONDS.sleep(delay.toNanos());
            }
        }
    }
}
