package dev.orchestrator.spi;

/**
 * The result of {@link Store#createRun}.
 *
 * @param run     the run: the new one, or the earlier one with the same idempotency key
 * @param created whether this call created it
 */
public record CreatedRun(RunRow run, boolean created) {
}
