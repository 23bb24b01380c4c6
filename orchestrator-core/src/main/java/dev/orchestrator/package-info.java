/**
 * The Orchestrator API: build an {@link dev.orchestrator.Orchestrator} with
 * {@link dev.orchestrator.Orchestrator#builder()}, register {@link dev.orchestrator.WorkflowSpec}s,
 * trigger runs and follow them through {@link dev.orchestrator.RunHandle}s.
 */
package dev.orchestrator;
