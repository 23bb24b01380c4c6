package dev.orchestrator.jdbc;

import dev.orchestrator.AttemptOutcome;
import dev.orchestrator.spi.ClaimedTask;
import dev.orchestrator.spi.NewRun;
import dev.orchestrator.spi.NewStep;
import dev.orchestrator.spi.Store;
import dev.orchestrator.spi.TaskUpdate;
import dev.orchestrator.spi.WorkflowRow;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Throughput of the scheduler's hot path (claim 512, RUNNING for all, ENDED SUCCEEDED for all),
 * printed only. Not part of the default test run (name ends in Probe); run with
 * {@code mvn -pl orchestrator-jdbc test -Dtest=StoreThroughputProbe -Dsurefire.failIfNoSpecifiedTests=false}.
 * System properties: {@code probe.reps} (default 5), {@code probe.tasks} (default 10000),
 * {@code probe.merged} (also one batch with RUNNING and ENDED together, default true).
 */
class StoreThroughputProbe {

    private static final int TASKS = Integer.getInteger("probe.tasks", 10_000);
    private static final int REPS = Integer.getInteger("probe.reps", 5);
    private static final boolean MERGED = Boolean.parseBoolean(System.getProperty("probe.merged", "true"));

    @TempDir
    Path dir;

    @Test
    void sqlite() {
        int[] n = {0};
        measure("sqlite", () -> JdbcStore.sqlite(dir.resolve("probe-" + (n[0]++) + ".db")));
    }

    @Test
    void postgres() throws Exception {
        PostgresTestDatabase.requireServer();
        String schema = "orch_probe_" + UUID.randomUUID().toString().substring(0, 8);
        try {
            measure("postgres", () -> JdbcStore.open(PostgresTestDatabase.URL,
                    JdbcStoreOptions.builder().schema(schema).build()));
        } finally {
            PostgresTestDatabase.dropSchema(schema);
        }
    }

    private void measure(String name, java.util.function.Supplier<Store> stores) {
        try (Store store = stores.get()) {
            for (boolean merged : MERGED ? new boolean[]{false, true} : new boolean[]{false}) {
                once(store, 2_000, merged); // warm-up
                List<Double> rates = new ArrayList<>();
                for (int rep = 0; rep < REPS; rep++) {
                    rates.add(once(store, TASKS, merged));
                }
                System.out.printf("PROBE %-8s %-9s tasks/s: %s  median %.0f%n", name, merged ? "merged" : "separate",
                        rates.stream().map(r -> String.format("%.0f", r)).toList(),
                        rates.stream().sorted().toList().get(rates.size() / 2));
            }
        }
    }

    private static double once(Store store, int tasks, boolean merged) {
        Instant now = Instant.parse("2026-01-01T00:00:00Z");
        WorkflowRow wf = store.saveWorkflow("probe", "{}", now);
        store.createRun(new NewRun(wf.versionId(), "probe", Map.of(), null,
                List.of(new NewStep("main", tasks, List.of()))), now);
        int done = 0;
        long start = System.nanoTime();
        while (true) {
            List<ClaimedTask> claimed = store.claimReady("node-1", 512, now);
            if (claimed.isEmpty()) {
                break;
            }
            List<TaskUpdate> running = new ArrayList<>(claimed.size());
            List<TaskUpdate> ended = new ArrayList<>(claimed.size());
            for (ClaimedTask t : claimed) {
                running.add(TaskUpdate.running(t.taskId(), t.attempt(), "exec-" + t.taskId(), "ref-" + t.taskId()));
                ended.add(TaskUpdate.ended(t.taskId(), t.attempt(), AttemptOutcome.SUCCEEDED, 0, null, "ok", null));
            }
            if (merged) {
                List<TaskUpdate> both = new ArrayList<>(running);
                both.addAll(ended);
                store.applyUpdates(both, now);
            } else {
                store.applyUpdates(running, now);
                store.applyUpdates(ended, now);
            }
            done += claimed.size();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        if (done != tasks) {
            throw new AssertionError("claimed " + done + " of " + tasks);
        }
        return done / seconds;
    }
}
