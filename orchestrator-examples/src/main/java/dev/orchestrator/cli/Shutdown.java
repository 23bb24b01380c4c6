package dev.orchestrator.cli;

import dev.orchestrator.Orchestrator;

/**
 * A JVM shutdown hook that closes an orchestrator gracefully on Ctrl-C or SIGTERM (stop
 * claiming, wait for running tasks up to the shutdown timeout, write pending updates).
 * {@link #close()} removes the hook when the command ends normally.
 */
final class Shutdown implements AutoCloseable {

    private final Thread hook;

    private Shutdown(Thread hook) {
        this.hook = hook;
    }

    /** Registers a hook that closes {@code orchestrator}, then runs {@code after} (may be {@code null}). */
    static Shutdown closeOnExit(Orchestrator orchestrator, Runnable after) {
        Thread hook = new Thread(() -> {
            try {
                orchestrator.close();
            } finally {
                if (after != null) {
                    after.run();
                }
            }
        }, "orchestrator-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        return new Shutdown(hook);
    }

    /** Registers a hook that closes {@code orchestrator}. */
    static Shutdown closeOnExit(Orchestrator orchestrator) {
        return closeOnExit(orchestrator, null);
    }

    @Override
    public void close() {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // the JVM is already shutting down; the hook does the closing
        }
    }
}
