package dev.orchestrator.spi;

import java.time.Instant;

/**
 * One node's row, as {@link Store#listNodes} returns it.
 *
 * @param id          node id
 * @param heartbeatAt its last heartbeat
 * @param startedAt   when it first registered
 * @param inFlight    tasks it owns that are dispatched or running
 */
public record NodeRow(String id, Instant heartbeatAt, Instant startedAt, int inFlight) {
}
