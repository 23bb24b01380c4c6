/**
 * Implementation of the orchestrator. Not API: anything here may change in any release.
 */
package dev.orchestrator.internal;
