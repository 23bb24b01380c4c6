package dev.orchestrator.bench;

import dev.orchestrator.Orchestrator;
import dev.orchestrator.OrchestratorBuilder;
import dev.orchestrator.RunInfo;
import dev.orchestrator.RunStatus;
import dev.orchestrator.jdbc.JdbcStore;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/** What the load harness's workloads (one class each, e.g. {@link NoopWorkload}) share: sizes, builder, log, checks. */
final class Workloads {

    static final int NOOP_MAX_CONCURRENCY = 1024;
    static final int BATCH = 512;
    /** The poll interval to use, from {@code -Dbench.pollMillis} (bench.sh: BENCH_POLL_MS), or the builder's default. */
    static final String POLL_MILLIS = System.getProperty("bench.pollMillis");

    private Workloads() {
    }

    static OrchestratorBuilder builder(JdbcStore store) {
        OrchestratorBuilder b = Orchestrator.builder().store(store).shutdownTimeout(Duration.ofSeconds(10));
        if (POLL_MILLIS != null) {
            b.pollInterval(Duration.ofMillis(Long.parseLong(POLL_MILLIS)));
        }
        return b;
    }

    static void log(String fmt, Object... args) {
        System.err.printf("  .. " + fmt + "%n", args);
    }

    static void check(RunInfo info, int tasks) {
        if (info.status() != RunStatus.SUCCEEDED || info.succeeded() != tasks) {
            throw new IllegalStateException("run " + info.id() + " ended " + info.status() + " with " + info.succeeded()
                    + " of " + tasks + " tasks succeeded");
        }
    }

    static void deleteTree(Path dir) {
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // best effort
        }
    }
}
