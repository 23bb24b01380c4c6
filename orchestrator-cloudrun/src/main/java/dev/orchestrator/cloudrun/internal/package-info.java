/**
 * Implementation of the Cloud Run executor. <strong>Not API:</strong> anything here may change
 * or disappear in any release; use {@link dev.orchestrator.cloudrun.CloudRunExecutor} and
 * {@link dev.orchestrator.cloudrun.CloudRunExecutorProvider} instead.
 */
package dev.orchestrator.cloudrun.internal;
