package dev.orchestrator.jdbc.internal;

import java.util.Map;

/**
 * What a claimed task needs of its run.
 *
 * @param workflowVersionId the run's workflow version
 * @param params            the run's parameters
 * @param pending           whether the run was still {@code PENDING} when read
 */
record RunInfo(long workflowVersionId, Map<String, String> params, boolean pending) {
}
