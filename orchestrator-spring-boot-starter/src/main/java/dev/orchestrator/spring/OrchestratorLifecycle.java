package dev.orchestrator.spring;

import dev.orchestrator.Orchestrator;
import dev.orchestrator.WorkflowSpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

import java.util.List;

/**
 * Starts and stops the auto-configured orchestrator with the application context.
 *
 * <p>On start, once every bean exists, it registers each {@link WorkflowSpec} bean and then, unless
 * {@code orchestrator.scheduler.enabled=false}, starts the scheduler. On stop it closes the
 * orchestrator on a thread of its own, so Spring's {@code spring.lifecycle.timeout-per-shutdown-phase}
 * bounds the wait; the orchestrator's shutdown timeout is set to end within it. Every lifecycle stop
 * runs before any bean is destroyed, so the orchestrator is closed before the {@code DataSource}.
 *
 * <p>It runs in phase {@link #PHASE}: it starts before, and stops after, the embedded web server, so
 * requests still being served while the server shuts down gracefully may trigger runs.
 *
 * <p>An orchestrator cannot start again once closed: a context that is stopped and then started
 * again fails on {@link #start()}.
 */
public final class OrchestratorLifecycle implements SmartLifecycle {

    /** The lifecycle phase: below the web server's ({@code DEFAULT_PHASE - 2048}). */
    public static final int PHASE = SmartLifecycle.DEFAULT_PHASE - 4096;

    private static final Logger LOG = LoggerFactory.getLogger(OrchestratorLifecycle.class);

    private enum State { NEW, RUNNING, STOPPING, STOPPED }

    private final Orchestrator orchestrator;
    private final OrchestratorNode node;
    private final List<WorkflowSpec> workflows;
    private State state = State.NEW;

    OrchestratorLifecycle(Orchestrator orchestrator, OrchestratorNode node, List<WorkflowSpec> workflows) {
        this.orchestrator = orchestrator;
        this.node = node;
        this.workflows = List.copyOf(workflows);
    }

    /**
     * Registers the workflow beans and starts the scheduler (scheduling nodes only).
     *
     * @throws IllegalArgumentException if a workflow bean is refused (an unknown executor type, for one)
     * @throws IllegalStateException    if the orchestrator was already stopped
     */
    @Override
    public synchronized void start() {
        if (state == State.RUNNING) {
            return;
        }
        if (state != State.NEW) {
            throw new IllegalStateException("the orchestrator was stopped and cannot start again; it is " + state);
        }
        for (WorkflowSpec spec : workflows) {
            orchestrator.register(spec);
        }
        if (node.schedulerEnabled()) {
            orchestrator.start();
        }
        state = State.RUNNING;
        LOG.info("orchestrator node {} {} ({} workflow bean(s) registered; executor types {})", node.nodeId(),
                node.schedulerEnabled() ? "is scheduling" : "is a client only (orchestrator.scheduler.enabled=false)",
                workflows.size(), node.executorTypes());
    }

    /** Closes the orchestrator on a thread of its own, then runs {@code callback}. */
    @Override
    public void stop(Runnable callback) {
        synchronized (this) {
            if (state != State.RUNNING) {
                callback.run();
                return;
            }
            state = State.STOPPING;
        }
        Thread.ofPlatform().name("orchestrator-shutdown").start(() -> {
            try {
                close();
            } finally {
                callback.run();
            }
        });
    }

    /** Closes the orchestrator on the calling thread. */
    @Override
    public void stop() {
        synchronized (this) {
            if (state != State.RUNNING) {
                return;
            }
            state = State.STOPPING;
        }
        close();
    }

    private void close() {
        try {
            orchestrator.close();
        } catch (RuntimeException e) {
            LOG.warn("closing the orchestrator failed", e);
        } finally {
            synchronized (this) {
                state = State.STOPPED;
            }
        }
    }

    /** Whether started and not yet stopping. */
    @Override
    public synchronized boolean isRunning() {
        return state == State.RUNNING;
    }

    @Override
    public int getPhase() {
        return PHASE;
    }

    /** Whether this node's scheduler runs: a scheduling node, started and not yet stopping. */
    public synchronized boolean isSchedulerRunning() {
        return node.schedulerEnabled() && state == State.RUNNING;
    }

    /** Whether this node schedules ({@code orchestrator.scheduler.enabled}), or is a client only. */
    public boolean isSchedulerEnabled() {
        return node.schedulerEnabled();
    }

    /** This node's id. */
    public String nodeId() {
        return node.nodeId();
    }

    /** The executor types this node can run. */
    public List<String> executorTypes() {
        return List.copyOf(node.executorTypes());
    }
}
