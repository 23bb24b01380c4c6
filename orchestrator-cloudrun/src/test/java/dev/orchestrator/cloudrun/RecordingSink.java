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

    @Override
    public void report(StatusUpdate update) {
        updates.add(update);
        switch (update.kind()) {
            case RUNNING -> running.countDown();
            case SUCCEEDED, FAILED -> ended.countDown();
            default -> {
            }
        }
    }

    boolean awaitRunning(Duration timeout) throws InterruptedException {
        return running.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    boolean awaitEnd(Duration timeout) throws InterruptedException {
        return ended.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** The last SUCCEEDED or FAILED update, or null. */
    StatusUpdate end() {
        for (int i = updates.size() - 1; i >= 0; i--) {
            var u = updates.get(i);
            if (u.kind() == StatusUpdate.Kind.SUCCEEDED || u.kind() == StatusUpdate.Kind.FAILED) {
                return u;
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
