package dev.orchestrator.cloudrun;

import dev.orchestrator.spi.StatusSink;
import dev.orchestrator.spi.StatusUpdate;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** Records one attempt's updates; latches on RUNNING and on the end. */
final class RecordingSink implements StatusSink {

    final List<StatusUpdate> updates = new CopyOnWriteArrayList<>();
    private final CountDownLatch running = new CountDownLatch(1);
    private final CountDownLatch ended = new CountDownLatch(1);

    /** When the first STARTED came (wall clock), or null. */
    volatile java.time.Instant startedAt;

    @Override
    public void report(StatusUpdate update) {
        if (update.kind() == StatusUpdate.Kind.STARTED && startedAt == null) {
            startedAt = java.time.Instant.now();
        }
        updates.add(update);
        if (update.kind() == StatusUpdate.Kind.RUNNING) {
            running.countDown();
        } else if (update.ends()) {
            ended.countDown();
        }
    }

    boolean awaitRunning(Duration timeout) throws InterruptedException {
        return running.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    boolean awaitEnd(Duration timeout) throws InterruptedException {
        return ended.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** The last update that ended the attempt (SUCCEEDED, FAILED, LOST or RELEASED), or null. */
    StatusUpdate end() {
        for (int i = updates.size() - 1; i >= 0; i--) {
            var u = updates.get(i);
            if (u.ends()) {
                return u;
            }
        }
        return null;
    }

    /** The executor state reported with RUNNING, or null. */
    String executorState() {
        for (var u : updates) {
            if (u.kind() == StatusUpdate.Kind.RUNNING) {
                return u.executorState();
            }
        }
        return null;
    }

    /** The execution name reported with RUNNING, or null. */
    String executionName() {
        for (var u : updates) {
            if (u.kind() == StatusUpdate.Kind.RUNNING) {
                return u.executionName();
            }
        }
        return null;
    }

    long count(StatusUpdate.Kind kind) {
        return updates.stream().filter(u -> u.kind() == kind).count();
    }
}
