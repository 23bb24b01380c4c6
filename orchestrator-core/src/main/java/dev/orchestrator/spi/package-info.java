/**
 * Extension points: {@link dev.orchestrator.spi.Executor} and
 * {@link dev.orchestrator.spi.ExecutorProvider} for new kinds of task, and
 * {@link dev.orchestrator.spi.Store} and {@link dev.orchestrator.spi.StoreProvider} for state.
 */
package dev.orchestrator.spi;
