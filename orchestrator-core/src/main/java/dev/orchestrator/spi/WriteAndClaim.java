package dev.orchestrator.spi;

import java.util.List;

/**
 * The result of {@link Store#applyUpdatesAndClaim}.
 *
 * @param endedRuns ids of the runs the updates ended
 * @param claimed   the tasks claimed after the updates were applied
 */
public record WriteAndClaim(List<Long> endedRuns, List<ClaimedTask> claimed) {
    /** Copies both lists. */
    public WriteAndClaim {
        endedRuns = List.copyOf(endedRuns);
        claimed = List.copyOf(claimed);
    }
}
