package dev.orchestrator.jdbc.internal;

/**
 * What a claimed task needs of its run.
 *
 * @param workflowVersionId the run's workflow version
 * @param paramsJson        the run's parameters
 * @param pending           whether the run was still {@code PENDING} when read
 */
public record RunInfo(long workflowVersionId, String paramsJson, boolean pending) {
}
