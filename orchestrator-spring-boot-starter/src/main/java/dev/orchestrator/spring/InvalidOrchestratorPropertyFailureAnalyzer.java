package dev.orchestrator.spring;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** Reports an {@link InvalidOrchestratorPropertyException} at start-up, naming the property. */
public final class InvalidOrchestratorPropertyFailureAnalyzer
        extends AbstractFailureAnalyzer<InvalidOrchestratorPropertyException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, InvalidOrchestratorPropertyException cause) {
        String description = "Invalid orchestrator configuration:\n\n    Property: " + cause.property()
                + "\n    Value: " + cause.value() + "\n    Reason: " + cause.reason();
        String action = "Update the value of '" + cause.property() + "' in your application's configuration.";
        return new FailureAnalysis(description, action, cause);
    }
}
