package dev.orchestrator.spi;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The environment variables every executor hands a task, so a task reads the same names
 * whether it runs as a local process, a Cloud Run execution or through a third-party executor.
 *
 * <p>Order of precedence, lowest first: the step's own environment, then each run parameter
 * {@code k} as {@code ORCHESTRATOR_PARAM_k} (a parameter can never replace {@code PATH} and the
 * like), then the task's coordinates. Parameter keys reach the task as given; keys made of
 * letters, digits and {@code _} are the ones a shell can read back.
 */
public final class TaskEnvironment {

    /** The run's id. */
    public static final String RUN_ID = "ORCHESTRATOR_RUN_ID";
    /** The workflow's name. */
    public static final String WORKFLOW = "ORCHESTRATOR_WORKFLOW";
    /** The step's name. */
    public static final String STEP = "ORCHESTRATOR_STEP";
    /** The task's index within its step, from 0 (absent for batched executions; see {@link #TASK_INDEX_OFFSET}). */
    public static final String TASK_INDEX = "ORCHESTRATOR_TASK_INDEX";
    /**
     * For an executor that runs several tasks of a step as one execution: the index of the
     * execution's first task; the task's own index is this plus the executor's index within
     * the execution (for Cloud Run, {@code CLOUD_RUN_TASK_INDEX}).
     */
    public static final String TASK_INDEX_OFFSET = "ORCHESTRATOR_TASK_INDEX_OFFSET";
    /** The number of tasks of the step. */
    public static final String TASK_COUNT = "ORCHESTRATOR_TASK_COUNT";
    /** The attempt number, from 1. */
    public static final String ATTEMPT = "ORCHESTRATOR_ATTEMPT";
    /** The prefix of each run parameter: parameter {@code k} is {@code ORCHESTRATOR_PARAM_k}. */
    public static final String PARAM_PREFIX = "ORCHESTRATOR_PARAM_";

    private TaskEnvironment() {
    }

    /**
     * The variables of one task: the step's environment, the run parameters and the task's
     * coordinates, including {@link #TASK_INDEX}.
     */
    public static Map<String, String> of(TaskContext task) {
        Map<String, String> env = common(task);
        env.put(TASK_INDEX, Integer.toString(task.taskIndex()));
        return env;
    }

    /**
     * The variables of an execution that runs {@code task} and the tasks after it in one go: as
     * {@link #of(TaskContext)}, with {@link #TASK_INDEX_OFFSET} set to {@code task}'s index in
     * place of {@link #TASK_INDEX}.
     */
    public static Map<String, String> ofBatch(TaskContext first) {
        Map<String, String> env = common(first);
        env.put(TASK_INDEX_OFFSET, Integer.toString(first.taskIndex()));
        return env;
    }

    private static Map<String, String> common(TaskContext task) {
        Map<String, String> env = new LinkedHashMap<>(task.job().environment());
        task.parameters().forEach((k, v) -> env.put(PARAM_PREFIX + k, v));
        env.put(RUN_ID, Long.toString(task.runId()));
        env.put(WORKFLOW, task.workflow());
        env.put(STEP, task.step());
        env.put(TASK_COUNT, Integer.toString(task.taskCount()));
        env.put(ATTEMPT, Integer.toString(task.attempt()));
        return env;
    }
}
