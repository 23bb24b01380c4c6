/** Optional metrics bindings; Micrometer is needed on the class path only when they are used. */
package dev.orchestrator.metrics;
