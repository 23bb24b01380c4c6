package dev.orchestrator;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Options of one trigger: parameters, idempotency key and who triggered it.
 *
 * @param parameters     handed to every task; keys not blank; at most {@value #MAX_PARAMETER_BYTES} bytes in all (UTF-8)
 * @param idempotencyKey a second trigger of the same workflow with the same key returns the first run; or {@code null}
 * @param triggeredBy    {@code manual} by default
 */
public record TriggerOptions(Map<String, String> parameters, String idempotencyKey, String triggeredBy) {

    /** Largest total size of a run's parameter keys and values, in UTF-8 bytes. */
    public static final int MAX_PARAMETER_BYTES = 64 * 1024;

    /** No parameters, no key, triggered {@code manual}. */
    public static final TriggerOptions NONE = new TriggerOptions(Map.of(), null, "manual");

    /** Validates the values; messages name the field and the rule. */
    public TriggerOptions {
        Objects.requireNonNull(parameters, "parameters");
        long bytes = 0;
        for (Map.Entry<String, String> e : parameters.entrySet()) {
            if (e.getKey() == null || e.getKey().isBlank()) {
                throw new IllegalArgumentException("parameters must not have a blank key");
            }
            if (e.getValue() == null) {
                throw new IllegalArgumentException("parameters must not have a null value (key '" + e.getKey() + "')");
            }
            bytes += e.getKey().getBytes(StandardCharsets.UTF_8).length + e.getValue().getBytes(StandardCharsets.UTF_8).length;
        }
        if (bytes > MAX_PARAMETER_BYTES) {
            throw new IllegalArgumentException("parameters must be at most " + MAX_PARAMETER_BYTES
                    + " bytes in all (UTF-8 keys and values), got " + bytes);
        }
        parameters = Map.copyOf(parameters);
        if (idempotencyKey != null) {
            Names.check("idempotencyKey", idempotencyKey);
        }
        triggeredBy = triggeredBy == null ? "manual" : triggeredBy;
        Names.check("triggeredBy", triggeredBy);
    }

    /** A builder with no parameters, no key, triggered {@code manual}. */
    public static Builder builder() {
        return new Builder();
    }

    /** Options with these parameters only. */
    public static TriggerOptions parameters(Map<String, String> parameters) {
        return new TriggerOptions(parameters, null, "manual");
    }

    /** Builds {@link TriggerOptions}. Not thread-safe. */
    public static final class Builder {
        private final Map<String, String> parameters = new LinkedHashMap<>();
        private String idempotencyKey;
        private String triggeredBy = "manual";

        private Builder() {
        }

        /** Adds one parameter. */
        public Builder param(String key, String value) {
            parameters.put(key, value);
            return this;
        }

        /** Adds all these parameters. */
        public Builder params(Map<String, String> values) {
            parameters.putAll(values);
            return this;
        }

        /** Idempotency key; default none. */
        public Builder idempotencyKey(String key) {
            this.idempotencyKey = key;
            return this;
        }

        /** Who triggered; default {@code manual}. */
        public Builder triggeredBy(String triggeredBy) {
            this.triggeredBy = triggeredBy;
            return this;
        }

        /** The validated options. */
        public TriggerOptions build() {
            return new TriggerOptions(parameters, idempotencyKey, triggeredBy);
        }
    }
}
