package dev.orchestrator.jdbc.internal;

import dev.orchestrator.spi.TaskUpdate;
import dev.orchestrator.spi.WakeListener;

import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * When a claim also looks for limited tasks, so that a store whose work is unlimited keeps the
 * fast claim without extra statements. The limited pass runs at a claim when it is due: at once
 * after something that can make limited work claimable (a limited run created here, a remote
 * wake-up, a task ended or handed back here while limited tasks were waiting for capacity, a
 * re-run), at a known retry time, and otherwise at most {@value #PROBE_MILLIS} ms after the last
 * pass, which finds what other processes did without telling. Thread-safe.
 */
final class LimitPacer {

    /** Longest time between two limited passes of a claiming node. */
    static final long PROBE_MILLIS = 1_000;

    /** Epoch milliseconds from which a claim runs the limited pass. */
    private final AtomicLong dueAt = new AtomicLong(0);
    /** Bumped by every signal, so a pass that overlapped one does not push the next pass back. */
    private final AtomicLong signals = new AtomicLong();
    /** Whether the last pass left ready limited tasks unclaimed (waiting for capacity or budget). */
    private volatile boolean waiting;
    /**
     * Whether limited work is in play: the last pass found some ready, or a limited run was
     * announced since. Only then do retries and other nodes' wake-ups bring the next pass forward.
     */
    private volatile boolean seen;

    /** Whether a claim at {@code now} runs the limited pass. */
    boolean due(long now) {
        return now >= dueAt.get();
    }

    /** Marks the start of a pass; give the result to {@link #passed}. */
    long startPass() {
        return signals.get();
    }

    /**
     * Records a pass begun at {@link #startPass()} = {@code signal}: whether it found ready limited
     * tasks, and whether it claimed some (then there may be more: the next claim looks again).
     */
    void passed(long signal, long now, boolean found, boolean claimed) {
        waiting = found;
        seen = found;
        dueAt.set(claimed ? now : now + PROBE_MILLIS);
        if (signals.get() != signal) {
            dueAt.set(0); // a signal came during the pass: what it announced may not have been seen
        }
    }

    /** Limited work may be claimable now: the next claim looks. */
    void readyNow() {
        signals.incrementAndGet();
        dueAt.set(0);
    }

    /** A limited run was created, here or on another node: the next claim looks, and so do later wake-ups. */
    void limitedWork() {
        seen = true;
        readyNow();
    }

    /** Work may become ready at {@code at} (a retry, a remote wake-up); looked for then if limits are in use. */
    void readyAt(long at) {
        if (seen) {
            signals.incrementAndGet();
            dueAt.accumulateAndGet(at, Math::min);
        }
    }

    /** A task ended or was handed back: if limited tasks were waiting for capacity, look at once. */
    void capacityFreed() {
        if (waiting) {
            readyNow();
        }
    }

    /** What a written batch may have made claimable: capacity freed by an end or a hand-back, and retries. */
    void written(List<TaskUpdate> batch) {
        for (TaskUpdate u : batch) {
            if (u.kind() == TaskUpdate.Kind.ENDED || u.kind() == TaskUpdate.Kind.RELEASED) {
                capacityFreed();
                if (u.retryAt() != null) {
                    readyAt(u.retryAt().toEpochMilli());
                }
            }
        }
    }

    /** {@code listener}, with what another node announces also bringing the limited pass forward. */
    WakeListener pacing(WakeListener listener) {
        return new Pacing(listener);
    }

    /** A wake-up listener that tells this pacer first. */
    private final class Pacing implements WakeListener, PgWakeListener.LimitsHeard {
        private final WakeListener listener;

        Pacing(WakeListener listener) {
            this.listener = listener;
        }

        @Override
        public void limitsReady(boolean announced) {
            if (announced) {
                limitedWork();
            } else {
                readyNow();
            }
        }

        @Override
        public void wake(Instant readyAt) {
            readyAt(readyAt == null ? 0 : readyAt.toEpochMilli()); // only while limited work is in play
            listener.wake(readyAt);
        }

        @Override
        public void schedulesChanged() {
            listener.schedulesChanged();
        }

        @Override
        public void cancelRequested() {
            listener.cancelRequested();
        }
    }
}
