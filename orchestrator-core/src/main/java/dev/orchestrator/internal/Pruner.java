package dev.orchestrator.internal;

import dev.orchestrator.process.ProcessExecutor;
import dev.orchestrator.spi.Store;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Retention: deletes ended runs older than the builder's retention, with their log files, in
 * batches of {@value #BATCH} on a thread of its own (never the scheduler's), at start and then
 * every minute.
 */
final class Pruner implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Pruner.class);
    static final int BATCH = 200;
    private static final Duration INTERVAL = Duration.ofMinutes(1);

    private final Store store;
    private final ExecutorRegistry executors;
    private final Duration retention;
    private final Clock clock;
    private final ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "orchestrator-retention");
        t.setDaemon(true);
        return t;
    });

    Pruner(Store store, ExecutorRegistry executors, Duration retention, Clock clock) {
        this.store = store;
        this.executors = executors;
        this.retention = retention;
        this.clock = clock;
    }

    void start() {
        thread.scheduleWithFixedDelay(this::pass, 0, INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Deletes every run that ended before now less the retention, a batch at a time; returns how many. */
    int pass() {
        Instant cutoff = clock.instant().minus(retention);
        int total = 0;
        try {
            List<Long> pruned;
            do {
                pruned = store.pruneRuns(cutoff, BATCH);
                if (!pruned.isEmpty()) {
                    List<Long> ids = pruned;
                    ensureProcessExecutor();
                    executors.forEach(e -> e.forgetRuns(ids));
                    total += ids.size();
                }
            } while (pruned.size() == BATCH && !thread.isShutdown());
        } catch (RuntimeException e) {
            log.warn("retention pass failed; trying again in {}: {}", INTERVAL, e.toString());
        }
        if (total > 0) {
            log.info("retention: deleted {} runs that ended before {}", total, cutoff);
        }
        return total;
    }

    /** The process executor keeps logs on this machine even when this node has not run a task yet. */
    private void ensureProcessExecutor() {
        try {
            executors.get(ProcessExecutor.TYPE);
        } catch (RuntimeException e) {
            log.debug("no process executor to delete logs with: {}", e.toString());
        }
    }

    @Override
    public void close() {
        thread.shutdownNow();
    }
}
