package dev.orchestrator;

import java.time.Instant;

/**
 * A schedule as stored, with its state.
 *
 * @param spec       what it triggers and when
 * @param paused     whether it is paused (it fires nothing while paused)
 * @param nextFireAt its next fire, or {@code null} when it has none left (past its end)
 * @param lastFireAt its last fire, or {@code null} before the first
 * @param lastRunId  the run of its last fire, or {@code null}
 * @param createdAt  when it was created
 */
public record ScheduleInfo(ScheduleSpec spec, boolean paused, Instant nextFireAt, Instant lastFireAt, Long lastRunId,
                           Instant createdAt) {
}
