package dev.orchestrator.internal;

import dev.orchestrator.AttemptInfo;
import dev.orchestrator.CancelResult;
import dev.orchestrator.NodeInfo;
import dev.orchestrator.StepInfo;
import dev.orchestrator.TaskPage;
import dev.orchestrator.TaskQuery;
import dev.orchestrator.Orchestrator;
import dev.orchestrator.RunHandle;
import dev.orchestrator.RunInfo;
import dev.orchestrator.RunPage;
import dev.orchestrator.RunQuery;
import dev.orchestrator.ScheduleInfo;
import dev.orchestrator.ScheduleSpec;
import dev.orchestrator.TaskInfo;
import dev.orchestrator.TriggerOptions;
import dev.orchestrator.WorkflowInfo;
import dev.orchestrator.WorkflowSpec;
import dev.orchestrator.spi.CancelOutcome;
import dev.orchestrator.spi.RunFilter;
import dev.orchestrator.spi.RunRow;
import dev.orchestrator.spi.Store;
import dev.orchestrator.spi.StoreProvider;
import dev.orchestrator.spi.TaskFilter;
import dev.orchestrator.spi.TaskRow;
import dev.orchestrator.spi.WorkflowRow;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.ServiceLoader;

/**
 * The {@link Orchestrator} behind {@code Orchestrator.builder().build()}: its lifecycle, reads and
 * run control. Registering and triggering are {@link Triggers}', schedules {@link Schedules}'.
 */
final class DefaultOrchestrator implements Orchestrator {

    private static final Logger log = LoggerFactory.getLogger(Orchestrator.class);

    private enum State { NEW, STARTED, CLOSED }

    private final OrchestratorConfig config;
    private final Store store;
    private final boolean ownsStore;
    private final ExecutorRegistry executors;
    private final SpecCache specs;
    private final RunWaiters waiters = new RunWaiters();
    private final Scheduler scheduler;
    private final Pruner pruner;
    private final ScheduleFirer firer;
    private final Triggers triggers;
    private final Schedules schedules;
    private volatile State state = State.NEW;

    DefaultOrchestrator(OrchestratorConfig config) {
        this.config = config;
        this.ownsStore = config.store() == null;
        this.store = ownsStore ? openStore(config.storeUrl(), config.classLoader()) : config.store();
        this.executors = new ExecutorRegistry(config.executors(), config.executorConfig(), config.classLoader(),
                store::defaultLogDirectory);
        this.specs = new SpecCache(store);
        this.scheduler = new Scheduler(config, store, executors, specs, waiters);
        this.pruner = config.retention() == null ? null : new Pruner(store, executors, config.retention(), config.clock());
        this.firer = new ScheduleFirer(store, this::trigger, config.maxPollInterval());
        this.triggers = new Triggers(config, store, executors, specs, scheduler, waiters, this);
        this.schedules = new Schedules(config, store, firer, scheduler);
        scheduler.fireSchedules(firer);
    }

    private static Store openStore(String url, ClassLoader loader) {
        List<String> seen = new ArrayList<>();
        for (StoreProvider p : ServiceLoader.load(StoreProvider.class, loader)) {
            if (p.supports(url)) {
                return p.open(url);
            }
            seen.add(p.getClass().getName());
        }
        throw new IllegalArgumentException("no store provider handles storeUrl " + OrchestratorConfig.redact(url)
                + (seen.isEmpty() ? "; add dev.orchestrator:orchestrator-jdbc to the class path"
                : "; providers found: " + seen) + ", or pass a Store to OrchestratorBuilder.store(...)");
    }

    @Override
    public synchronized void start() {
        if (state != State.NEW) {
            throw new IllegalStateException("start() may be called once, on a new orchestrator; it is " + state);
        }
        store.acquireSchedulerLock(config.nodeId()); // refuses a second scheduling process where the store must
        state = State.STARTED;
        log.info("orchestrator starting: {} executors={}", config.describe(), executors.knownTypes());
        scheduler.start();
        if (pruner != null) {
            pruner.start();
        }
    }

    @Override
    public WorkflowInfo register(WorkflowSpec spec) {
        Objects.requireNonNull(spec, "spec");
        checkOpen();
        return triggers.register(spec);
    }

    @Override
    public RunHandle trigger(String workflow, TriggerOptions options) {
        Objects.requireNonNull(options, "options");
        checkOpen();
        return triggers.trigger(workflow, options);
    }

    @Override
    public Optional<RunHandle> run(long runId) {
        return store.findRun(runId).map(r -> new DefaultRunHandle(runId, false, this, waiters));
    }

    RunInfo runInfo(long runId) {
        return toInfo(store.findRun(runId)
                .orElseThrow(() -> new IllegalStateException("run " + runId + " no longer exists")));
    }

    @Override
    public Optional<WorkflowInfo> workflow(String name) {
        return store.findWorkflow(name).map(this::toInfo);
    }

    @Override
    public List<WorkflowInfo> workflows() {
        return store.listWorkflows().stream().map(this::toInfo).toList();
    }

    @Override
    public boolean deleteWorkflow(String name) {
        checkOpen();
        return store.deleteWorkflow(name, config.clock().instant());
    }

    @Override
    public RunPage runs(RunQuery query) {
        Objects.requireNonNull(query, "query");
        return RunPage.of(store.listRuns(toFilter(query)).stream().map(DefaultOrchestrator::toInfo).toList(), query);
    }

    private static RunFilter toFilter(RunQuery q) {
        return new RunFilter(q.workflow(), q.status(), q.triggeredBy(), q.createdAfter(), q.createdBefore(),
                q.cursor() == null ? null : q.beforeId(), q.limit());
    }

    @Override
    public CancelResult cancel(long runId) {
        checkOpen();
        CancelOutcome o = store.cancelRun(runId, config.clock().instant());
        if (!o.exists()) {
            throw new IllegalArgumentException("run " + runId + " does not exist");
        }
        scheduler.requestCancelCheck();
        waiters.ended(List.of(runId));
        return new CancelResult(o.changed(), o.cancelled(), o.stopping(), !o.changed()
                ? "run " + runId + " had already ended " + o.statusBefore() + "; nothing changed"
                : "run " + runId + " cancelled: " + o.cancelled() + " tasks that had not started cancelled, "
                        + o.stopping() + " running tasks stopping; the run is " + o.statusAfter());
    }

    @Override
    public CancelResult cancelTask(long taskId) {
        checkOpen();
        CancelOutcome o = store.cancelTask(taskId, config.clock().instant());
        if (!o.exists()) {
            throw new IllegalArgumentException("task " + taskId + " does not exist");
        }
        scheduler.requestCancelCheck();
        return new CancelResult(o.changed(), o.cancelled(), o.stopping(), !o.changed()
                ? "task " + taskId + " had already ended " + o.statusBefore() + "; nothing changed"
                : o.stopping() > 0 ? "task " + taskId + " is stopping" : "task " + taskId + " cancelled");
    }

    @Override
    public int retry(long runId) {
        checkOpen();
        RunRow run = store.findRun(runId).orElseThrow(() -> new IllegalArgumentException("run " + runId + " does not exist"));
        if (!run.status().isTerminal()) {
            throw new IllegalStateException("run " + runId + " has not ended (it is " + run.status()
                    + "); cancel it or wait for it before running it again");
        }
        int again = store.retryRun(runId, config.clock().instant());
        if (again > 0) {
            scheduler.requestClaim();
        }
        return again;
    }

    @Override
    public boolean pauseWorkflow(String name) {
        return setPaused(name, true);
    }

    @Override
    public boolean resumeWorkflow(String name) {
        return setPaused(name, false);
    }

    private boolean setPaused(String name, boolean paused) {
        checkOpen();
        if (name == null || store.findWorkflow(name).isEmpty()) {
            throw new IllegalArgumentException("workflow '" + name + "' is not registered");
        }
        return store.setWorkflowPaused(name, paused, config.clock().instant());
    }

    @Override
    public boolean isPaused(String name) {
        return name != null && store.isWorkflowPaused(name);
    }

    @Override
    public List<TaskInfo> tasks(long runId) {
        return store.listTasks(runId).stream().map(t -> new TaskInfo(t.id(), t.runId(), t.stepIndex(), t.stepName(),
                t.taskIndex(), t.status(), t.attempt(), t.readyAt(), t.owner(), t.executionName(), t.exitCode(),
                t.error(), t.outputTail(), t.startedAt(), t.finishedAt())).toList();
    }

    @Override
    public List<StepInfo> steps(long runId) {
        return store.listSteps(runId).stream().map(s -> new StepInfo(s.runId(), s.stepIndex(), s.name(), s.taskCount(),
                s.succeeded(), s.failed(), s.finished(), s.inFlight(), s.status(), s.dependsOn())).toList();
    }

    @Override
    public TaskPage tasks(TaskQuery query) {
        Objects.requireNonNull(query, "query");
        int[] after = query.cursorPosition();
        TaskFilter filter = new TaskFilter(query.runId(), query.step(), query.status(),
                after == null ? null : after[0], after == null ? null : after[1], query.limit());
        return TaskPage.of(store.listTasks(filter).stream().map(DefaultOrchestrator::toInfo).toList(), query);
    }

    @Override
    public dev.orchestrator.NodeStatus nodeStatus() {
        return scheduler.status(state == State.STARTED);
    }

    @Override
    public List<NodeInfo> nodes() {
        return store.listNodes().stream()
                .map(n -> new NodeInfo(n.id(), n.heartbeatAt(), n.startedAt(), n.inFlight())).toList();
    }

    private static TaskInfo toInfo(TaskRow t) {
        return new TaskInfo(t.id(), t.runId(), t.stepIndex(), t.stepName(), t.taskIndex(), t.status(), t.attempt(),
                t.readyAt(), t.owner(), t.executionName(), t.exitCode(), t.error(), t.outputTail(), t.startedAt(),
                t.finishedAt());
    }

    @Override
    public List<AttemptInfo> attempts(long taskId) {
        return store.listAttempts(taskId).stream().map(a -> new AttemptInfo(a.taskId(), a.attempt(), a.outcome(),
                a.node(), a.executionName(), a.exitCode(), a.error(), a.outputTail(), a.outputRef(), a.startedAt(),
                a.finishedAt())).toList();
    }

    // ---- schedules: see Schedules

    @Override
    public ScheduleInfo createSchedule(ScheduleSpec spec) {
        Objects.requireNonNull(spec, "spec");
        checkOpen();
        return schedules.create(spec);
    }

    @Override
    public Optional<ScheduleInfo> schedule(String name) {
        return schedules.find(name);
    }

    @Override
    public List<ScheduleInfo> schedules() {
        return schedules.list();
    }

    @Override
    public boolean pauseSchedule(String name) {
        checkOpen();
        return schedules.pause(name);
    }

    @Override
    public boolean resumeSchedule(String name) {
        checkOpen();
        return schedules.resume(name);
    }

    @Override
    public boolean deleteSchedule(String name) {
        checkOpen();
        return schedules.delete(name);
    }

    @Override
    public List<Instant> upcomingFires(String name, int count) {
        return schedules.upcomingFires(name, count);
    }

    @Override
    public int fireDueSchedules() {
        checkOpen();
        return firer.pass(config.clock().instant());
    }

    @Override
    public void close() {
        boolean wasStarted;
        synchronized (this) {
            if (state == State.CLOSED) {
                return;
            }
            wasStarted = state == State.STARTED;
            state = State.CLOSED;
        }
        boolean clean = true;
        if (pruner != null) {
            pruner.close();
        }
        if (wasStarted) {
            try {
                clean = scheduler.stop(config.shutdownTimeout());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                clean = false;
            }
            // Whatever was still running was stopped and handed back: the node leaves.
            try {
                store.removeNode(scheduler.nodeId());
            } catch (RuntimeException e) {
                log.warn("could not remove node {} on close: {}", scheduler.nodeId(), e.toString());
            }
        }
        executors.close();
        if (ownsStore) {
            store.close();
        }
        log.info("orchestrator closed (node {}{})", scheduler.nodeId(),
                clean ? "" : ", attempts still running at the timeout were stopped and handed back");
    }

    private synchronized void checkOpen() {
        if (state == State.CLOSED) {
            throw new IllegalStateException("orchestrator is closed");
        }
    }

    private WorkflowInfo toInfo(WorkflowRow row) {
        return new WorkflowInfo(row.name(), row.version(), row.versionId(), specs.remember(row), row.createdAt());
    }

    private static RunInfo toInfo(RunRow r) {
        return new RunInfo(r.id(), r.workflow(), r.workflowVersion(), r.status(), r.triggeredBy(),
                r.params(), r.idempotencyKey(), r.taskCount(), r.succeeded(), r.failed(),
                r.finished(), r.createdAt(), r.startedAt(), r.finishedAt());
    }
}
