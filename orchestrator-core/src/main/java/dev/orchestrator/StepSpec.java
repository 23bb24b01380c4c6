package dev.orchestrator;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * One step of a workflow: {@code taskCount} tasks run by the executor of type {@code executor}.
 * Build one with {@link #process(String, String...)} or {@link #builder(String, String)}.
 *
 * @param name             unique within its workflow; not blank, at most 200 characters
 * @param executor         executor type, such as {@code process} or {@code cloudrun}
 * @param job              what the executor runs
 * @param taskCount        fan-out: between 1 and {@value #MAX_TASKS}
 * @param retry            retry policy; {@link RetryPolicy#NONE} by default
 * @param timeout          longest an attempt may run, or {@code null} for no limit
 * @param heartbeatTimeout longest an attempt may go without a heartbeat, or {@code null}
 * @param dependsOn        names of steps that must succeed before this one starts
 * @param maxLostAttempts  how many attempts of a task may be lost (their node died) before the task
 *                         fails; they do not count against {@code retry}; between 1 and 100, default
 *                         {@value #DEFAULT_MAX_LOST_ATTEMPTS}
 * @param maxConcurrentTasks at most this many tasks of this step are claimed or running at once, across
 *                         all nodes and all runs of the workflow (see {@link Builder#maxConcurrentTasks});
 *                         at least 1, or {@code null} (the default) for no limit
 */
public record StepSpec(String name, String executor, JobSpec job, int taskCount, RetryPolicy retry,
                       Duration timeout, Duration heartbeatTimeout, List<String> dependsOn, int maxLostAttempts,
                       Integer maxConcurrentTasks) {

    /** The largest task count of one step. */
    public static final int MAX_TASKS = 10_000;
    /** Lost attempts allowed per task unless a step says otherwise. */
    public static final int DEFAULT_MAX_LOST_ATTEMPTS = 3;

    /** Validates every value; messages name the field and the rule. */
    public StepSpec {
        Names.check("step name", name);
        checkExecutor(executor, name);
        Objects.requireNonNull(job, "job");
        checkTaskCount(taskCount, name);
        retry = retry == null ? RetryPolicy.NONE : retry;
        checkPositive("timeout", timeout, name);
        checkPositive("heartbeatTimeout", heartbeatTimeout, name);
        dependsOn = List.copyOf(dependsOn == null ? List.of() : dependsOn);
        for (String d : dependsOn) {
            Names.check("dependsOn of step '" + name + "'", d);
        }
        checkMaxLost(maxLostAttempts, name);
        if (maxConcurrentTasks != null) {
            checkMaxConcurrentTasks(maxConcurrentTasks, name);
        }
    }

    /** A step without a concurrency limit. */
    public StepSpec(String name, String executor, JobSpec job, int taskCount, RetryPolicy retry, Duration timeout,
                    Duration heartbeatTimeout, List<String> dependsOn, int maxLostAttempts) {
        this(name, executor, job, taskCount, retry, timeout, heartbeatTimeout, dependsOn, maxLostAttempts, null);
    }

    /** A step with the default budget of lost attempts. */
    public StepSpec(String name, String executor, JobSpec job, int taskCount, RetryPolicy retry, Duration timeout,
                    Duration heartbeatTimeout, List<String> dependsOn) {
        this(name, executor, job, taskCount, retry, timeout, heartbeatTimeout, dependsOn, DEFAULT_MAX_LOST_ATTEMPTS);
    }

    private static void checkMaxLost(int maxLostAttempts, String step) {
        if (maxLostAttempts < 1 || maxLostAttempts > 100) {
            throw new IllegalArgumentException("maxLostAttempts must be between 1 and 100, got " + maxLostAttempts
                    + " (step '" + step + "')");
        }
    }

    private static void checkMaxConcurrentTasks(int max, String step) {
        if (max < 1) {
            throw new IllegalArgumentException("maxConcurrentTasks must be at least 1, got " + max
                    + " (step '" + step + "')");
        }
    }

    private static void checkExecutor(String executor, String step) {
        if (executor == null || executor.isBlank()) {
            throw new IllegalArgumentException("executor must not be blank (step '" + step + "')");
        }
    }

    private static void checkTaskCount(int taskCount, String step) {
        if (taskCount < 1 || taskCount > MAX_TASKS) {
            throw new IllegalArgumentException("taskCount must be between 1 and " + MAX_TASKS + ", got "
                    + taskCount + " (step '" + step + "')");
        }
    }

    private static void checkPositive(String field, Duration value, String step) {
        if (value != null && (value.isNegative() || value.isZero())) {
            throw new IllegalArgumentException(field + " must be positive, got " + value + " (step '" + step + "')");
        }
    }

    /** A builder for a step named {@code name} run by executor type {@code executor}. */
    public static Builder builder(String name, String executor) {
        return new Builder(name, executor);
    }

    /** A builder for a process step named {@code name} that runs {@code program} with {@code args}. */
    public static Builder process(String name, String program, String... args) {
        return new Builder(name, "process").job(JobSpec.command(program, args));
    }

    /** Builds a {@link StepSpec}; each setter checks its value at once. Not thread-safe. */
    public static final class Builder {
        private final String name;
        private final String executor;
        private JobSpec job = JobSpec.command(List.of());
        private int taskCount = 1;
        private RetryPolicy retry = RetryPolicy.NONE;
        private Duration timeout;
        private Duration heartbeatTimeout;
        private List<String> dependsOn = List.of();
        private int maxLostAttempts = DEFAULT_MAX_LOST_ATTEMPTS;
        private Integer maxConcurrentTasks;

        private Builder(String name, String executor) {
            Names.check("step name", name);
            checkExecutor(executor, name);
            this.name = name;
            this.executor = executor;
        }

        /** What the executor runs. Default: an empty command. */
        public Builder job(JobSpec job) {
            this.job = Objects.requireNonNull(job, "job");
            return this;
        }

        /** Fan-out, between 1 and {@value StepSpec#MAX_TASKS}. Default 1. */
        public Builder tasks(int taskCount) {
            checkTaskCount(taskCount, name);
            this.taskCount = taskCount;
            return this;
        }

        /** Retry policy. Default {@link RetryPolicy#NONE}. */
        public Builder retry(RetryPolicy retry) {
            this.retry = Objects.requireNonNull(retry, "retry");
            return this;
        }

        /** Longest an attempt may run; positive, or {@code null} for no limit. Default: no limit. */
        public Builder timeout(Duration timeout) {
            checkPositive("timeout", timeout, name);
            this.timeout = timeout;
            return this;
        }

        /** Longest an attempt may go without a heartbeat; positive, or {@code null}. Default: not checked. */
        public Builder heartbeatTimeout(Duration heartbeatTimeout) {
            checkPositive("heartbeatTimeout", heartbeatTimeout, name);
            this.heartbeatTimeout = heartbeatTimeout;
            return this;
        }

        /** Steps that must succeed first. Default: none. */
        public Builder dependsOn(String... steps) {
            Objects.requireNonNull(steps, "dependsOn");
            for (String d : steps) {
                Names.check("dependsOn of step '" + name + "'", d);
            }
            this.dependsOn = List.of(steps);
            return this;
        }

        /**
         * How many attempts of a task may be lost (its node died while running it) before the
         * task fails saying so; between 1 and 100. Default {@value StepSpec#DEFAULT_MAX_LOST_ATTEMPTS}.
         */
        public Builder maxLostAttempts(int maxLostAttempts) {
            checkMaxLost(maxLostAttempts, name);
            this.maxLostAttempts = maxLostAttempts;
            return this;
        }

        /**
         * At most {@code max} tasks of this step are claimed ({@code DISPATCHED}) or {@code RUNNING}
         * at once, counted across every node and every run of this workflow that has a step of this
         * name, so a step protects the service it calls whatever triggers it. Tasks beyond the limit
         * stay {@code PENDING} until one of the counted tasks ends; they are claimed oldest run first.
         * The limit is checked in the claim's transaction on the store, never by a lock held while a
         * task runs. When live runs of several versions of the workflow disagree on the limit, the
         * value of the most recently triggered run applies to all of them. Default: no limit.
         *
         * @throws IllegalArgumentException if {@code max} is below 1
         */
        public Builder maxConcurrentTasks(int max) {
            checkMaxConcurrentTasks(max, name);
            this.maxConcurrentTasks = max;
            return this;
        }

        /** The validated step. */
        public StepSpec build() {
            return new StepSpec(name, executor, job, taskCount, retry, timeout, heartbeatTimeout, dependsOn, maxLostAttempts,
                    maxConcurrentTasks);
        }
    }
}
