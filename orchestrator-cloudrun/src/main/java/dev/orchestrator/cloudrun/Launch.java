package dev.orchestrator.cloudrun;

import dev.orchestrator.spi.Dispatch;
import dev.orchestrator.spi.TaskContext;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** A group of attempts started as one execution, from its hand-over until its execution is followed. */
final class Launch {
    final JobOptions job;
    /** The attempts, sorted by task index, contiguous. */
    final List<Dispatch> members;
    /** The orchestrator index of Cloud Run task 0. */
    final int offset;
    /** Its identity (see {@link LaunchKey}). */
    final LaunchKey key;
    /**
     * Put into the execution's environment, to find it after an ambiguous RunJob error or at a
     * take-over; and stored with each attempt as its executor state, to adopt it.
     */
    final String launchId;
    volatile String executionName;
    /** Set after a RunJob error that may have started an execution anyway. */
    volatile boolean ambiguous;
    /** Set once every member was cancelled before the execution started: it must not start. */
    volatile boolean cancelled;
    private final Set<Integer> detached = new HashSet<>();
    private Tracker tracker;

    Launch(JobOptions job, List<Dispatch> members) {
        this.job = job;
        this.members = members;
        this.offset = members.get(0).task().taskIndex();
        this.key = LaunchKey.of(members.get(0).task(), members.size());
        this.launchId = key.toString();
    }

    /**
     * Detaches {@code task} if the execution has not been handed to a tracker yet; returns its
     * attempt, or null if it is no member or the tracker has it now.
     */
    synchronized Dispatch detachBeforeStart(TaskContext task) {
        if (tracker != null) {
            return null;
        }
        for (Dispatch d : members) {
            if (d.task().taskIndex() == task.taskIndex() && d.task().attempt() == task.attempt()
                    && detached.add(task.taskIndex())) {
                if (detached.size() == members.size()) {
                    cancelled = true;
                }
                return d;
            }
        }
        return null;
    }

    /** Hands the members not detached to {@code t}; later cancels go to it. */
    synchronized void handOver(Tracker t) {
        tracker = t;
        for (Dispatch d : members) {
            if (!detached.contains(d.task().taskIndex())) {
                t.add(d);
            }
        }
    }

    /** The members not detached. */
    synchronized List<Dispatch> attached() {
        return members.stream().filter(d -> !detached.contains(d.task().taskIndex())).toList();
    }
}
