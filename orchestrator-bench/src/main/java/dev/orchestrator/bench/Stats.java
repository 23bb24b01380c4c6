package dev.orchestrator.bench;

import java.util.Arrays;
import java.util.Collection;

/** Percentiles of latency samples in nanoseconds, reported in milliseconds. */
final class Stats {

    private final long[] sorted;

    Stats(Collection<Long> nanos) {
        sorted = nanos.stream().mapToLong(Long::longValue).sorted().toArray();
    }

    Stats(long[] nanos) {
        sorted = Arrays.copyOf(nanos, nanos.length);
        Arrays.sort(sorted);
    }

    int count() {
        return sorted.length;
    }

    /** The {@code p}th percentile (nearest rank) in ms, or {@code null} with no samples. */
    Double percentileMs(double p) {
        if (sorted.length == 0) {
            return null;
        }
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))] / 1e6;
    }

    Double maxMs() {
        return sorted.length == 0 ? null : sorted[sorted.length - 1] / 1e6;
    }

    Double meanMs() {
        return sorted.length == 0 ? null : Arrays.stream(sorted).average().orElse(0) / 1e6;
    }
}
