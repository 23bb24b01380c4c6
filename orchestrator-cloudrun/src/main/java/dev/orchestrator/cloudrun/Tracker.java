package dev.orchestrator.cloudrun;

import dev.orchestrator.spi.Dispatch;
import dev.orchestrator.spi.TaskContext;

import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One execution being followed, with the attempts that wait for its outcome. The member map is
 * guarded by {@code this}; the poll state is touched by one poll at a time.
 */
final class Tracker {
    final String name;
    /** Orchestrator index of Cloud Run task 0, or -1 until read from the execution. */
    volatile int offset;
    final AtomicBoolean cancelRequested = new AtomicBoolean();
    private final Map<Integer, Dispatch> members = new HashMap<>();
    private final Set<Integer> detached = new HashSet<>();
    private boolean finished;

    // Poll state: one poll at a time.
    Duration delay;
    long progress = -1;
    int completedPolls;
    long lastHeartbeat = System.nanoTime();
    /** When polls started failing ({@link System#nanoTime()}), or 0. */
    long failingSince;
    /** Ended count and detached count at the last check for only detached tasks running, or -1. */
    long lastDetachCheck = -1;
    /** Whether a poll has read the execution. */
    boolean seen;
    /** Started count (running and ended tasks) at the last listing for starts, or -1. */
    int lastStartedCount = -1;
    /** Members still waiting for their start after that listing, or -1. */
    int lastWaiting = -1;
    /** Succeeded count at the last listing for early successes. */
    int lastSucceeded;
    /** Whether a member has a deadline: its success is then reported as soon as a listing shows it. */
    volatile boolean timed;
    /** Orchestrator indexes of members told that their task started. */
    private final Set<Integer> startReported = new HashSet<>();
    /** Whether the execution was adopted (started elsewhere). */
    volatile boolean adopted;

    Tracker(String name, int offset, Duration firstDelay) {
        this.name = name;
        this.offset = offset;
        this.delay = firstDelay;
    }

    /** Adds an attempt; false if the tracker has already finished. */
    synchronized boolean add(Dispatch d) {
        if (finished) {
            return false;
        }
        members.put(d.task().taskIndex(), d);
        startReported.remove(d.task().taskIndex());
        if (d.task().deadline() != null) {
            timed = true;
        }
        return true;
    }

    /**
     * Removes the attempt of {@code task} (matching index and attempt number) so its result is
     * ignored; returns it, or null if it is not a member.
     */
    synchronized Dispatch detach(TaskContext task) {
        Dispatch d = members.get(task.taskIndex());
        if (d == null || d.task().attempt() != task.attempt()) {
            return null;
        }
        members.remove(task.taskIndex());
        detached.add(task.taskIndex() - offset);
        return d;
    }

    /** The members not yet told that their task started. */
    synchronized List<Dispatch> notStarted() {
        return members.values().stream().filter(d -> !startReported.contains(d.task().taskIndex())).toList();
    }

    /** Records that {@code d} was told its task started; false if it was already. */
    synchronized boolean markStarted(Dispatch d) {
        return members.get(d.task().taskIndex()) == d && startReported.add(d.task().taskIndex());
    }

    /** Removes {@code d}, whose outcome is reported before the execution ends; false if it is no member. */
    synchronized boolean endEarly(Dispatch d) {
        return members.remove(d.task().taskIndex(), d);
    }

    /** Whether no attempt waits for this execution any more. */
    synchronized boolean empty() {
        return members.isEmpty();
    }

    /** Cloud Run indexes of detached attempts, whose tasks may still run. */
    synchronized Set<Integer> detached() {
        return Set.copyOf(detached);
    }

    synchronized List<Dispatch> snapshot() {
        return List.copyOf(members.values());
    }

    /** Marks the tracker finished and returns its attempts. */
    synchronized Map<Integer, Dispatch> finish() {
        finished = true;
        var copy = new HashMap<>(members);
        members.clear();
        return copy;
    }
}
