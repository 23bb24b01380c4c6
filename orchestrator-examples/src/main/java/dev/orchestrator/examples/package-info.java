/** Runnable examples: the fan-out demo and a custom executor found with ServiceLoader. */
package dev.orchestrator.examples;
