package dev.orchestrator;

import java.time.Duration;
import java.time.Instant;

/**
 * What this node is doing and whether it may act as the owner of its tasks, read from memory
 * (no store call): for health checks and dashboards. Taken by {@link Orchestrator#nodeStatus()}.
 *
 * <p>A healthy started node is {@link #scheduling()}, holds its lease ({@link #leaseHeld()}),
 * is not {@link #fenced()}, and its {@link #schedulerAlive()} and {@link #heartbeatAlive()}
 * threads run. A node is fenced from the moment its lease runs out unrenewed (the database was
 * unreachable for the lease, the JVM was frozen, or another node declared it dead) until it
 * renews under its next incarnation; meanwhile it starts no work.
 *
 * @param nodeId               the node's current identity: the configured id, then
 *                             {@code <id>~<incarnation>} after each fencing
 * @param incarnation          how many times the node fenced itself and rejoined (0 at first)
 * @param scheduling           whether the orchestrator is started and not stopping
 * @param lastHeartbeat        when the last heartbeat the store accepted was sent, on the
 *                             orchestrator's clock; null before the first
 * @param heartbeatAge         how long ago that heartbeat was sent, on a monotonic clock; null
 *                             before the first
 * @param lease                the node lease ({@code OrchestratorBuilder.nodeLease})
 * @param leaseHeld            whether the node holds its lease now: it may start work
 * @param heartbeatFailingSince when heartbeats began to fail (on the orchestrator's clock), or
 *                             null while they succeed
 * @param fenced               whether the node is fenced now (see above)
 * @param lastFencedAt         when the node last fenced itself, or null if it never did
 * @param schedulerAlive       whether the scheduler loop's thread runs
 * @param lastTick             when the scheduler loop last began a pass, or null before the first;
 *                             a running loop passes at least once a heartbeat interval
 * @param heartbeatAlive       whether the heartbeat thread runs
 * @param at                   when this status was taken, on the orchestrator's clock
 */
public record NodeStatus(String nodeId, int incarnation, boolean scheduling, Instant lastHeartbeat,
                         Duration heartbeatAge, Duration lease, boolean leaseHeld, Instant heartbeatFailingSince,
                         boolean fenced, Instant lastFencedAt, boolean schedulerAlive, Instant lastTick,
                         boolean heartbeatAlive, Instant at) {
}
