package dev.orchestrator;

/**
 * What a cancel did.
 *
 * @param changed        whether anything changed; {@code false} when the run or task had ended already
 * @param cancelledTasks tasks cancelled at once (they had not started)
 * @param stoppingTasks  running tasks being stopped; each ends {@code CANCELLED} when its process has stopped
 * @param message        one line saying what happened, for people
 */
public record CancelResult(boolean changed, int cancelledTasks, int stoppingTasks, String message) {
}
