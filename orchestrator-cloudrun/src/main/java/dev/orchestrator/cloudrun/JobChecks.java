package dev.orchestrator.cloudrun;

import com.google.cloud.run.v2.Container;
import com.google.cloud.run.v2.EnvVar;
import com.google.cloud.run.v2.Job;
import com.google.cloud.run.v2.RunJobRequest;
import com.google.cloud.run.v2.TaskTemplate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;

/**
 * Checks a launch against its job before RunJob, so that an attempt that Cloud Run would refuse
 * fails at once with a message that says what to set. Reads each job once, with GetJob, at its
 * first use. Thread-safe.
 */
final class JobChecks {

    private static final Logger LOG = LoggerFactory.getLogger(JobChecks.class);
    /** Cloud Run's {@code max_retries} when the job does not set it. */
    static final int DEFAULT_MAX_RETRIES = 3;

    /** What the executor needs to know about a job; {@code known} is false when GetJob failed. */
    record JobInfo(boolean known, int parallelism, int maxRetries, List<Container> containers) {
        static final JobInfo UNKNOWN = new JobInfo(false, 0, 0, List.of());

        static JobInfo of(Job job) {
            TaskTemplate t = job.getTemplate().getTemplate();
            int retries = t.getRetriesCase() == TaskTemplate.RetriesCase.MAX_RETRIES ? t.getMaxRetries()
                    : DEFAULT_MAX_RETRIES;
            return new JobInfo(true, job.getTemplate().getParallelism(), retries, t.getContainersList());
        }
    }

    private final Clients clients;
    private final Calls calls;
    private final boolean requireZeroMaxRetries;
    /** Each job's info, read once: the first launch of a job reads it, the others wait for that read. */
    private final Map<String, CompletableFuture<JobInfo>> jobs = new ConcurrentHashMap<>();
    private final Set<String> warned = ConcurrentHashMap.newKeySet();

    JobChecks(Clients clients, Calls calls, boolean requireZeroMaxRetries) {
        this.clients = clients;
        this.calls = calls;
        this.requireZeroMaxRetries = requireZeroMaxRetries;
    }

    /** Why Cloud Run would refuse {@code request} (or the executor's settings do), or null. */
    String check(String jobName, RunJobRequest request) throws InterruptedException {
        JobInfo job = info(jobName);
        RunJobRequest.Overrides o = request.getOverrides();
        if (job.known() && job.parallelism() > o.getTaskCount()) {
            return "Cloud Run job " + jobName + " has parallelism " + job.parallelism() + ", more than the "
                    + o.getTaskCount() + " task(s) of this execution, and Cloud Run refuses a parallelism above the "
                    + "task count: set the job's parallelism to 0 (as many tasks at once as Cloud Run allows) or to "
                    + "at most " + o.getTaskCount();
        }
        if (job.known() && job.maxRetries() != 0) {
            String msg = "Cloud Run job " + jobName + " retries each failed task " + job.maxRetries() + " time(s) "
                    + "(max_retries), on top of the orchestrator's retry policy: set the job's max_retries to 0";
            if (requireZeroMaxRetries) {
                return msg + " (the cloudrun executor is set to requireZeroMaxRetries)";
            }
            if (warned.add(jobName)) {
                LOG.warn("{}", msg);
            }
        }
        RunJobRequest.Overrides.ContainerOverride override = o.getContainerOverrides(0);
        Container target = null;
        if (job.known()) {
            if (override.getName().isEmpty() && job.containers().size() > 1) {
                return "Cloud Run job " + jobName + " has " + job.containers().size() + " containers "
                        + names(job.containers()) + ": set options.container to the one whose arguments and "
                        + "environment the orchestrator overrides";
            }
            for (Container c : job.containers()) {
                if (override.getName().isEmpty() || c.getName().equals(override.getName())) {
                    target = c;
                }
            }
            if (target == null) {
                return "Cloud Run job " + jobName + " has no container named '" + override.getName() + "' (options."
                        + "container); its containers are " + names(job.containers());
            }
        }
        Map<String, String> env = new java.util.LinkedHashMap<>();
        for (EnvVar e : override.getEnvList()) {
            env.put(e.getName(), e.getValue());
        }
        int own = 0;
        if (target != null) {
            for (EnvVar e : target.getEnvList()) {
                if (!env.containsKey(e.getName())) {
                    own++;
                }
            }
        }
        return EnvLimits.check(env, own);
    }

    private static List<String> names(List<Container> containers) {
        return containers.stream().map(Container::getName).toList();
    }

    private JobInfo info(String jobName) throws InterruptedException {
        var mine = new CompletableFuture<JobInfo>();
        CompletableFuture<JobInfo> known = jobs.putIfAbsent(jobName, mine);
        if (known != null) {
            try {
                return known.get();
            } catch (ExecutionException e) {
                return JobInfo.UNKNOWN;
            }
        }
        JobInfo info = JobInfo.UNKNOWN;
        try {
            info = JobInfo.of(calls.read("GetJob " + jobName, () -> clients.getJob(jobName), () -> false));
        } catch (CallFailed e) {
            LOG.warn("{}; starting its executions without checking its parallelism, max_retries and containers "
                    + "(the executor needs run.jobs.get)", e.getMessage());
        } finally {
            mine.complete(info);
        }
        return info;
    }

    /** Checks a step's own environment when its workflow is registered. */
    static void validate(Map<String, String> environment) {
        Set<String> seen = new HashSet<>();
        for (var e : environment.entrySet()) {
            String error = EnvLimits.check(e.getKey(), e.getValue());
            if (error != null) {
                throw new IllegalArgumentException("environment: " + error);
            }
            seen.add(e.getKey());
        }
        if (seen.size() > EnvLimits.MAX_VARIABLES) {
            throw new IllegalArgumentException("environment has " + seen.size() + " variables; Cloud Run allows at most "
                    + EnvLimits.MAX_VARIABLES + " per container");
        }
    }
}
