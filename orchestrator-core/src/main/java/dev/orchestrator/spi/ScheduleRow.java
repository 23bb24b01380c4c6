package dev.orchestrator.spi;

import java.time.Instant;

/**
 * One stored schedule. A row whose {@code lastFireAt} is set and whose {@code lastRunId} is
 * {@code null} is a fire whose run may not be created yet: the firing node records the fire
 * first (with {@link Store#advanceSchedule}) and its run second, so a crash in between is
 * finished by the next pass of any node (the run's idempotency key makes that safe).
 *
 * @param name       unique schedule name
 * @param workflow   the workflow it triggers
 * @param specJson   the {@code ScheduleSpec} as JSON, exactly as saved
 * @param paused     whether it is paused
 * @param nextFireAt its next fire, or {@code null} when none is left
 * @param lastFireAt its last fire, or {@code null}
 * @param lastRunId  the run of its last fire, or {@code null}
 * @param createdAt  when it was created
 */
public record ScheduleRow(String name, String workflow, String specJson, boolean paused, Instant nextFireAt,
                          Instant lastFireAt, Long lastRunId, Instant createdAt) {

    /** Whether its last fire is recorded but its run is not (yet). */
    public boolean firePending() {
        return lastFireAt != null && lastRunId == null;
    }
}
