package dev.orchestrator.internal;

import dev.orchestrator.AttemptOutcome;
import dev.orchestrator.OrchestratorListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;

/** Calls the host's listener and keeps its exceptions out of the scheduler loop. */
final class SafeListener implements OrchestratorListener {

    private static final Logger log = LoggerFactory.getLogger(SafeListener.class);

    private final OrchestratorListener delegate;
    private boolean warned;

    SafeListener(OrchestratorListener delegate) {
        this.delegate = delegate;
    }

    private void failed(RuntimeException e) {
        if (!warned) {
            warned = true;
            log.warn("orchestrator listener {} threw; ignoring this and later failures", delegate.getClass().getName(), e);
        }
    }

    @Override
    public void claimed(int requested, int claimed, Duration latency) {
        try {
            delegate.claimed(requested, claimed, latency);
        } catch (RuntimeException e) {
            failed(e);
        }
    }

    @Override
    public void written(int updates, Duration latency, int queueDepth) {
        try {
            delegate.written(updates, latency, queueDepth);
        } catch (RuntimeException e) {
            failed(e);
        }
    }

    @Override
    public void dispatched(String executor, Duration lag) {
        try {
            delegate.dispatched(executor, lag);
        } catch (RuntimeException e) {
            failed(e);
        }
    }

    @Override
    public void ended(String executor, AttemptOutcome outcome, Duration runtime) {
        try {
            delegate.ended(executor, outcome, runtime);
        } catch (RuntimeException e) {
            failed(e);
        }
    }
}
