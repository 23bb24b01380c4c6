package dev.orchestrator;

import java.time.Instant;

/**
 * A snapshot of one orchestrator node, from its heartbeat row.
 *
 * @param id           node id
 * @param heartbeatAt  its last heartbeat (on the store's clock as the node wrote it)
 * @param startedAt    when it registered
 * @param runningTasks tasks it holds that are dispatched or running
 */
public record NodeInfo(String id, Instant heartbeatAt, Instant startedAt, int runningTasks) {
}
