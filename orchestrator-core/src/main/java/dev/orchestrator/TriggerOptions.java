package dev.orchestrator;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Options of one trigger: parameters, idempotency key and who triggered it.
 *
 * @param parameters     handed to every task, parameter {@code k} as the environment variable
 *                       {@code ORCHESTRATOR_PARAM_k}; keys not blank and without {@code =} or NUL, values
 *                       without NUL; at most {@value #MAX_PARAMETER_BYTES} bytes in all (UTF-8). Keys of
 *                       letters, digits and {@code _} are the ones a shell script can read back
 * @param idempotencyKey a second trigger of the same workflow with the same key returns the first run; or {@code null}
 * @param triggeredBy    {@code manual} by default
 * @param rerunOf        a run whose parameters this run starts with (these {@code parameters} win), or {@code null}
 */
public record TriggerOptions(Map<String, String> parameters, String idempotencyKey, String triggeredBy, Long rerunOf) {

    /** Largest total size of a run's parameter keys and values, in UTF-8 bytes. */
    public static final int MAX_PARAMETER_BYTES = 64 * 1024;

    /** No parameters, no key, triggered {@code manual}. */
    public static final TriggerOptions NONE = new TriggerOptions(Map.of(), null, "manual", null);

    /** Validates the values; messages name the field and the rule. */
    public TriggerOptions {
        Objects.requireNonNull(parameters, "parameters");
        long bytes = 0;
        for (Map.Entry<String, String> e : parameters.entrySet()) {
            bytes += checkParameter(e.getKey(), e.getValue());
        }
        checkTotal(bytes);
        parameters = Map.copyOf(parameters);
        if (idempotencyKey != null) {
            Names.check("idempotencyKey", idempotencyKey);
        }
        triggeredBy = triggeredBy == null ? "manual" : triggeredBy;
        Names.check("triggeredBy", triggeredBy);
        if (rerunOf != null && rerunOf < 1) {
            throw new IllegalArgumentException("rerunOf must be a run id (at least 1), got " + rerunOf);
        }
    }

    /** Checks one parameter; returns its size in UTF-8 bytes. */
    private static long checkParameter(String key, String value) {
        if (key == null || key.isBlank()) {
            throw new IllegalArgumentException("parameters must not have a blank key");
        }
        if (key.indexOf('=') >= 0 || key.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("parameter keys must not contain '=' or NUL, as they become environment "
                    + "variable names (key '" + key.replace("\0", "\\0") + "')");
        }
        if (value == null) {
            throw new IllegalArgumentException("parameters must not have a null value (key '" + key + "')");
        }
        if (value.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("parameter values must not contain NUL (key '" + key + "')");
        }
        return key.getBytes(StandardCharsets.UTF_8).length + (long) value.getBytes(StandardCharsets.UTF_8).length;
    }

    private static void checkTotal(long bytes) {
        if (bytes > MAX_PARAMETER_BYTES) {
            throw new IllegalArgumentException("parameters must be at most " + MAX_PARAMETER_BYTES
                    + " bytes in all (UTF-8 keys and values), got " + bytes);
        }
    }

    /** A builder with no parameters, no key, triggered {@code manual}. */
    public static Builder builder() {
        return new Builder();
    }

    /** Options with these parameters only. */
    public static TriggerOptions parameters(Map<String, String> parameters) {
        return new TriggerOptions(parameters, null, "manual", null);
    }

    /** Builds {@link TriggerOptions}; each setter checks its value at once. Not thread-safe. */
    public static final class Builder {
        private final Map<String, String> parameters = new LinkedHashMap<>();
        private long parameterBytes;
        private String idempotencyKey;
        private String triggeredBy = "manual";
        private Long rerunOf;

        private Builder() {
        }

        /**
         * Starts a fresh run with the parameters of run {@code runId} (parameters given here win).
         * The trigger fails if that run does not exist. Default: none.
         */
        public Builder rerunOf(long runId) {
            if (runId < 1) {
                throw new IllegalArgumentException("rerunOf must be a run id (at least 1), got " + runId);
            }
            this.rerunOf = runId;
            return this;
        }

        /**
         * Adds one parameter (replacing one of the same key).
         *
         * @throws IllegalArgumentException if the key is blank, the value null, or the parameters
         *                                  would exceed {@value TriggerOptions#MAX_PARAMETER_BYTES} bytes
         */
        public Builder param(String key, String value) {
            long bytes = checkParameter(key, value);
            String old = parameters.get(key);
            long total = parameterBytes + bytes - (old == null ? 0 : checkParameter(key, old));
            checkTotal(total);
            parameters.put(key, value);
            parameterBytes = total;
            return this;
        }

        /** Adds all these parameters; see {@link #param(String, String)}. */
        public Builder params(Map<String, String> values) {
            Objects.requireNonNull(values, "params");
            values.forEach(this::param);
            return this;
        }

        /** Idempotency key: not blank, at most 200 characters; {@code null} for none. Default none. */
        public Builder idempotencyKey(String key) {
            if (key != null) {
                Names.check("idempotencyKey", key);
            }
            this.idempotencyKey = key;
            return this;
        }

        /** Who triggered: not blank, at most 200 characters; {@code null} for {@code manual}. Default {@code manual}. */
        public Builder triggeredBy(String triggeredBy) {
            if (triggeredBy != null) {
                Names.check("triggeredBy", triggeredBy);
            }
            this.triggeredBy = triggeredBy == null ? "manual" : triggeredBy;
            return this;
        }

        /** The validated options. */
        public TriggerOptions build() {
            return new TriggerOptions(parameters, idempotencyKey, triggeredBy, rerunOf);
        }
    }
}
