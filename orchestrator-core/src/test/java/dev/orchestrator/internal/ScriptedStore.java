package dev.orchestrator.internal;

import dev.orchestrator.spi.AttemptRow;
import dev.orchestrator.spi.TaskRow;
import dev.orchestrator.spi.ClaimedTask;
import dev.orchestrator.spi.CreatedRun;
import dev.orchestrator.spi.NewRun;
import dev.orchestrator.spi.RunFilter;
import dev.orchestrator.spi.RunRow;
import dev.orchestrator.spi.ScheduleRow;
import dev.orchestrator.spi.Store;
import dev.orchestrator.spi.TaskUpdate;
import dev.orchestrator.spi.WorkflowRow;

import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * An in-memory store for scheduler unit tests: the test puts tasks up for claim and orphans up
 * for take-over, and reads back every update, heartbeat and call the scheduler made. Only the
 * calls the scheduler makes are supported.
 */
final class ScriptedStore implements Store {

    final Map<Long, WorkflowRow> versions = new HashMap<>();
    /** Handed out by the next claims, oldest first. */
    final List<ClaimedTask> claimable = new ArrayList<>();
    /** Handed out by the next take-over. */
    final List<ClaimedTask> orphans = new ArrayList<>();
    final List<TaskUpdate> written = new ArrayList<>();
    final List<Instant> heartbeats = new ArrayList<>();
    final List<String> heartbeatNodes = new ArrayList<>();
    /** While true, heartbeats fail as if the database were away (set from any thread). */
    volatile boolean heartbeatsFail;
    /** While set, claims wait for it to open, as behind a slow write (set from any thread). */
    volatile java.util.concurrent.CountDownLatch claimGate;
    /** Claims under way or done; read from any thread. */
    final java.util.concurrent.atomic.AtomicInteger claimCalls = new java.util.concurrent.atomic.AtomicInteger();
    final List<Instant> takeOverCutoffs = new ArrayList<>();
    int claims;
    /** Nodes whose next heartbeat learns that others declared them dead. */
    final java.util.Set<String> declaredDead = new java.util.HashSet<>();
    /** While true, reading a workflow version fails as if the connection dropped. */
    boolean failVersionReads;
    /** What {@link #inFlightOf} answers. */
    final List<ClaimedTask> owned = new ArrayList<>();
    /** What {@link #cancelRequested} answers: task id to attempt. */
    final Map<Long, Integer> cancelRequests = new HashMap<>();

    @Override
    public Map<Long, Integer> cancelRequested(String nodeId) {
        return Map.copyOf(cancelRequests);
    }
    /** Updates the "database" refuses, as PostgreSQL refuses text with NUL. */
    Predicate<TaskUpdate> rejects = u -> false;
    /** How many of the next writes fail as if the connection dropped. */
    int outages;

    @Override
    public WorkflowRow saveWorkflow(String name, String specJson, Instant now) {
        WorkflowRow row = new WorkflowRow(versions.size() + 1, name, 1, specJson, now);
        versions.put(row.versionId(), row);
        return row;
    }

    @Override
    public Optional<WorkflowRow> findWorkflowVersion(long versionId) {
        if (failVersionReads) {
            throw new IllegalStateException("store call failed", new SQLException("connection reset", "08006"));
        }
        return Optional.ofNullable(versions.get(versionId));
    }

    @Override
    public List<ClaimedTask> claimReady(String nodeId, int limit, Instant now) {
        claims++;
        claimCalls.incrementAndGet();
        java.util.concurrent.CountDownLatch gate = claimGate;
        if (gate != null) {
            try {
                gate.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        List<ClaimedTask> out = new ArrayList<>();
        while (out.size() < limit && !claimable.isEmpty()) {
            out.add(claimable.removeFirst());
        }
        return out;
    }

    @Override
    public List<Long> applyUpdates(List<TaskUpdate> updates, Instant now) {
        if (outages > 0) {
            outages--;
            throw new IllegalStateException("store call failed", new SQLException("connection refused", "08006"));
        }
        for (TaskUpdate u : updates) {
            if (rejects.test(u)) {
                throw new IllegalStateException("store call failed",
                        new SQLException("invalid byte sequence for encoding \"UTF8\": 0x00", "22021"));
            }
        }
        written.addAll(updates);
        return List.of();
    }

    @Override
    public synchronized boolean heartbeat(String nodeId, Instant now) {
        if (heartbeatsFail) {
            throw new IllegalStateException("store call failed", new SQLException("connection refused", "08006"));
        }
        heartbeats.add(now);
        boolean existed = heartbeatNodes.contains(nodeId) && !declaredDead.remove(nodeId);
        heartbeatNodes.add(nodeId);
        return existed;
    }

    /** How many heartbeats were accepted; any thread. */
    synchronized int acceptedHeartbeats() {
        return heartbeats.size();
    }

    @Override
    public List<ClaimedTask> inFlightOf(String nodeId) {
        return List.copyOf(owned);
    }

    @Override
    public List<ClaimedTask> takeOverDeadNodes(String nodeId, Duration lease, Instant now) {
        takeOverCutoffs.add(now.minus(lease));
        List<ClaimedTask> out = List.copyOf(orphans);
        orphans.clear();
        return out;
    }

    /** The updates written so far of one kind. */
    List<TaskUpdate> written(TaskUpdate.Kind kind) {
        return written.stream().filter(u -> u.kind() == kind).toList();
    }

    @Override
    public Optional<WorkflowRow> findWorkflow(String name) {
        throw new UnsupportedOperationException();
    }

    @Override
    public List<WorkflowRow> listWorkflows() {
        throw new UnsupportedOperationException();
    }

    @Override
    public boolean deleteWorkflow(String name, Instant now) {
        throw new UnsupportedOperationException();
    }

    @Override
    public CreatedRun createRun(NewRun run, Instant now) {
        throw new UnsupportedOperationException();
    }

    @Override
    public Optional<RunRow> findRun(long runId) {
        throw new UnsupportedOperationException();
    }

    @Override
    public List<RunRow> listRuns(RunFilter filter) {
        throw new UnsupportedOperationException();
    }

    @Override
    public List<TaskRow> listTasks(long runId) {
        throw new UnsupportedOperationException();
    }

    @Override
    public List<AttemptRow> listAttempts(long taskId) {
        throw new UnsupportedOperationException();
    }

    @Override
    public void removeNode(String nodeId) {
    }

    @Override
    public void close() {
    }

    // ---- schedules: none (the scheduler only asks for due ones and the next fire)

    @Override
    public ScheduleRow createSchedule(ScheduleRow schedule) {
        throw new UnsupportedOperationException();
    }

    @Override
    public Optional<ScheduleRow> findSchedule(String name) {
        return Optional.empty();
    }

    @Override
    public List<ScheduleRow> listSchedules() {
        return List.of();
    }

    @Override
    public boolean deleteSchedule(String name) {
        return false;
    }

    @Override
    public boolean setSchedulePaused(String name, boolean paused, Instant nextFireAt) {
        return false;
    }

    @Override
    public List<ScheduleRow> dueSchedules(Instant now, int limit) {
        return List.of();
    }

    @Override
    public boolean advanceSchedule(String name, Instant expectedNextFire, Instant newNextFire, Instant lastFireAt,
                                   Long lastRunId) {
        return false;
    }

    @Override
    public Optional<Instant> nextScheduleFire() {
        return Optional.empty();
    }
}
