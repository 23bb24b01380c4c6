/**
 * The Cloud Run Jobs executor: {@link dev.orchestrator.cloudrun.CloudRunExecutor} runs a step's
 * tasks as Google Cloud Run Jobs executions, many tasks per execution, and
 * {@link dev.orchestrator.cloudrun.CloudRunExecutorProvider} registers it as type {@code cloudrun}
 * for {@link java.util.ServiceLoader}.
 *
 * <p>A step that runs on Cloud Run:
 * <pre>{@code
 * JobSpec job = JobSpec.options(Map.of(
 *         "job", "projects/my-project/locations/europe-west1/jobs/resize-images",
 *         "timeout", "600"))
 *     .withEnvironment(Map.of("BUCKET", "images"));
 * }</pre>
 * The container reads its orchestrator task index as
 * {@code ORCHESTRATOR_TASK_INDEX_OFFSET + CLOUD_RUN_TASK_INDEX}.
 */
package dev.orchestrator.cloudrun;
