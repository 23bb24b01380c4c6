/**
 * The Cloud Run Jobs executor: {@link dev.orchestrator.cloudrun.CloudRunExecutor} runs a step's
 * tasks as Google Cloud Run Jobs executions, many tasks per execution, and
 * {@link dev.orchestrator.cloudrun.CloudRunExecutorProvider} registers it as type {@code cloudrun}
 * for {@link java.util.ServiceLoader}. Build one with {@link dev.orchestrator.cloudrun.CloudRunExecutor#builder()}.
 *
 * <p>A step that runs on Cloud Run:
 * <pre>{@code
 * JobSpec job = JobSpec.options(Map.of(
 *         "job", "projects/my-project/locations/europe-west1/jobs/resize-images",
 *         "timeout", "600"))
 *     .withEnvironment(Map.of("BUCKET", "images"));
 * }</pre>
 * The container reads its orchestrator task index as
 * {@code ORCHESTRATOR_TASK_INDEX_OFFSET + CLOUD_RUN_TASK_INDEX} (the names are the constants of
 * {@link dev.orchestrator.spi.TaskEnvironment}).
 *
 * <p><b>Modules.</b> This jar has no {@code module-info}; it ships the
 * {@code Automatic-Module-Name} {@code dev.orchestrator.cloudrun}. Google's client libraries split
 * packages between their proto and client jars (for example {@code com.google.cloud.run.v2} lives
 * in both {@code proto-google-cloud-run-v2} and {@code google-cloud-run};
 * <a href="https://github.com/googleapis/google-cloud-java/issues/10979">googleapis/google-cloud-java#10979</a>),
 * so a named module cannot require them. Put this jar and the Google libraries on the class path
 * (or this jar on the module path as an automatic module, with the Google jars on the class path).
 * Only the public types of this package are API; every other class here is package-private.
 */
package dev.orchestrator.cloudrun;
