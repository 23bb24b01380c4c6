package dev.orchestrator.jdbc.internal;

import dev.orchestrator.AttemptOutcome;
import dev.orchestrator.RunStatus;
import dev.orchestrator.TaskStatus;
import dev.orchestrator.spi.TaskUpdate;
import org.jooq.DSLContext;
import org.jooq.impl.DSL;
import org.jooq.impl.SQLDataType;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import static dev.orchestrator.jdbc.internal.Col.FAILED;
import static dev.orchestrator.jdbc.internal.Col.FINISHED;
import static dev.orchestrator.jdbc.internal.Col.FINISHED_AT;
import static dev.orchestrator.jdbc.internal.Col.ID;
import static dev.orchestrator.jdbc.internal.Col.RUN_ID;
import static dev.orchestrator.jdbc.internal.Col.STATUS;
import static dev.orchestrator.jdbc.internal.Col.STEP_INDEX;
import static dev.orchestrator.jdbc.internal.Col.SUCCEEDED;
import static dev.orchestrator.jdbc.internal.Col.TASK_COUNT;

/**
 * Writes a batch of attempt updates in the caller's transaction, with statements rendered once
 * and run through plain JDBC: one JDBC batch or set-based statement per statement shape, guarded by
 * attempt and status; counter deltas summed in Java and written once per step and per run; step
 * and run ends detected from the counters. A RUNNING and an ENDED update of the same attempt in
 * one batch are written together, one update of the task row and one of the attempt row, with the
 * same result as applying them one after the other.
 */
final class UpdateApplier {

    private final Jdbc jdbc;
    private final DialectSupport dialect;
    private final StepCascade cascade;
    private final TaskWriter writer;
    private final Releases releases;
    private final CounterWrites counters;

    /** Statements for {@code tables}, rendered once with {@code r}; task rows written by {@code writer}. */
    public UpdateApplier(Tables tables, DSLContext r, Jdbc jdbc, DialectSupport dialect, TaskWriter writer,
                         Releases releases) {
        Tables t = tables;
        this.releases = releases;
        this.jdbc = jdbc;
        this.dialect = dialect;
        this.cascade = new StepCascade(tables, r, jdbc, dialect);
        this.writer = writer;
        this.counters = new CounterWrites(tables, r, dialect instanceof PostgresSupport);
    }

    /** Applies {@code updates}; returns the ids of the runs that ended. */
    public List<Long> apply(DSLContext ctx, Connection c, List<TaskUpdate> updates, long now) throws SQLException {
        List<TaskUpdate> running = new ArrayList<>();
        List<TaskUpdate> heartbeats = new ArrayList<>();
        List<TaskUpdate> ended = new ArrayList<>();
        List<TaskUpdate> released = new ArrayList<>();
        for (TaskUpdate u : updates) {
            if (u == null || u.kind() == null) {
                throw new IllegalArgumentException("updates must not contain null updates or kinds");
            }
            switch (u.kind()) {
                case RUNNING -> running.add(u);
                case HEARTBEAT -> heartbeats.add(u);
                case RELEASED -> released.add(u);
                case ENDED -> {
                    if (u.outcome() == null || u.outcome() == AttemptOutcome.RUNNING) {
                        throw new IllegalArgumentException("ENDED update of task " + u.taskId()
                                + " must have an ended outcome, got " + u.outcome());
                    }
                    ended.add(u);
                }
            }
        }
        Map<AttemptKey, TaskUpdate> mergeable = mergeable(running, ended);
        if (!mergeable.isEmpty()) {
            running.removeIf(u -> mergeable.get(new AttemptKey(u.taskId(), u.attempt())) == u);
        }
        applyRunning(c, running, now);
        applyHeartbeats(c, heartbeats, now);
        if (!released.isEmpty()) {
            releases.apply(ctx, released, now);
        }
        if (ended.isEmpty()) {
            return List.of();
        }
        Map<StepKey, Counters> stepDeltas = applyEnded(c, ended, mergeable, now);
        if (stepDeltas.isEmpty()) {
            return List.of();
        }
        return applyCounters(ctx, c, stepDeltas, now);
    }

    /** A task's attempt. */
    private record AttemptKey(long taskId, int attempt) {
    }

    /**
     * The RUNNING updates to write together with the final ENDED update of the same attempt: those
     * whose attempt has exactly one RUNNING and exactly one ENDED update in the batch, which ends
     * the task (no retry). Applying RUNNING and then ENDED to the same live row is the same as
     * one update that sets the columns of both; the row's guard is the same for both (a heartbeat
     * in between changes only {@code heartbeat_at}, to the same time).
     */
    private static Map<AttemptKey, TaskUpdate> mergeable(List<TaskUpdate> running, List<TaskUpdate> ended) {
        if (running.isEmpty() || ended.isEmpty()) {
            return Map.of();
        }
        Map<AttemptKey, TaskUpdate> runningByKey = new HashMap<>();
        Set<AttemptKey> duplicates = new HashSet<>();
        for (TaskUpdate u : running) {
            AttemptKey k = new AttemptKey(u.taskId(), u.attempt());
            if (runningByKey.putIfAbsent(k, u) != null) {
                duplicates.add(k);
            }
        }
        Map<AttemptKey, TaskUpdate> merged = new HashMap<>();
        Set<AttemptKey> endedKeys = new HashSet<>();
        for (TaskUpdate u : ended) {
            AttemptKey k = new AttemptKey(u.taskId(), u.attempt());
            if (!endedKeys.add(k)) {
                duplicates.add(k);
            } else if (!isRetry(u) && runningByKey.containsKey(k)) {
                merged.put(k, runningByKey.get(k));
            }
        }
        merged.keySet().removeAll(duplicates);
        return merged;
    }

    private static boolean isRetry(TaskUpdate u) {
        return u.retryAt() != null && u.outcome() != AttemptOutcome.SUCCEEDED;
    }

    private void applyRunning(Connection c, List<TaskUpdate> running, long now) throws SQLException {
        if (running.isEmpty()) {
            return;
        }
        running.sort(Comparator.comparingLong(TaskUpdate::taskId));
        boolean[] applied = writer.running(c, running, now);
        writer.attemptsRunning(c, select(running, applied));
    }

    private void applyHeartbeats(Connection c, List<TaskUpdate> heartbeats, long now) throws SQLException {
        if (heartbeats.isEmpty()) {
            return;
        }
        heartbeats.sort(Comparator.comparingLong(TaskUpdate::taskId));
        writer.heartbeats(c, heartbeats, now);
    }

    private static List<TaskUpdate> select(List<TaskUpdate> updates, boolean[] applied) {
        List<TaskUpdate> selected = new ArrayList<>();
        for (int i = 0; i < applied.length; i++) {
            if (applied[i]) {
                selected.add(updates.get(i));
            }
        }
        return selected;
    }

    /** Ends or requeues tasks; returns the counter deltas of the tasks that ended. */
    private Map<StepKey, Counters> applyEnded(Connection c, List<TaskUpdate> ended,
                                              Map<AttemptKey, TaskUpdate> mergeable, long now) throws SQLException {
        ended.sort(Comparator.comparingLong(TaskUpdate::taskId));
        List<TaskUpdate> finals = new ArrayList<>();
        List<TaskUpdate> finalsRunning = new ArrayList<>();
        List<TaskUpdate> retries = new ArrayList<>();
        for (TaskUpdate u : ended) {
            if (isRetry(u)) {
                retries.add(u);
            } else {
                finals.add(u);
                finalsRunning.add(mergeable.isEmpty() ? null : mergeable.get(new AttemptKey(u.taskId(), u.attempt())));
            }
        }
        List<String> statuses = new ArrayList<>(finals.size());
        for (TaskUpdate u : finals) {
            statuses.add(taskStatus(u.outcome()).name());
        }
        StepKey[] steps = finals.isEmpty() ? new StepKey[0] : writer.end(c, finals, finalsRunning, statuses, now);
        List<TaskUpdate> endedAttempts = new ArrayList<>(finals.size() + retries.size());
        List<TaskUpdate> endedRunning = new ArrayList<>(finals.size() + retries.size());
        Map<StepKey, Counters> deltas = new TreeMap<>();
        for (int i = 0; i < steps.length; i++) {
            if (steps[i] != null) {
                TaskUpdate u = finals.get(i);
                endedAttempts.add(u);
                endedRunning.add(finalsRunning.get(i));
                TaskStatus s = taskStatus(u.outcome());
                deltas.computeIfAbsent(steps[i], k -> new Counters())
                        .add(s == TaskStatus.SUCCEEDED, s == TaskStatus.FAILED);
            }
        }
        if (!retries.isEmpty()) {
            for (TaskUpdate u : select(retries, writer.retry(c, retries))) {
                endedAttempts.add(u);
                endedRunning.add(null);
            }
        }
        writer.attemptsEnded(c, endedAttempts, endedRunning, now);
        return deltas;
    }

    private List<Long> applyCounters(DSLContext ctx, Connection c, Map<StepKey, Counters> stepDeltas, long now)
            throws SQLException {
        Map<Long, Counters> runDeltas = new TreeMap<>();
        stepDeltas.forEach((k, d) -> runDeltas.computeIfAbsent(k.runId(), x -> new Counters()).add(d));
        Map<StepKey, Boolean> cascading = new LinkedHashMap<>();
        for (CounterWrites.EndedStep e : counters.steps(jdbc, c, stepDeltas)) {
            if (e.hasDependents()) {
                cascading.put(e.step(), e.succeeded());
            }
        }
        if (!cascading.isEmpty()) {
            cascade.propagate(ctx, c, cascading, now)
                    .forEach((runId, skipped) -> runDeltas.computeIfAbsent(runId, x -> new Counters()).add(skipped));
        }
        return counters.runs(jdbc, c, runDeltas, now);
    }

    private static TaskStatus taskStatus(AttemptOutcome outcome) {
        return switch (outcome) {
            case SUCCEEDED -> TaskStatus.SUCCEEDED;
            case CANCELLED -> TaskStatus.CANCELLED;
            case FAILED, TIMED_OUT, LOST -> TaskStatus.FAILED;
            case RUNNING -> throw new IllegalArgumentException("outcome RUNNING has not ended");
        };
    }
}
