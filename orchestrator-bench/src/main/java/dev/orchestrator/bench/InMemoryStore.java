package dev.orchestrator.bench;

import dev.orchestrator.AttemptOutcome;
import dev.orchestrator.RunStatus;
import dev.orchestrator.TaskStatus;
import dev.orchestrator.spi.AttemptRow;
import dev.orchestrator.spi.ClaimedTask;
import dev.orchestrator.spi.CreatedRun;
import dev.orchestrator.spi.NewRun;
import dev.orchestrator.spi.NewStep;
import dev.orchestrator.spi.RunFilter;
import dev.orchestrator.spi.RunRow;
import dev.orchestrator.spi.ScheduleRow;
import dev.orchestrator.spi.Store;
import dev.orchestrator.spi.TaskRow;
import dev.orchestrator.spi.TaskUpdate;
import dev.orchestrator.spi.WorkflowRow;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.PriorityQueue;

/**
 * A {@link Store} in memory, for measuring the scheduler's own work per task without a database.
 * Only what the benchmarks need: single-step or dependency-free workflows (a step with
 * {@code dependsOn} is refused), no idempotency keys, no node take-over. Every method is one
 * lock acquisition; ended tasks are forgotten at once, so memory stays flat.
 */
public final class InMemoryStore implements Store {

    private static final class Task {
        final long id;
        final Run run;
        final int stepIndex;
        final int taskIndex;
        TaskStatus status = TaskStatus.PENDING;
        int attempt;
        Instant readyAt;

        Task(long id, Run run, int stepIndex, int taskIndex, Instant readyAt) {
            this.id = id;
            this.run = run;
            this.stepIndex = stepIndex;
            this.taskIndex = taskIndex;
            this.readyAt = readyAt;
        }
    }

    private static final class Run {
        final long id;
        final WorkflowRow workflow;
        final NewRun spec;
        final Instant createdAt;
        final int taskCount;
        RunStatus status = RunStatus.PENDING;
        int succeeded;
        int failed;
        int finished;
        Instant startedAt;
        Instant finishedAt;

        Run(long id, WorkflowRow workflow, NewRun spec, int taskCount, Instant createdAt) {
            this.id = id;
            this.workflow = workflow;
            this.spec = spec;
            this.taskCount = taskCount;
            this.createdAt = createdAt;
        }

        RunRow row() {
            return new RunRow(id, workflow.versionId(), workflow.name(), workflow.version(), status, spec.triggeredBy(),
                    spec.params(), spec.idempotencyKey(), taskCount, succeeded, failed, finished, createdAt,
                    startedAt, finishedAt);
        }
    }

    private final Map<Long, WorkflowRow> versions = new HashMap<>();
    private final Map<String, WorkflowRow> latest = new HashMap<>();
    private final Map<Long, Run> runs = new HashMap<>();
    private final Map<Long, Task> live = new HashMap<>();
    private final PriorityQueue<Task> ready = new PriorityQueue<>(
            Comparator.comparing((Task t) -> t.readyAt).thenComparingLong(t -> t.id));
    private final java.util.Set<String> nodes = new java.util.HashSet<>();
    private long nextVersionId = 1;
    private long nextRunId = 1;
    private long nextTaskId = 1;

    @Override
    public synchronized WorkflowRow saveWorkflow(String name, String specJson, Instant now) {
        WorkflowRow current = latest.get(name);
        if (current != null && current.specJson().equals(specJson)) {
            return current;
        }
        WorkflowRow row = new WorkflowRow(nextVersionId++, name, current == null ? 1 : current.version() + 1, specJson, now);
        versions.put(row.versionId(), row);
        latest.put(name, row);
        return row;
    }

    @Override
    public synchronized Optional<WorkflowRow> findWorkflow(String name) {
        return Optional.ofNullable(latest.get(name));
    }

    @Override
    public synchronized Optional<WorkflowRow> findWorkflowVersion(long versionId) {
        return Optional.ofNullable(versions.get(versionId));
    }

    @Override
    public synchronized List<WorkflowRow> listWorkflows() {
        return List.copyOf(latest.values());
    }

    @Override
    public synchronized boolean deleteWorkflow(String name, Instant now) {
        return latest.remove(name) != null;
    }

    @Override
    public synchronized CreatedRun createRun(NewRun newRun, Instant now) {
        WorkflowRow wf = versions.get(newRun.workflowVersionId());
        if (wf == null) {
            throw new IllegalArgumentException("no workflow version " + newRun.workflowVersionId());
        }
        int total = 0;
        for (NewStep s : newRun.steps()) {
            if (!s.dependsOn().isEmpty()) {
                throw new UnsupportedOperationException("InMemoryStore (a benchmark fake) does not run step dependencies");
            }
            total += s.taskCount();
        }
        Run run = new Run(nextRunId++, wf, newRun, total, now);
        runs.put(run.id, run);
        for (int s = 0; s < newRun.steps().size(); s++) {
            for (int i = 0; i < newRun.steps().get(s).taskCount(); i++) {
                Task t = new Task(nextTaskId++, run, s, i, now);
                live.put(t.id, t);
                ready.add(t);
            }
        }
        return new CreatedRun(run.row(), true);
    }

    @Override
    public synchronized Optional<RunRow> findRun(long runId) {
        Run r = runs.get(runId);
        return r == null ? Optional.empty() : Optional.of(r.row());
    }

    @Override
    public synchronized List<RunRow> listRuns(RunFilter filter) {
        return runs.values().stream()
                .filter(r -> filter.workflow() == null || filter.workflow().equals(r.workflow.name()))
                .filter(r -> filter.status() == null || filter.status() == r.status)
                .filter(r -> filter.triggeredBy() == null || filter.triggeredBy().equals(r.spec.triggeredBy()))
                .filter(r -> filter.createdAfter() == null || !r.createdAt.isBefore(filter.createdAfter()))
                .filter(r -> filter.createdBefore() == null || r.createdAt.isBefore(filter.createdBefore()))
                .filter(r -> filter.beforeId() == null || r.id < filter.beforeId())
                .sorted(Comparator.comparingLong((Run r) -> r.id).reversed())
                .limit(filter.limit()).map(Run::row).toList();
    }

    @Override
    public List<TaskRow> listTasks(long runId) {
        return List.of();
    }

    @Override
    public List<AttemptRow> listAttempts(long taskId) {
        return List.of();
    }

    @Override
    public synchronized List<ClaimedTask> claimReady(String nodeId, int limit, Instant now) {
        List<ClaimedTask> out = new ArrayList<>(Math.min(limit, ready.size()));
        while (out.size() < limit && !ready.isEmpty() && !ready.peek().readyAt.isAfter(now)) {
            Task t = ready.poll();
            t.status = TaskStatus.DISPATCHED;
            t.attempt++;
            if (t.run.status == RunStatus.PENDING) {
                t.run.status = RunStatus.RUNNING;
                t.run.startedAt = now;
            }
            out.add(new ClaimedTask(t.id, t.run.id, t.run.workflow.versionId(), t.stepIndex, t.taskIndex, t.attempt,
                    t.status, null, t.run.spec.params(), t.readyAt, now));
        }
        return out;
    }

    @Override
    public synchronized List<Long> applyUpdates(List<TaskUpdate> updates, Instant now) {
        List<Long> ended = new ArrayList<>();
        for (TaskUpdate u : updates) {
            Task t = live.get(u.taskId());
            if (t == null || t.attempt != u.attempt()
                    || (t.status != TaskStatus.DISPATCHED && t.status != TaskStatus.RUNNING)) {
                continue;
            }
            switch (u.kind()) {
                case RUNNING -> t.status = TaskStatus.RUNNING;
                case HEARTBEAT -> { }
                case ENDED -> {
                    if (u.outcome() != AttemptOutcome.SUCCEEDED && u.retryAt() != null) {
                        t.status = TaskStatus.PENDING;
                        t.readyAt = u.retryAt();
                        ready.add(t);
                        continue;
                    }
                    live.remove(t.id);
                    Run r = t.run;
                    r.finished++;
                    if (u.outcome() == AttemptOutcome.SUCCEEDED) {
                        r.succeeded++;
                    } else {
                        r.failed++;
                    }
                    if (r.finished == r.taskCount) {
                        r.status = r.failed == 0 ? RunStatus.SUCCEEDED : RunStatus.FAILED;
                        r.finishedAt = now;
                        ended.add(r.id);
                    }
                }
            }
        }
        return ended;
    }

    /** One node: it is always alive, and its row always existed after the first heartbeat. */
    @Override
    public synchronized boolean heartbeat(String nodeId, Instant now) {
        return !nodes.add(nodeId);
    }

    /** One node: nothing to take over. */
    @Override
    public List<ClaimedTask> takeOverDeadNodes(String nodeId, java.time.Duration lease, Instant now) {
        return List.of();
    }

    /** The benchmarks never lose a claim's answer: nothing is owned unknowingly. */
    @Override
    public List<ClaimedTask> inFlightOf(String nodeId) {
        return List.of();
    }

    @Override
    public void removeNode(String nodeId) {
    }

    /** Forgets ended runs (benchmarks call this between iterations). */
    public synchronized void forgetEndedRuns() {
        runs.values().removeIf(r -> r.status.isTerminal());
    }

    @Override
    public void close() {
    }

    // ---- schedules: a plain map, enough for the harness

    private final java.util.TreeMap<String, ScheduleRow> schedules = new java.util.TreeMap<>();

    @Override
    public synchronized ScheduleRow createSchedule(ScheduleRow s) {
        if (schedules.containsKey(s.name())) {
            throw new IllegalArgumentException("schedule '" + s.name() + "' already exists");
        }
        ScheduleRow row = new ScheduleRow(s.name(), s.workflow(), s.specJson(), s.paused(), s.nextFireAt(), null, null,
                s.createdAt());
        schedules.put(s.name(), row);
        return row;
    }

    @Override
    public synchronized Optional<ScheduleRow> findSchedule(String name) {
        return Optional.ofNullable(schedules.get(name));
    }

    @Override
    public synchronized List<ScheduleRow> listSchedules() {
        return List.copyOf(schedules.values());
    }

    @Override
    public synchronized boolean deleteSchedule(String name) {
        return schedules.remove(name) != null;
    }

    @Override
    public synchronized boolean setSchedulePaused(String name, boolean paused, Instant nextFireAt) {
        ScheduleRow r = schedules.get(name);
        if (r == null) {
            return false;
        }
        schedules.put(name, new ScheduleRow(r.name(), r.workflow(), r.specJson(), paused,
                paused ? r.nextFireAt() : nextFireAt, r.lastFireAt(), r.lastRunId(), r.createdAt()));
        return true;
    }

    @Override
    public synchronized List<ScheduleRow> dueSchedules(Instant now, int limit) {
        return schedules.values().stream()
                .filter(r -> r.firePending() || (!r.paused() && r.nextFireAt() != null && !r.nextFireAt().isAfter(now)))
                .sorted(Comparator.comparing(ScheduleRow::nextFireAt, Comparator.nullsFirst(Comparator.naturalOrder())))
                .limit(limit).toList();
    }

    @Override
    public synchronized boolean advanceSchedule(String name, Instant expectedNextFire, Instant newNextFire,
                                                Instant lastFireAt, Long lastRunId) {
        ScheduleRow r = schedules.get(name);
        if (r == null || !java.util.Objects.equals(r.nextFireAt(), expectedNextFire)) {
            return false;
        }
        schedules.put(name, new ScheduleRow(r.name(), r.workflow(), r.specJson(), r.paused(), newNextFire, lastFireAt,
                lastRunId, r.createdAt()));
        return true;
    }

    @Override
    public synchronized Optional<Instant> nextScheduleFire() {
        return schedules.values().stream().filter(r -> !r.paused() && r.nextFireAt() != null)
                .map(ScheduleRow::nextFireAt).min(Comparator.naturalOrder());
    }
}
