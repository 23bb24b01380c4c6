package dev.orchestrator.cloudrun;

import dev.orchestrator.spi.Dispatch;

import java.util.List;

/** A group of attempts started as one execution, from its hand-over until its execution is followed. */
final class Launch {
    final JobOptions job;
    /** The attempts, sorted by task index, contiguous. */
    final List<Dispatch> members;
    /** The orchestrator index of Cloud Run task 0. */
    final int offset;
    volatile String executionName;
    volatile boolean cancelled;

    Launch(JobOptions job, List<Dispatch> members) {
        this.job = job;
        this.members = members;
        this.offset = members.get(0).task().taskIndex();
    }
}
