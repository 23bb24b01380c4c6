package dev.orchestrator.bench;

import dev.orchestrator.OrchestratorListener;

import java.time.Duration;
import java.util.Arrays;

/**
 * Records the scheduler's claim and write statements (latency and batch size) through the
 * public listener. Called on the scheduler loop thread only; read after the orchestrator closed.
 */
final class Recorder implements OrchestratorListener {

    private long[] claimNanos = new long[1024];
    private long[] writeNanos = new long[1024];
    private int claims;
    private int writes;
    private long claimedTasks;
    private long writtenUpdates;
    private long lastEventNanos;
    private long maxGapNanos;

    /** Longest time with neither a claim nor a write: a lost wake-up shows as one poll interval. */
    private void gap() {
        long now = System.nanoTime();
        if (lastEventNanos != 0) {
            maxGapNanos = Math.max(maxGapNanos, now - lastEventNanos);
        }
        lastEventNanos = now;
    }

    @Override
    public synchronized void claimed(int requested, int claimed, Duration latency) {
        if (claims == claimNanos.length) {
            claimNanos = Arrays.copyOf(claimNanos, claims * 2);
        }
        claimNanos[claims++] = latency.toNanos();
        gap();
        claimedTasks += claimed;
    }

    @Override
    public synchronized void written(int updates, Duration latency, int queueDepth) {
        if (writes == writeNanos.length) {
            writeNanos = Arrays.copyOf(writeNanos, writes * 2);
        }
        writeNanos[writes++] = latency.toNanos();
        gap();
        writtenUpdates += updates;
    }

    synchronized void reset() {
        claims = 0;
        writes = 0;
        claimedTasks = 0;
        writtenUpdates = 0;
        lastEventNanos = 0;
        maxGapNanos = 0;
    }

    /** Adds claim and write figures to {@code extra}. */
    synchronized void report(java.util.Map<String, Object> extra) {
        Stats c = new Stats(Arrays.copyOf(claimNanos, claims));
        Stats w = new Stats(Arrays.copyOf(writeNanos, writes));
        extra.put("claim_statements", claims);
        extra.put("claim_avg_tasks", claims == 0 ? null : (double) claimedTasks / claims);
        extra.put("claim_p50_ms", c.percentileMs(50));
        extra.put("claim_p99_ms", c.percentileMs(99));
        extra.put("write_batches", writes);
        extra.put("write_avg_updates", writes == 0 ? null : (double) writtenUpdates / writes);
        extra.put("write_p50_ms", w.percentileMs(50));
        extra.put("write_p99_ms", w.percentileMs(99));
        extra.put("max_stall_ms", maxGapNanos / 1e6);
    }
}
