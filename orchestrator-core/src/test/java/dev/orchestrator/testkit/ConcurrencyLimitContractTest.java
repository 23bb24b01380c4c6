package dev.orchestrator.testkit;

import dev.orchestrator.AttemptInfo;
import dev.orchestrator.AttemptOutcome;
import dev.orchestrator.ConcurrencyLimitException;
import dev.orchestrator.ConcurrencyPolicy;
import dev.orchestrator.Orchestrator;
import dev.orchestrator.OrchestratorBuilder;
import dev.orchestrator.RunHandle;
import dev.orchestrator.RunInfo;
import dev.orchestrator.RunQuery;
import dev.orchestrator.RunStatus;
import dev.orchestrator.StepSpec;
import dev.orchestrator.TaskInfo;
import dev.orchestrator.WorkflowSpec;
import dev.orchestrator.spi.ClaimedTask;
import dev.orchestrator.spi.NewRun;
import dev.orchestrator.spi.NewStep;
import dev.orchestrator.spi.Store;
import dev.orchestrator.spi.TaskUpdate;
import dev.orchestrator.spi.WorkflowRow;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@code maxConcurrentTasks} and {@code maxConcurrentRuns} over a real store, judged by the start
 * and end times the task processes record themselves. Subclasses in {@code orchestrator-jdbc} run
 * it on SQLite (one node) and on PostgreSQL (two nodes, each with its own connection pool).
 */
public abstract class ConcurrencyLimitContractTest {

    private static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");

    /** A fresh, empty store only this test sees. */
    protected abstract Store newStore() throws Exception;

    /** Whether the store serves several nodes: then the tests run two, the second on {@link #secondNodeStore()}. */
    protected boolean twoNodes() {
        return false;
    }

    /** A second store on the same database as the last {@link #newStore()}, for a second node. */
    protected Store secondNodeStore() throws Exception {
        throw new UnsupportedOperationException("single-node store");
    }

    @TempDir
    protected Path dir;
    protected Store store;
    private final List<Orchestrator> opened = new ArrayList<>();
    private final List<Store> stores = new ArrayList<>();

    @BeforeEach
    void openStore() throws Exception {
        store = newStore();
    }

    @AfterEach
    void closeAll() {
        opened.forEach(Orchestrator::close);
        stores.forEach(Store::close);
        store.close();
    }

    private Orchestrator node(Store s, int slots) {
        OrchestratorBuilder b = Orchestrator.builder().store(s).maxConcurrency(slots)
                .executorConfig("process", Map.of("logDirectory", dir.resolve("logs").toString()))
                .pollInterval(Duration.ofMillis(200)).shutdownTimeout(Duration.ofSeconds(10));
        Orchestrator o = b.build();
        opened.add(o);
        o.start();
        return o;
    }

    /** One node, or two when the store has a second node: the second on a store of its own. */
    private List<Orchestrator> nodes(int slots) throws Exception {
        List<Orchestrator> nodes = new ArrayList<>();
        nodes.add(node(store, slots));
        if (twoNodes()) {
            Store second = secondNodeStore();
            stores.add(second);
            nodes.add(node(second, slots));
        }
        return nodes;
    }

    /** A process that records its start and end, in nanoseconds, in a file of its own per attempt. */
    private StepSpec.Builder recorded(String step, Path out, String seconds) {
        String file = out + "/$ORCHESTRATOR_RUN_ID-" + step + "-$ORCHESTRATOR_TASK_INDEX-$ORCHESTRATOR_ATTEMPT";
        return StepSpec.process(step, "/bin/sh", "-c", "echo start $(date +%s%N) > " + file + "; sleep " + seconds
                + "; echo end $(date +%s%N) >> " + file);
    }

    /** An interval a process recorded: the file's name, start and end in nanoseconds. */
    record Interval(String name, long start, long end) {
    }

    private static List<Interval> intervals(Path out) throws IOException {
        List<Interval> all = new ArrayList<>();
        try (Stream<Path> files = Files.list(out)) {
            for (Path f : files.toList()) {
                List<String> lines = Files.readAllLines(f);
                assertThat(lines).as(f.getFileName().toString()).hasSize(2);
                all.add(new Interval(f.getFileName().toString(), Long.parseLong(lines.get(0).substring(6)),
                        Long.parseLong(lines.get(1).substring(4))));
            }
        }
        return all;
    }

    /** The most intervals open at one moment. */
    private static int maxOverlap(List<Interval> intervals) {
        TreeMap<Long, Integer> events = new TreeMap<>();
        for (Interval i : intervals) {
            events.merge(i.start(), 1, Integer::sum);
            events.merge(i.end(), -1, Integer::sum);
        }
        int open = 0;
        int max = 0;
        for (int delta : events.values()) { // an end and a start at the same nanosecond: the end counts first
            open += delta;
            max = Math.max(max, open);
        }
        return max;
    }

    @Test
    void aStepLimitOfThreeHoldsOverThirtyProcessTasksOnEveryNode() throws Exception {
        // Two slots a node: with two nodes, three at once needs both.
        List<Orchestrator> nodes = nodes(twoNodes() ? 2 : 10);
        Orchestrator o = nodes.getFirst();
        Path out = Files.createDirectories(dir.resolve("limited"));
        o.register(WorkflowSpec.of("limited", recorded("call", out, "0.3").tasks(30).maxConcurrentTasks(3)));

        RunInfo done = o.trigger("limited").await(Duration.ofSeconds(180));

        assertThat(done.status()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(done.succeeded()).isEqualTo(30);
        List<Interval> runs = intervals(out);
        assertThat(runs).hasSize(30);
        int overlap = maxOverlap(runs);
        Map<String, Integer> perNode = new TreeMap<>();
        for (TaskInfo t : o.tasks(done.id())) {
            for (AttemptInfo a : o.attempts(t.id())) {
                perNode.merge(a.node(), 1, Integer::sum);
            }
        }
        System.out.printf("[limits] maxConcurrentTasks(3), 30 tasks, %d node(s): at most %d ran at once; attempts per node %s%n",
                nodes.size(), overlap, perNode.values());
        assertThat(overlap).as("tasks running at once, from their own times").isLessThanOrEqualTo(3)
                .as("the limit was reached, not run one by one").isGreaterThanOrEqualTo(2);
        assertThat(perNode).as("every node claimed some").hasSize(nodes.size());
    }

    @Test
    void queuedRunsWaitForARunningOneToEndAndAllSucceed() throws Exception {
        List<Orchestrator> nodes = nodes(10);
        Orchestrator o = nodes.getFirst();
        Path out = Files.createDirectories(dir.resolve("runs"));
        o.register(WorkflowSpec.builder("nightly")
                .step(recorded("a", out, "0.3").tasks(2))
                .step(recorded("b", out, "0.3").dependsOn("a"))
                .maxConcurrentRuns(2).build());

        List<RunHandle> runs = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            runs.add(o.trigger("nightly"));
        }
        for (RunHandle r : runs) {
            RunInfo done = r.await(Duration.ofSeconds(180));
            assertThat(done.status()).as("run " + r.id()).isEqualTo(RunStatus.SUCCEEDED);
            assertThat(done.succeeded()).isEqualTo(3);
        }
        // A run is busy from its first task's start to its last task's end, between steps too.
        Map<String, long[]> spans = new HashMap<>();
        for (Interval i : intervals(out)) {
            String run = i.name().substring(0, i.name().indexOf('-'));
            spans.merge(run, new long[]{i.start(), i.end()},
                    (x, y) -> new long[]{Math.min(x[0], y[0]), Math.max(x[1], y[1])});
        }
        assertThat(spans).hasSize(6);
        int overlap = maxOverlap(spans.entrySet().stream()
                .map(e -> new Interval(e.getKey(), e.getValue()[0], e.getValue()[1])).toList());
        System.out.printf("[limits] maxConcurrentRuns(2), 6 runs, %d node(s): at most %d runs busy at once%n",
                nodes.size(), overlap);
        assertThat(overlap).as("runs busy at once, from their tasks' own times").isLessThanOrEqualTo(2)
                .as("two ran together").isEqualTo(2);
    }

    @Test
    void withRefuseTheThirdTriggerThrowsAndWritesNoRun() throws Exception {
        Orchestrator o = nodes(4).getFirst();
        Path release = dir.resolve("release");
        o.register(WorkflowSpec.builder("export")
                .step(StepSpec.process("s", "/bin/sh", "-c", "while [ ! -e " + release + " ]; do sleep 0.05; done"))
                .maxConcurrentRuns(2, ConcurrencyPolicy.REFUSE).build());
        RunHandle first = o.trigger("export");
        RunHandle second = o.trigger("export");

        assertThatThrownBy(() -> o.trigger("export")).isInstanceOf(ConcurrencyLimitException.class)
                .hasMessageContaining("workflow 'export' already has 2 runs that have not ended")
                .hasMessageContaining("REFUSE")
                .satisfies(e -> assertThat(((ConcurrencyLimitException) e).limit()).isEqualTo(2));
        assertThat(o.runs(RunQuery.builder().workflow("export").build()).runs()).extracting(RunInfo::id)
                .containsExactlyInAnyOrder(first.id(), second.id());

        Files.writeString(release, "");
        assertThat(first.await(Duration.ofSeconds(60)).status()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(second.await(Duration.ofSeconds(60)).status()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(o.trigger("export").await(Duration.ofSeconds(60)).status()).as("room again")
                .isEqualTo(RunStatus.SUCCEEDED);
    }

    @Test
    void aLimitBelowOneIsRefusedNamingTheFieldAndNothingIsWritten() throws Exception {
        Orchestrator o = nodes(4).getFirst();
        assertThatThrownBy(() -> o.register(WorkflowSpec.of("bad", StepSpec.process("s", "/bin/true").maxConcurrentTasks(0))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("maxConcurrentTasks must be at least 1, got 0 (step 's')");
        assertThatThrownBy(() -> o.register(WorkflowSpec.builder("bad").step(StepSpec.process("s", "/bin/true"))
                .maxConcurrentRuns(-1).build()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("maxConcurrentRuns must be at least 1, got -1 (workflow 'bad')");
        assertThatThrownBy(() -> o.register(new WorkflowSpec("bad", List.of(new StepSpec("s", "process",
                dev.orchestrator.JobSpec.command("/bin/true"), 1, null, null, null, List.of(), 3, -2)))))
                .hasMessage("maxConcurrentTasks must be at least 1, got -2 (step 's')");
        assertThat(o.workflow("bad")).isEmpty();
        assertThat(o.workflows()).isEmpty();
    }

    @Test
    void theStoreClaimsWithinAStepLimitAcrossRunsAndAgainWhenATaskEnds() {
        WorkflowRow wf = store.saveWorkflow("w", "{}", T0);
        for (int i = 0; i < 2; i++) {
            store.createRun(new NewRun(wf.versionId(), "test", Map.of(), null,
                    List.of(new NewStep("call", 5, List.of(), null, 3), new NewStep("free", 4, List.of()))), T0);
        }
        List<ClaimedTask> first = store.claimReady("n1", 100, T0);
        assertThat(first.stream().filter(c -> c.stepIndex() == 0)).as("limited tasks, across both runs").hasSize(3);
        assertThat(first.stream().filter(c -> c.stepIndex() == 1)).as("unlimited ones").hasSize(8);
        assertThat(store.claimReady("n2", 100, T0)).as("nothing left within the limit").isEmpty();

        ClaimedTask one = first.stream().filter(c -> c.stepIndex() == 0).findFirst().orElseThrow();
        store.applyUpdates(List.of(TaskUpdate.ended(one.taskId(), one.attempt(), AttemptOutcome.SUCCEEDED, 0, null,
                null, null)), T0);
        assertThat(store.claimReady("n2", 100, T0)).as("one ended, one more").singleElement()
                .satisfies(c -> assertThat(c.stepIndex()).isZero());
    }

    @Test
    void theStoreClaimsNoTaskOfAQueuedRunUntilARunningRunEnds() {
        WorkflowRow wf = store.saveWorkflow("w", "{}", T0);
        List<Long> runs = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            runs.add(store.createRun(new NewRun(wf.versionId(), "test", Map.of(), null,
                    List.of(new NewStep("s", 2, List.of())), 1, ConcurrencyPolicy.QUEUE), T0).run().id());
        }
        List<ClaimedTask> first = store.claimReady("n1", 100, T0);
        assertThat(first).extracting(ClaimedTask::runId).containsOnly(runs.get(0)).hasSize(2);
        assertThat(store.findRun(runs.get(1)).orElseThrow().status()).isEqualTo(RunStatus.PENDING);

        List<TaskUpdate> ends = first.stream().map(c -> TaskUpdate.ended(c.taskId(), c.attempt(),
                AttemptOutcome.SUCCEEDED, 0, null, null, null)).toList();
        assertThat(store.applyUpdates(ends, T0)).containsExactly(runs.get(0));
        assertThat(store.claimReady("n1", 100, T0)).extracting(ClaimedTask::runId)
                .as("the oldest queued run starts").containsOnly(runs.get(1)).hasSize(2);
    }

    @Test
    void theStoreRefusesARunOverARefuseLimitAndWritesNothing() {
        WorkflowRow wf = store.saveWorkflow("w", "{}", T0);
        NewRun run = new NewRun(wf.versionId(), "test", Map.of(), null, List.of(new NewStep("s", 1, List.of())),
                1, ConcurrencyPolicy.REFUSE);
        store.createRun(run, T0);
        assertThatThrownBy(() -> store.createRun(run, T0)).isInstanceOf(ConcurrencyLimitException.class)
                .hasMessageContaining("workflow 'w' already has 1 runs");
        assertThat(store.listRuns(new dev.orchestrator.spi.RunFilter(null, null, null, null, null, null, 100)))
                .hasSize(1);
    }
}
