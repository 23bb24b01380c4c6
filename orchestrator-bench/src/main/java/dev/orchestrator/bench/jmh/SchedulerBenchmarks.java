package dev.orchestrator.bench.jmh;

import dev.orchestrator.Orchestrator;
import dev.orchestrator.RunInfo;
import dev.orchestrator.StepSpec;
import dev.orchestrator.WorkflowSpec;
import dev.orchestrator.bench.InMemoryStore;
import dev.orchestrator.bench.NoopExecutor;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The scheduler's own work per task, without a database: an orchestrator over
 * {@link InMemoryStore} (a few hash-map operations per task) running no-op tasks. Covers
 * trigger, claim, building each task's context, dispatch on virtual threads, the status queue,
 * batching updates and waking the run's waiter.
 *
 * <pre>java -jar orchestrator-bench/target/benchmarks.jar SchedulerBenchmarks</pre>
 */
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn")
public class SchedulerBenchmarks {

    /** Tasks of the run in {@link #perTask}. */
    public static final int RUN_TASKS = 10_000;

    /**
     * A started orchestrator over an in-memory store. Its poll interval defaults to the
     * builder's 5 s; {@link #perTask} lowers it to 10 ms with {@code -p pollMillis=10} so that a
     * wake-up lost between runs (see {@link #singleTaskRun}) costs 10 ms, not 5 s, and the score
     * is the scheduler's work.
     */
    @State(Scope.Benchmark)
    public static class InMemory {
        /** Claim batch size; the orchestrator's concurrency is twice this. */
        @Param({"64", "512", "2048"})
        public int batch;

        /** The poll interval, the safety net for lost wake-ups. */
        @Param({"5000"})
        public int pollMillis;

        InMemoryStore store;
        Orchestrator orchestrator;

        @Setup(Level.Trial)
        public void start() {
            store = new InMemoryStore();
            orchestrator = Orchestrator.builder().store(store).executor(new NoopExecutor()).batchSize(batch)
                    .maxConcurrency(batch * 2).pollInterval(Duration.ofMillis(pollMillis)).build();
            orchestrator.start();
            orchestrator.register(WorkflowSpec.of("many", StepSpec.builder("work", NoopExecutor.TYPE).tasks(RUN_TASKS)));
            orchestrator.register(WorkflowSpec.of("one", StepSpec.builder("work", NoopExecutor.TYPE).tasks(1)));
        }

        @TearDown(Level.Iteration)
        public void forget() {
            store.forgetEndedRuns();
        }

        @TearDown(Level.Trial)
        public void stop() {
            orchestrator.close();
        }
    }

    /** A run of {@value #RUN_TASKS} no-op tasks, trigger to end; the score is per task. */
    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    @OperationsPerInvocation(RUN_TASKS)
    public RunInfo perTask(InMemory s) throws Exception {
        return s.orchestrator.trigger("many").await(Duration.ofMinutes(1));
    }

    /**
     * A one-task run, trigger to the host's await returning: the scheduler's wake-up latency.
     * Back-to-back triggers expose lost wake-ups as samples of one poll interval.
     */
    @Benchmark
    @BenchmarkMode(Mode.SampleTime)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public RunInfo singleTaskRun(InMemory s) throws Exception {
        return s.orchestrator.trigger("one").await(Duration.ofMinutes(1));
    }
}
