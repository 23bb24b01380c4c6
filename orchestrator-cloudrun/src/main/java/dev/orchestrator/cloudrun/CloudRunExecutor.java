package dev.orchestrator.cloudrun;

import dev.orchestrator.JobSpec;
import dev.orchestrator.spi.Dispatch;
import dev.orchestrator.spi.Executor;
import dev.orchestrator.spi.StatusSink;
import dev.orchestrator.spi.TaskContext;

import java.util.List;

/**
 * Runs tasks as Google Cloud Run Jobs executions: the executor of type {@value #TYPE}.
 *
 * <p>A step names its job in {@code options.job} as {@code projects/PROJECT/locations/REGION/jobs/JOB};
 * {@link JobSpec#command()} overrides the container's arguments, {@link JobSpec#environment()} is
 * added to its environment, {@code options.timeout} (seconds) overrides the per-task timeout and
 * {@code options.container} picks the container to override in a job with several.
 *
 * <p><b>Batching.</b> Attempts handed over together by {@link #startAll} that belong to the same
 * run, step and attempt number and have contiguous task indexes {@code [a, a+k)} run as one
 * execution with {@code taskCount = k} (at most {@value #MAX_TASKS_PER_EXECUTION}). The
 * container sees {@code ORCHESTRATOR_TASK_INDEX_OFFSET = a} and computes its orchestrator task
 * index as {@code ORCHESTRATOR_TASK_INDEX_OFFSET + CLOUD_RUN_TASK_INDEX}; it also sees
 * {@code ORCHESTRATOR_RUN_ID}, {@code ORCHESTRATOR_ATTEMPT}, {@code ORCHESTRATOR_TASK_COUNT} (the
 * step's total), {@code ORCHESTRATOR_WORKFLOW}, {@code ORCHESTRATOR_STEP} and each run parameter
 * {@code k} as {@code ORCHESTRATOR_PARAM_k}, as process tasks do.
 * Each orchestrator task ends with its own status and exit code, read from the Tasks API when the
 * execution ends (not read when every task succeeded). Each execution also carries
 * {@value #LAUNCH_ID}.
 *
 * <p><b>The job.</b> Read once with GetJob at its first use. Set its parallelism to 0 (Cloud Run
 * refuses a parallelism above an execution's task count, and those attempts fail at once with
 * what to set) and its {@code max_retries} to 0 (a warning otherwise, or a failure with
 * {@link CloudRunExecutorBuilder#requireZeroMaxRetries}), and let the orchestrator's retry policy
 * retry failed tasks. A job with several containers needs {@code options.container}. Cloud Run's
 * environment limits (1,000 variables, 32,768 bytes a value, {@code CLOUD_RUN_*} and {@code PORT}
 * reserved) are checked before RunJob; the task's error names the variable.
 *
 * <p><b>Quotas.</b> RunJob calls go through a client-side rate limiter (default
 * {@value #DEFAULT_RUN_JOBS_PER_MINUTE} a minute; {@code RESOURCE_EXHAUSTED} pauses every start),
 * reads through another one shared by all polls (default {@value #DEFAULT_READS_PER_MINUTE} a
 * minute; poll intervals stretch with the number of executions), at most
 * {@value #DEFAULT_MAX_RUNNING_EXECUTIONS} executions are followed at once (further starts wait),
 * every call has a deadline, and {@code UNAVAILABLE}, {@code RESOURCE_EXHAUSTED} and
 * {@code DEADLINE_EXCEEDED} are retried with exponential backoff and jitter (reads also retry
 * {@code INTERNAL}, {@code UNKNOWN} and {@code ABORTED}). After an ambiguous RunJob error the job's
 * newest executions are searched for the launch id before RunJob is tried again. Other errors
 * ({@code PERMISSION_DENIED}, {@code INVALID_ARGUMENT}, ...) fail the attempts at once with the
 * API's message.
 *
 * <p><b>Starts.</b> Each attempt reports {@code STARTED} when its Cloud Run task leaves PENDING
 * ({@link #reportsStart()}), so the step's timeout counts from the task's own start even when
 * the batch queues behind the job's parallelism.
 *
 * <p><b>Cancel and adopt.</b> {@link #cancel} detaches the attempt; the execution is cancelled
 * once no attempt waits for it (see there). {@link #adopt} follows an execution that another node
 * (or an earlier instance) started, matching its Cloud Run tasks by the launch id stored with
 * each attempt as its executor state; attempts of one execution share one poll. An attempt whose
 * node died before recording the execution name is looked up by its launch id
 * ({@link #adoptsUnnamed()}). An adopted execution that no longer exists (retention), or one that
 * cannot be followed, reports its attempts {@code LOST}.
 *
 * <p>Create with {@link #builder()}, or let the orchestrator find {@link CloudRunExecutorProvider}.
 * Thread-safe.
 */
public final class CloudRunExecutor implements Executor {

    /** The executor type steps name: {@value}. */
    public static final String TYPE = "cloudrun";
    /** Default RunJob calls per minute: {@value}, Cloud Run's default quota per project and region. */
    public static final int DEFAULT_RUN_JOBS_PER_MINUTE = 180;
    /**
     * The environment variable that carries each launch's random id, {@value}: RunJob has no
     * request id, so after an ambiguous error (the call may or may not have started an
     * execution) the executor looks for an execution with this id before it tries again.
     */
    public static final String LAUNCH_ID = "ORCHESTRATOR_LAUNCH_ID";
    /** Cloud Run's largest task count for one execution: {@value}. */
    public static final int MAX_TASKS_PER_EXECUTION = 10_000;
    /**
     * Default API reads per minute: {@value}, a share of the project's per-region read quota
     * (which the console, gcloud and other nodes share).
     */
    public static final int DEFAULT_READS_PER_MINUTE = 1200;
    /** Default cap on executions followed at once: {@value}, Cloud Run's default per project and region. */
    public static final int DEFAULT_MAX_RUNNING_EXECUTIONS = 1000;

    private final CloudRunEngine engine;

    CloudRunExecutor(CloudRunEngine engine) {
        this.engine = engine;
    }

    /** A builder with the defaults stated on each setter. */
    public static CloudRunExecutorBuilder builder() {
        return new CloudRunExecutorBuilder();
    }

    /** Returns {@value #TYPE}. */
    @Override
    public String type() {
        return TYPE;
    }

    /**
     * Checks that {@code options.job} is a job name, {@code options.timeout} a number of seconds
     * between 1 and 604800, that no unknown option is set and that no working directory is set.
     *
     * @throws IllegalArgumentException naming the field and the rule
     */
    @Override
    public void validate(JobSpec job) {
        JobOptions.parse(job);
    }

    /** Starts one attempt as its own execution; returns at once. */
    @Override
    public void start(TaskContext task, StatusSink sink) {
        engine.startAll(List.of(new Dispatch(task, sink)));
    }

    /** Starts attempts claimed together, grouping them into as few executions as possible; returns at once. */
    @Override
    public void startAll(List<Dispatch> batch) {
        engine.startAll(batch);
    }

    /**
     * Stops waiting for an attempt (timeout or cancellation). Cloud Run has no per-task cancel, so
     * the attempt is detached: it reports {@code FAILED} at once ("cancelled: detached ...", or
     * "cancelled before its Cloud Run execution started"), its Cloud Run task may still run, and
     * its result is ignored; the other attempts of its execution go on. The execution
     * ({@link TaskContext#executionName()} if set, else the one this executor started) is cancelled
     * once no attempt waits for it, or once every task still running in it is detached. Returns at
     * once.
     */
    @Override
    public void cancel(TaskContext task) {
        engine.cancel(task);
    }

    /**
     * Refuses run parameters that no task of a step of this type could start with: a value longer
     * than Cloud Run's 32,768 bytes, or more variables than its 1,000 with the step's environment
     * and the orchestrator's own. (Parameters reach the container as
     * {@code ORCHESTRATOR_PARAM_k}, so they never take a reserved name.) The job's own
     * variables are counted at dispatch, once GetJob has read them.
     *
     * @throws IllegalArgumentException naming the parameter and the limit
     */
    @Override
    public void validateParameters(JobSpec job, java.util.Map<String, String> parameters) {
        EnvLimits.checkParameters(job, parameters);
    }

    /**
     * Returns {@code true}: each attempt reports when its Cloud Run task leaves PENDING, so the
     * step's timeout counts from the task's own start, not from dispatch (a batch runs only up to
     * its job's parallelism at once; the rest queue).
     */
    @Override
    public boolean reportsStart() {
        return true;
    }

    /**
     * Returns {@code true}: a dispatched attempt whose node died before recording the execution
     * name is looked for by its launch key among the job's newest executions, and followed if
     * found (no second execution is started), else released.
     */
    @Override
    public boolean adoptsUnnamed() {
        return true;
    }

    /** Returns {@code true} when batching: attempts claimed together share one execution. */
    @Override
    public boolean groupsTasks() {
        return engine.batches();
    }

    /** Returns {@code true}: Cloud Run executions outlive the node that started them. */
    @Override
    public boolean canAdopt() {
        return true;
    }

    /**
     * Follows the execution named by {@link TaskContext#executionName()} without starting a new
     * one, and reports the attempt's outcome when it ends. Attempts of one execution share one poll.
     */
    @Override
    public void adopt(TaskContext task, StatusSink sink) {
        engine.adopt(task, sink);
    }

    /**
     * Stops starting and following executions and closes the API clients. Executions keep
     * running in Cloud Run and can be adopted later; their attempts get no further report from
     * this instance.
     */
    @Override
    public void close() {
        engine.close();
    }

    /** Whether every start of this node is paused after RunJob answered RESOURCE_EXHAUSTED. */
    boolean startsPaused() {
        return engine.startsPaused();
    }
}
