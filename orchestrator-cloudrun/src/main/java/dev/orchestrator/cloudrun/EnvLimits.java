package dev.orchestrator.cloudrun;

import java.nio.charset.StandardCharsets;
import java.util.Map;

/** Cloud Run's limits on a container's environment. */
final class EnvLimits {

    /** Most variables in one container, the job's own included. */
    static final int MAX_VARIABLES = 1000;
    /**
     * Variables the executor adds besides the step's and the parameters: run id, workflow, step,
     * task count, attempt, index offset and launch id.
     */
    static final int ORCHESTRATOR_VARIABLES = 7;
    /** Longest value, in bytes (UTF-8). */
    static final int MAX_VALUE_BYTES = 32_768;

    private EnvLimits() {
    }

    /** Why Cloud Run would refuse {@code name}, or null: it is reserved. */
    static String reserved(String name) {
        if (name.startsWith("CLOUD_RUN_") || name.equals("PORT")) {
            return "environment variable " + name + " is reserved by Cloud Run (CLOUD_RUN_* and PORT)";
        }
        return null;
    }

    /** Why Cloud Run would refuse the variable, or null. */
    static String check(String name, String value) {
        String reserved = reserved(name);
        if (reserved != null) {
            return reserved;
        }
        int bytes = value == null ? 0 : value.getBytes(StandardCharsets.UTF_8).length;
        if (bytes > MAX_VALUE_BYTES) {
            return "environment variable " + name + " is " + bytes + " bytes long; Cloud Run allows at most "
                    + MAX_VALUE_BYTES + " bytes per value";
        }
        return null;
    }

    /**
     * Why Cloud Run would refuse this environment, or null.
     *
     * @param env        the variables the executor overrides
     * @param jobOwn     the variables of the job's container that {@code env} does not override
     */
    static String check(Map<String, String> env, int jobOwn) {
        for (var e : env.entrySet()) {
            String error = check(e.getKey(), e.getValue());
            if (error != null) {
                return error;
            }
        }
        if (env.size() + jobOwn > MAX_VARIABLES) {
            return "the container would have " + (env.size() + jobOwn) + " environment variables (" + env.size()
                    + " from the step, its run parameters and the orchestrator, " + jobOwn + " of the job itself); "
                    + "Cloud Run allows at most " + MAX_VARIABLES;
        }
        return null;
    }

    /**
     * Refuses, at trigger, parameters that would break every task of a step of {@code job}:
     * a value over {@link #MAX_VALUE_BYTES}, a reserved resulting name, or more variables than
     * {@link #MAX_VARIABLES} with the step's environment and the orchestrator's own.
     *
     * @throws IllegalArgumentException naming the parameter and the rule
     */
    static void checkParameters(dev.orchestrator.JobSpec job, Map<String, String> parameters) {
        for (var e : parameters.entrySet()) {
            String name = dev.orchestrator.spi.TaskEnvironment.PARAM_PREFIX + e.getKey();
            String error = check(name, e.getValue());
            if (error != null) {
                throw new IllegalArgumentException("parameter '" + e.getKey() + "' cannot reach a Cloud Run task: "
                        + error);
            }
        }
        var names = new java.util.HashSet<>(job.environment().keySet());
        parameters.keySet().forEach(k -> names.add(dev.orchestrator.spi.TaskEnvironment.PARAM_PREFIX + k));
        int total = names.size() + ORCHESTRATOR_VARIABLES;
        if (total > MAX_VARIABLES) {
            throw new IllegalArgumentException(parameters.size() + " parameters are too many for a Cloud Run task: "
                    + "with the step's environment and the orchestrator's own variables its container would have "
                    + total + " environment variables; Cloud Run allows at most " + MAX_VARIABLES);
        }
    }
}
