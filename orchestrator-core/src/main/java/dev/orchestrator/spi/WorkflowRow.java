package dev.orchestrator.spi;

import java.time.Instant;

/**
 * One stored workflow version.
 *
 * @param versionId store id of this version
 * @param name      workflow name
 * @param version   1, 2, ... per name
 * @param specJson  the spec as JSON, exactly as saved
 * @param createdAt when saved
 */
public record WorkflowRow(long versionId, String name, int version, String specJson, Instant createdAt) {
}
