package dev.orchestrator.spi;

/**
 * One attempt handed to an executor: its context and where to report.
 *
 * @param task the attempt's context
 * @param sink where to report its progress
 */
public record Dispatch(TaskContext task, StatusSink sink) {
}
