package dev.orchestrator.spring;

import java.util.SortedSet;

/**
 * What the auto-configured orchestrator of this application is: its node id, the executor types it
 * can run, and whether it schedules (or is a client only).
 *
 * @param nodeId         this node's id
 * @param executorTypes  executor beans' types and those of the ExecutorProviders found on the class path
 * @param schedulerEnabled whether {@code orchestrator.scheduler.enabled} is true
 */
record OrchestratorNode(String nodeId, SortedSet<String> executorTypes, boolean schedulerEnabled) {
}
