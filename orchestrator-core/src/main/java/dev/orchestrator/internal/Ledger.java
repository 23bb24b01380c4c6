package dev.orchestrator.internal;

import dev.orchestrator.StepSpec;
import dev.orchestrator.WorkflowSpec;
import dev.orchestrator.spi.ClaimedTask;
import dev.orchestrator.spi.Executor;

import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Every attempt this node owns, from its claim (or take-over) to its recorded end. Loop thread
 * only.
 */
final class Ledger {

    private final SpecCache specs;
    private final ExecutorRegistry executors;
    private final Inbox inbox;
    private final Dispatcher dispatcher;
    /** By task id. */
    private final Map<Long, InFlight> owned = new HashMap<>();
    /** Owned attempts with a timeout or a heartbeat timeout: while there are any, the loop checks them. */
    private int limited;
    private final Map<Long, Map<String, String>> paramsByRun = new LinkedHashMap<>(256, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Long, Map<String, String>> eldest) {
            return size() > 1024;
        }
    };

    Ledger(SpecCache specs, ExecutorRegistry executors, Inbox inbox, Dispatcher dispatcher) {
        this.specs = specs;
        this.executors = executors;
        this.inbox = inbox;
        this.dispatcher = dispatcher;
    }

    /**
     * Records a claimed or taken-over attempt as owned by this node.
     *
     * @throws RuntimeException if it cannot run here: its spec or its executor is missing
     */
    InFlight own(ClaimedTask c, Instant now) {
        WorkflowSpec spec = specs.get(c.workflowVersionId());
        StepSpec step = spec.steps().get(c.stepIndex());
        Executor executor = executors.get(step.executor());
        Map<String, String> params = paramsByRun.computeIfAbsent(c.runId(), id -> c.params());
        InFlight t = new InFlight(c, spec.name(), step, executor, params, inbox, dispatcher, now);
        owned.put(c.taskId(), t);
        if (isLimited(t)) {
            limited++;
        }
        return t;
    }

    /** The step of a claimed task (its workflow's spec is cached by version). */
    StepSpec step(ClaimedTask c) {
        return specs.get(c.workflowVersionId()).steps().get(c.stepIndex());
    }

    /** The executor of a claimed task's step. */
    Executor executor(ClaimedTask c) {
        return executors.get(step(c).executor());
    }

    /** Forgets an attempt whose end is recorded. */
    void remove(InFlight t) {
        if (owned.remove(t.claim.taskId()) != null && isLimited(t)) {
            limited--;
        }
    }

    /** Whether this node knows an attempt of task {@code taskId}. */
    boolean owns(long taskId) {
        return owned.containsKey(taskId);
    }

    Collection<InFlight> all() {
        return owned.values();
    }

    int size() {
        return owned.size();
    }

    boolean isEmpty() {
        return owned.isEmpty();
    }

    /** Whether an owned attempt has a timeout or a heartbeat timeout to check. */
    boolean hasLimited() {
        return limited > 0;
    }

    private static boolean isLimited(InFlight t) {
        return t.step.timeout() != null || t.step.heartbeatTimeout() != null;
    }
}
