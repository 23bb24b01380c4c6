package dev.orchestrator.bench.jmh;

import dev.orchestrator.AttemptOutcome;
import dev.orchestrator.bench.BenchDatabase;
import dev.orchestrator.jdbc.JdbcStore;
import dev.orchestrator.jdbc.JdbcStoreOptions;
import dev.orchestrator.spi.ClaimedTask;
import dev.orchestrator.spi.NewRun;
import dev.orchestrator.spi.NewStep;
import dev.orchestrator.spi.TaskUpdate;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The store's hot statements, each on a fresh database per fork, on SQLite and PostgreSQL:
 * claim a batch, apply a batch of status updates (each ends its attempt with success), create a
 * run of N tasks. Scores are milliseconds per call; divide by the batch or task count for the
 * cost per task. Tasks a call needs are made in a per-invocation set-up that is not timed.
 *
 * <pre>java -jar orchestrator-bench/target/benchmarks.jar StoreBenchmarks -p store=sqlite</pre>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn"})
public class StoreBenchmarks {

    /** A fresh database and store, with one workflow version to run. */
    @State(Scope.Benchmark)
    public static class Db {
        /** {@code sqlite} or {@code postgres}. */
        @Param({"sqlite", "postgres"})
        public String store;

        BenchDatabase db;
        JdbcStore s;
        long versionId;

        @Setup(Level.Trial)
        public void open() {
            db = BenchDatabase.fresh(store, "jmh");
            s = JdbcStore.open(db.url(), db.postgres()
                    ? JdbcStoreOptions.builder().schema(db.schema()).build() : JdbcStoreOptions.defaults());
            versionId = s.saveWorkflow("bench", "{}", Instant.now()).versionId();
        }

        @TearDown(Level.Trial)
        public void close() {
            s.close();
            db.close();
        }

        NewRun run(int tasks) {
            return new NewRun(versionId, "manual", Map.of(), null, List.of(new NewStep("work", tasks, List.of())));
        }
    }

    /** {@code batch} pending tasks made before each claim. */
    @State(Scope.Thread)
    public static class ClaimBatch {
        /** Tasks per claim. */
        @Param({"64", "512", "2048"})
        public int batch;

        @Setup(Level.Invocation)
        public void makeReady(Db db) {
            db.s.createRun(db.run(batch), Instant.now().minusMillis(1));
        }
    }

    /** {@code batch} claimed tasks and one success update for each, made before each apply. */
    @State(Scope.Thread)
    public static class UpdateBatch {
        /** Updates per call. */
        @Param({"64", "512", "2048"})
        public int batch;

        List<TaskUpdate> updates;

        @Setup(Level.Invocation)
        public void claim(Db db) {
            Instant now = Instant.now().minusMillis(1);
            db.s.createRun(db.run(batch), now);
            List<ClaimedTask> claimed = db.s.claimReady("bench-node", batch, now);
            updates = new ArrayList<>(claimed.size());
            for (ClaimedTask c : claimed) {
                updates.add(TaskUpdate.ended(c.taskId(), c.attempt(), AttemptOutcome.SUCCEEDED, 0, null, null, null));
            }
        }
    }

    /** Run size for {@link #createRun}. */
    @State(Scope.Thread)
    public static class RunSize {
        /** Tasks per run. */
        @Param({"1", "100", "10000"})
        public int tasks;
    }

    /** One claim statement of {@code batch} ready tasks (with their attempt rows). */
    @Benchmark
    public List<ClaimedTask> claimReady(Db db, ClaimBatch b) {
        return db.s.claimReady("bench-node", b.batch, Instant.now());
    }

    /** One transaction applying {@code batch} attempt ends (tasks, attempts, counters, run end). */
    @Benchmark
    public List<Long> applyUpdates(Db db, UpdateBatch b) {
        return db.s.applyUpdates(b.updates, Instant.now());
    }

    /** One run of {@code tasks} tasks created (run, step rows, batched task insert). */
    @Benchmark
    public Object createRun(Db db, RunSize r) {
        return db.s.createRun(db.run(r.tasks), Instant.now());
    }
}
