package dev.orchestrator.spring;

import dev.orchestrator.AttemptOutcome;
import dev.orchestrator.OrchestratorListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;

/** Hands each event to every listener bean; one listener's exception does not keep it from the others. */
final class CompositeListener implements OrchestratorListener {

    private static final Logger LOG = LoggerFactory.getLogger(CompositeListener.class);

    private final List<OrchestratorListener> listeners;

    CompositeListener(List<OrchestratorListener> listeners) {
        this.listeners = List.copyOf(listeners);
    }

    @Override
    public void claimed(int requested, int claimed, Duration latency) {
        each(l -> l.claimed(requested, claimed, latency));
    }

    @Override
    public void written(int updates, Duration latency, int queueDepth) {
        each(l -> l.written(updates, latency, queueDepth));
    }

    @Override
    public void dispatched(String executor, Duration lag) {
        each(l -> l.dispatched(executor, lag));
    }

    @Override
    public void ended(String executor, AttemptOutcome outcome, Duration runtime) {
        each(l -> l.ended(executor, outcome, runtime));
    }

    private void each(Consumer<OrchestratorListener> event) {
        for (OrchestratorListener l : listeners) {
            try {
                event.accept(l);
            } catch (RuntimeException e) {
                LOG.warn("orchestrator listener {} failed: {}", l.getClass().getName(), e.toString());
            }
        }
    }
}
