/**
 * A web dashboard and JSON API for an {@link dev.orchestrator.Orchestrator}, served by the JDK's
 * built-in HTTP server ({@code jdk.httpserver}); start one with {@link dev.orchestrator.dashboard.Dashboard#builder()}.
 */
package dev.orchestrator.dashboard;
