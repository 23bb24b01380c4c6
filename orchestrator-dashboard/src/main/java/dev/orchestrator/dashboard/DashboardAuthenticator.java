package dev.orchestrator.dashboard;

/**
 * The host's own authentication for the dashboard: called for every request (pages, assets and
 * API) before anything else. Return {@code true} to let the request through; {@code false} answers
 * {@code 401}. Called on the server's request threads, concurrently: implementations must be
 * thread-safe and should be fast.
 */
@FunctionalInterface
public interface DashboardAuthenticator {

    /** Whether {@code request} may be served. */
    boolean authenticate(DashboardRequest request);
}
