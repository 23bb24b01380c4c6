package dev.orchestrator.spring;

/**
 * An {@code orchestrator.*} property has a value the orchestrator refuses. Spring Boot's failure
 * analysis reports it with the property's name, its value and the rule it breaks.
 */
public final class InvalidOrchestratorPropertyException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    private final String property;
    private final transient Object value;
    private final String reason;

    /**
     * @param property the property's name, such as {@code orchestrator.max-concurrency}
     * @param value    its bound value, possibly {@code null}
     * @param reason   the rule it breaks
     */
    public InvalidOrchestratorPropertyException(String property, Object value, String reason, Throwable cause) {
        super("Invalid value '" + value + "' for property " + property + ": " + reason, cause);
        this.property = property;
        this.value = value;
        this.reason = reason;
    }

    /** The property's name, such as {@code orchestrator.max-concurrency}. */
    public String property() {
        return property;
    }

    /** The bound value, possibly {@code null}. */
    public Object value() {
        return value;
    }

    /** The rule the value breaks. */
    public String reason() {
        return reason;
    }
}
