package dev.orchestrator.internal;

import dev.orchestrator.RunHandle;
import dev.orchestrator.StepSpec;
import dev.orchestrator.TriggerOptions;
import dev.orchestrator.WorkflowInfo;
import dev.orchestrator.WorkflowSpec;
import dev.orchestrator.spi.CreatedRun;
import dev.orchestrator.spi.NewRun;
import dev.orchestrator.spi.NewStep;
import dev.orchestrator.spi.RunRow;
import dev.orchestrator.spi.Store;
import dev.orchestrator.spi.TriggerTarget;
import dev.orchestrator.spi.WorkflowRow;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Registering workflows and triggering runs of them: each step's executor checks its job and the
 * run's parameters before anything is written, then the store saves the version or creates the
 * run. Apart from {@link DefaultOrchestrator}, which checks it is open and delegates here.
 *
 * <p>A trigger remembers the version it ran; the next trigger of that workflow writes with that
 * version at once, on the condition, checked by the store with the write, that it is still the
 * latest and the workflow is not paused ({@link Store#createRunOfLatest}). When it is not (a new
 * version was registered, the workflow was paused or deleted, here or on another node), nothing is
 * written and the trigger reads the workflow as a first trigger does. Thread-safe.
 */
final class Triggers {

    private final OrchestratorConfig config;
    private final Store store;
    private final ExecutorRegistry executors;
    private final SpecCache specs;
    private final Scheduler scheduler;
    private final RunWaiters waiters;
    /** The orchestrator the returned run handles read through. */
    private final DefaultOrchestrator orchestrator;
    /** The version each workflow's last trigger ran, by name: the next trigger's guess. */
    private final Map<String, WorkflowRow> lastTriggered = new ConcurrentHashMap<>();

    Triggers(OrchestratorConfig config, Store store, ExecutorRegistry executors, SpecCache specs, Scheduler scheduler,
             RunWaiters waiters, DefaultOrchestrator orchestrator) {
        this.config = config;
        this.store = store;
        this.executors = executors;
        this.specs = specs;
        this.scheduler = scheduler;
        this.waiters = waiters;
        this.orchestrator = orchestrator;
    }

    WorkflowInfo register(WorkflowSpec spec) {
        for (StepSpec step : spec.steps()) {
            try {
                executors.get(step.executor()).validate(step.job());
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("step '" + step.name() + "': " + e.getMessage(), e);
            }
        }
        WorkflowRow row = store.saveWorkflow(spec.name(), SpecCodec.toJson(spec), config.clock().instant());
        lastTriggered.remove(spec.name()); // the next trigger reads which version is the latest
        return new WorkflowInfo(row.name(), row.version(), row.versionId(), specs.remember(row), row.createdAt());
    }

    RunHandle trigger(String workflow, TriggerOptions options) {
        if (workflow == null || workflow.isBlank()) {
            throw new IllegalArgumentException("workflow must not be blank");
        }
        Map<String, String> params = options.parameters();
        if (options.rerunOf() != null) {
            RunRow earlier = store.findRun(options.rerunOf()).orElseThrow(() ->
                    new IllegalArgumentException("rerunOf: run " + options.rerunOf() + " does not exist"));
            Map<String, String> merged = new HashMap<>(earlier.params());
            merged.putAll(options.parameters());
            params = merged;
        }
        WorkflowRow known = lastTriggered.get(workflow);
        if (known != null) {
            Optional<CreatedRun> created = store.createRunOfLatest(newRun(known, options, params), workflow,
                    config.clock().instant());
            if (created.isPresent()) {
                return handle(created.get());
            }
            lastTriggered.remove(workflow, known); // no longer the latest, or paused: read it again
        }
        // One read where the store can: the version to run and whether the workflow is paused.
        TriggerTarget target = store.findTriggerTarget(workflow)
                .orElseThrow(() -> new IllegalArgumentException("workflow '" + workflow + "' is not registered"));
        WorkflowRow row = target.workflow();
        if (target.paused()) {
            throw new IllegalStateException("workflow '" + workflow + "' is paused; resume it to trigger runs");
        }
        // A REFUSE limit is checked by the store in the run's own transaction (ConcurrencyLimitException).
        CreatedRun created = store.createRun(newRun(row, options, params), config.clock().instant());
        lastTriggered.put(workflow, row);
        return handle(created);
    }

    /** The run of version {@code row} with {@code params}, once its executors accepted them. */
    private NewRun newRun(WorkflowRow row, TriggerOptions options, Map<String, String> params) {
        WorkflowSpec spec = specs.remember(row);
        checkParameters(spec, params);
        List<NewStep> steps = new ArrayList<>(spec.steps().size());
        for (StepSpec s : spec.steps()) {
            steps.add(new NewStep(s.name(), s.taskCount(), s.dependsOn().stream().map(spec::stepIndex).toList(),
                    s.executor(), s.maxConcurrentTasks()));
        }
        return new NewRun(row.versionId(), options.triggeredBy(), params, options.idempotencyKey(), steps,
                spec.maxConcurrentRuns(), spec.concurrencyPolicy());
    }

    private RunHandle handle(CreatedRun created) {
        if (created.created()) {
            scheduler.requestClaim();
        }
        return new DefaultRunHandle(created.run().id(), created.created(), orchestrator, waiters);
    }

    /**
     * Lets each step's executor refuse parameters its tasks could not start with, before anything
     * is written. A type this node cannot serve (a mixed fleet) is left to the nodes that can.
     */
    private void checkParameters(WorkflowSpec spec, Map<String, String> params) {
        java.util.Set<String> known = executors.knownTypes();
        for (StepSpec step : spec.steps()) {
            if (!known.contains(step.executor())) {
                continue;
            }
            try {
                executors.get(step.executor()).validateParameters(step.job(), params);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("parameters: step '" + step.name() + "' (" + step.executor()
                        + "): " + e.getMessage(), e);
            }
        }
    }
}
