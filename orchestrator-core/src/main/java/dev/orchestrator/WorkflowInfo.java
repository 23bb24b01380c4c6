package dev.orchestrator;

import java.time.Instant;

/**
 * A registered workflow version.
 *
 * @param name      workflow name
 * @param version   1 for the first registration, one more for each changed spec
 * @param versionId the store's id of this version
 * @param spec      the spec registered as this version
 * @param createdAt when this version was registered
 */
public record WorkflowInfo(String name, int version, long versionId, WorkflowSpec spec, Instant createdAt) {
}
