package dev.orchestrator.cloudrun;

import com.google.cloud.run.v2.JobName;
import dev.orchestrator.JobSpec;

import java.util.Set;
import java.util.TreeSet;

/**
 * The Cloud Run settings read from a step's {@link JobSpec}, checked.
 *
 * @param job            the job to run
 * @param timeoutSeconds per-task timeout override in seconds, or 0 for the job's own
 * @param container      the container whose arguments and environment are overridden, or "" for the job's only one
 */
record JobOptions(JobName job, long timeoutSeconds, String container) {

    /** Option key: the job's resource name. */
    static final String JOB = "job";
    /** Option key: per-task timeout in seconds. */
    static final String TIMEOUT = "timeout";
    /** Option key: the container to override in a job with several containers. */
    static final String CONTAINER = "container";
    /** Every option key the executor reads. */
    static final Set<String> KEYS = Set.of(JOB, TIMEOUT, CONTAINER);
    /** Cloud Run's longest task timeout: 168 hours. */
    static final long MAX_TIMEOUT_SECONDS = 168L * 3600;

    /**
     * Reads and checks a job spec.
     *
     * @throws IllegalArgumentException naming the field and the rule
     */
    static JobOptions parse(JobSpec spec) {
        if (spec == null) {
            throw new IllegalArgumentException("job must not be null");
        }
        var options = spec.options();
        var unknown = new TreeSet<String>(options.keySet());
        unknown.removeAll(KEYS);
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException("options " + unknown + " are not read by the cloudrun executor; known options are "
                    + new TreeSet<>(KEYS));
        }
        String job = options.get(JOB);
        if (job == null || job.isBlank()) {
            throw new IllegalArgumentException(
                    "options.job must name a Cloud Run job as projects/PROJECT/locations/REGION/jobs/JOB, but it is missing");
        }
        if (!isJobName(job)) {
            throw new IllegalArgumentException(
                    "options.job must name a Cloud Run job as projects/PROJECT/locations/REGION/jobs/JOB, got '" + job + "'");
        }
        long timeout = 0;
        String t = options.get(TIMEOUT);
        if (t != null) {
            try {
                timeout = Long.parseLong(t.trim());
            } catch (NumberFormatException e) {
                timeout = -1;
            }
            if (timeout < 1 || timeout > MAX_TIMEOUT_SECONDS) {
                throw new IllegalArgumentException("options.timeout must be a whole number of seconds between 1 and "
                        + MAX_TIMEOUT_SECONDS + ", got '" + t + "'");
            }
        }
        if (spec.workingDirectory() != null) {
            throw new IllegalArgumentException("workingDirectory is not supported by the cloudrun executor (Cloud Run "
                    + "cannot override it), got '" + spec.workingDirectory() + "'");
        }
        JobChecks.validate(spec.environment());
        String container = options.getOrDefault(CONTAINER, "");
        return new JobOptions(JobName.parse(job), timeout, container);
    }

    private static boolean isJobName(String s) {
        String[] parts = s.split("/", -1);
        if (parts.length != 6 || !parts[0].equals("projects") || !parts[2].equals("locations") || !parts[4].equals("jobs")) {
            return false;
        }
        for (int i = 1; i < 6; i += 2) {
            if (parts[i].isEmpty() || parts[i].chars().anyMatch(Character::isWhitespace)) {
                return false;
            }
        }
        return JobName.isParsableFrom(s);
    }
}
