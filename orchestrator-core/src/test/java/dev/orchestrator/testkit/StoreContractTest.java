package dev.orchestrator.testkit;

import dev.orchestrator.*;
import dev.orchestrator.spi.*;
import dev.orchestrator.AttemptOutcome;
import dev.orchestrator.RunStatus;
import dev.orchestrator.TaskStatus;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TimeZone;
import java.util.function.Function;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The behaviour every {@link Store} must have, as documented on {@link Store}, {@link TaskUpdate}
 * and the row records. A store implementation's test extends this class and implements
 * {@link #newStore()}.
 *
 * <p>The suite runs with {@code America/New_York} as the JVM's default time zone and uses times
 * around a daylight-saving change, with milliseconds, so stores that lose precision or convert
 * through local time fail.
 */
public abstract class StoreContractTest {

    /** A Sunday 06:59:59.123 UTC: one second before New York springs forward. */
    protected static final Instant T0 = Instant.parse("2026-03-08T06:59:59.123Z");

    /** Text with quotes, semicolons, backslashes, SQL comment markers and non-ASCII characters. */
    protected static final String NASTY = "it's \"quoted\"; DROP TABLE runs; -- \\ % _ ? $1 :x Grüße 日本語 😀";

    private static TimeZone previousZone;

    /** The store under test; new for each test. */
    protected Store store;

    /**
     * A fresh, empty store, isolated from every other store this class created (its own file,
     * schema or database). Called once per test; the suite closes it after the test.
     */
    protected abstract Store newStore() throws Exception;

    @BeforeAll
    protected static void useNonUtcTimeZone() {
        previousZone = TimeZone.getDefault();
        TimeZone.setDefault(TimeZone.getTimeZone("America/New_York"));
    }

    @AfterAll
    protected static void restoreTimeZone() {
        TimeZone.setDefault(previousZone);
    }

    @BeforeEach
    protected void openStore() throws Exception {
        store = newStore();
    }

    @AfterEach
    protected void closeStore() {
        if (store != null) {
            store.close();
        }
    }

    // ---------------------------------------------------------------- helpers

    protected static Instant at(long millisAfterT0) {
        return T0.plusMillis(millisAfterT0);
    }

    protected WorkflowRow workflow(String name) {
        return store.saveWorkflow(name, "{\"name\":\"" + name + "\"}", T0);
    }

    protected static NewStep step(String name, int taskCount, Integer... dependsOn) {
        return new NewStep(name, taskCount, Arrays.asList(dependsOn));
    }

    protected RunRow run(WorkflowRow wf, Instant now, NewStep... steps) {
        CreatedRun created = store.createRun(new NewRun(wf.versionId(), "manual", Map.of(), null, List.of(steps)), now);
        assertThat(created.created()).isTrue();
        return created.run();
    }

    protected RunRow run(WorkflowRow wf, Instant now, int tasks) {
        return run(wf, now, step("main", tasks));
    }

    protected List<ClaimedTask> claim(String node, int limit, Instant now) {
        return store.claimReady(node, limit, now);
    }

    protected List<ClaimedTask> claimAll(String node, Instant now) {
        return store.claimReady(node, 100_000, now);
    }

    protected static TaskUpdate succeeded(ClaimedTask t) {
        return TaskUpdate.ended(t.taskId(), t.attempt(), AttemptOutcome.SUCCEEDED, 0, null, "done", null);
    }

    protected static TaskUpdate failed(ClaimedTask t) {
        return TaskUpdate.ended(t.taskId(), t.attempt(), AttemptOutcome.FAILED, 1, "boom", "tail", null);
    }

    protected List<Long> apply(Instant now, TaskUpdate... updates) {
        return store.applyUpdates(List.of(updates), now);
    }

    protected List<Long> apply(Instant now, List<ClaimedTask> tasks, Function<ClaimedTask, TaskUpdate> update) {
        return store.applyUpdates(tasks.stream().map(update).toList(), now);
    }

    protected static RunFilter filter(String workflow, RunStatus status, int limit) {
        return new RunFilter(workflow, status, null, null, null, null, limit);
    }

    protected RunRow findRun(long id) {
        return store.findRun(id).orElseThrow(() -> new AssertionError("run " + id + " not found"));
    }

    protected TaskRow task(long runId, int stepIndex, int taskIndex) {
        return store.listTasks(runId).stream()
                .filter(t -> t.stepIndex() == stepIndex && t.taskIndex() == taskIndex).findFirst()
                .orElseThrow(() -> new AssertionError("no task " + runId + "/" + stepIndex + "/" + taskIndex));
    }

    protected TaskRow task(ClaimedTask claimed) {
        return task(claimed.runId(), claimed.stepIndex(), claimed.taskIndex());
    }

    protected Map<Integer, Set<TaskStatus>> statusesByStep(long runId) {
        return store.listTasks(runId).stream().collect(Collectors.groupingBy(TaskRow::stepIndex,
                Collectors.mapping(TaskRow::status, Collectors.toSet())));
    }

    protected static List<Integer> stepsOf(List<ClaimedTask> tasks) {
        return tasks.stream().map(ClaimedTask::stepIndex).distinct().sorted().toList();
    }

    // ---------------------------------------------------------------- workflows

    @Nested
    @DisplayName("workflows")
    class Workflows {

        @Test
        void savingTheSameSpecReturnsTheSameVersion() {
            WorkflowRow first = store.saveWorkflow("etl", "{\"a\":1}", T0);
            WorkflowRow again = store.saveWorkflow("etl", "{\"a\":1}", at(5_000));

            assertThat(first.version()).isEqualTo(1);
            assertThat(again).isEqualTo(first);
            assertThat(store.findWorkflow("etl")).contains(first);
        }

        @Test
        void aChangedSpecMakesTheNextVersionAndOldVersionsStay() {
            WorkflowRow v1 = store.saveWorkflow("etl", "{\"a\":1}", T0);
            WorkflowRow v2 = store.saveWorkflow("etl", "{\"a\":2}", at(1));
            WorkflowRow v3 = store.saveWorkflow("etl", "{\"a\":1}", at(2));

            assertThat(List.of(v1.version(), v2.version(), v3.version())).containsExactly(1, 2, 3);
            assertThat(v2.versionId()).isNotEqualTo(v1.versionId());
            assertThat(store.findWorkflow("etl")).contains(v3);
            assertThat(store.findWorkflowVersion(v1.versionId())).contains(v1);
            assertThat(store.findWorkflowVersion(v2.versionId())).contains(v2);
        }

        @Test
        void versionsArePerName() {
            store.saveWorkflow("a", "{}", T0);
            store.saveWorkflow("a", "{\"x\":1}", T0);
            WorkflowRow b = store.saveWorkflow("b", "{}", T0);

            assertThat(b.version()).isEqualTo(1);
        }

        @Test
        void deleteHidesTheWorkflowButKeepsItsVersions() {
            WorkflowRow v1 = store.saveWorkflow("etl", "{\"a\":1}", T0);
            WorkflowRow other = store.saveWorkflow("other", "{}", T0);

            assertThat(store.deleteWorkflow("etl", at(10))).isTrue();
            assertThat(store.deleteWorkflow("etl", at(11))).isFalse();
            assertThat(store.deleteWorkflow("never-saved", at(11))).isFalse();

            assertThat(store.findWorkflow("etl")).isEmpty();
            assertThat(store.listWorkflows()).containsExactly(other);
            assertThat(store.findWorkflowVersion(v1.versionId())).contains(v1);
        }

        @Test
        void aDeletedWorkflowRegisteredAgainContinuesItsVersionNumbers() {
            store.saveWorkflow("etl", "{\"a\":1}", T0);
            store.saveWorkflow("etl", "{\"a\":2}", T0);
            store.deleteWorkflow("etl", at(1));

            WorkflowRow again = store.saveWorkflow("etl", "{\"a\":2}", at(2));

            assertThat(again.version()).isEqualTo(3);
            assertThat(store.findWorkflow("etl")).contains(again);
            assertThat(store.listWorkflows()).containsExactly(again);
        }

        @Test
        void listWorkflowsReturnsTheLatestVersionOfEachByName() {
            WorkflowRow b1 = store.saveWorkflow("b", "{}", T0);
            store.saveWorkflow("a", "{}", T0);
            WorkflowRow a2 = store.saveWorkflow("a", "{\"v\":2}", T0);

            assertThat(store.listWorkflows()).containsExactly(a2, b1);
        }

        @Test
        void nameAndSpecRoundTripExactly() {
            String name = "wf " + NASTY;
            String spec = "{\"cmd\":\"" + NASTY.replace("\\", "\\\\").replace("\"", "\\\"") + "\"}";

            WorkflowRow saved = store.saveWorkflow(name, spec, T0);

            assertThat(store.findWorkflow(name)).contains(saved);
            assertThat(saved.name()).isEqualTo(name);
            assertThat(saved.specJson()).isEqualTo(spec);
            assertThat(store.findWorkflowVersion(saved.versionId()).orElseThrow().specJson()).isEqualTo(spec);
            assertThat(store.saveWorkflow(name, spec, at(1)).version()).isEqualTo(1);
        }

        @Test
        void unknownWorkflowsAreEmpty() {
            assertThat(store.findWorkflow("nope")).isEmpty();
            assertThat(store.findWorkflowVersion(424242L)).isEmpty();
            assertThat(store.listWorkflows()).isEmpty();
        }
    }

    // ---------------------------------------------------------------- runs

    @Nested
    @DisplayName("creating runs")
    class CreatingRuns {

        @Test
        void createsTheRunItsStepsAndAllTasksInOneGo() {
            WorkflowRow wf = workflow("etl");

            CreatedRun created = store.createRun(new NewRun(wf.versionId(), "api:test", Map.of("k", "v"), null,
                    List.of(step("extract", 3), step("load", 2, 0))), T0);

            RunRow run = created.run();
            assertThat(created.created()).isTrue();
            assertThat(run.workflowVersionId()).isEqualTo(wf.versionId());
            assertThat(run.workflow()).isEqualTo("etl");
            assertThat(run.workflowVersion()).isEqualTo(1);
            assertThat(run.status()).isEqualTo(RunStatus.PENDING);
            assertThat(run.triggeredBy()).isEqualTo("api:test");
            assertThat(run.params()).isEqualTo(Map.of("k", "v"));
            assertThat(run.idempotencyKey()).isNull();
            assertThat(run.taskCount()).isEqualTo(5);
            assertThat(List.of(run.succeeded(), run.failed(), run.finished())).containsExactly(0, 0, 0);
            assertThat(run.createdAt()).isEqualTo(T0);
            assertThat(run.startedAt()).isNull();
            assertThat(run.finishedAt()).isNull();
            assertThat(findRun(run.id())).isEqualTo(run);

            List<TaskRow> tasks = store.listTasks(run.id());
            assertThat(tasks).extracting(TaskRow::stepName, TaskRow::taskIndex, TaskRow::status)
                    .containsExactly(
                            org.assertj.core.groups.Tuple.tuple("extract", 0, TaskStatus.PENDING),
                            org.assertj.core.groups.Tuple.tuple("extract", 1, TaskStatus.PENDING),
                            org.assertj.core.groups.Tuple.tuple("extract", 2, TaskStatus.PENDING),
                            org.assertj.core.groups.Tuple.tuple("load", 0, TaskStatus.WAITING),
                            org.assertj.core.groups.Tuple.tuple("load", 1, TaskStatus.WAITING));
            for (TaskRow t : tasks) {
                assertThat(t.runId()).isEqualTo(run.id());
                assertThat(t.attempt()).isZero();
                assertThat(t.owner()).isNull();
                assertThat(t.executionName()).isNull();
                assertThat(t.startedAt()).isNull();
                assertThat(t.finishedAt()).isNull();
                if (t.status() == TaskStatus.PENDING) {
                    assertThat(t.readyAt()).isEqualTo(T0);
                }
                assertThat(store.listAttempts(t.id())).isEmpty();
            }
            assertThat(tasks).extracting(TaskRow::id).doesNotHaveDuplicates();
        }

        @Test
        void aRunOfTheLatestVersionIsCreatedLikeAnyOther() {
            WorkflowRow wf = workflow("etl");

            Optional<CreatedRun> created = store.createRunOfLatest(new NewRun(wf.versionId(), "api:test",
                    Map.of("k", "v"), null, List.of(step("extract", 3), step("load", 2, 0))), "etl", T0);

            assertThat(created).isPresent();
            RunRow run = created.get().run();
            assertThat(created.get().created()).isTrue();
            assertThat(run.workflow()).isEqualTo("etl");
            assertThat(run.workflowVersion()).isEqualTo(1);
            assertThat(run.params()).isEqualTo(Map.of("k", "v"));
            assertThat(run.taskCount()).isEqualTo(5);
            assertThat(findRun(run.id())).isEqualTo(run);
            assertThat(store.listTasks(run.id())).extracting(TaskRow::stepName, TaskRow::status).containsExactly(
                    org.assertj.core.groups.Tuple.tuple("extract", TaskStatus.PENDING),
                    org.assertj.core.groups.Tuple.tuple("extract", TaskStatus.PENDING),
                    org.assertj.core.groups.Tuple.tuple("extract", TaskStatus.PENDING),
                    org.assertj.core.groups.Tuple.tuple("load", TaskStatus.WAITING),
                    org.assertj.core.groups.Tuple.tuple("load", TaskStatus.WAITING));
        }

        @Test
        void aRunOfAVersionThatIsNoLongerTheLatestOrOfAPausedWorkflowIsNotWritten() {
            WorkflowRow v1 = workflow("etl");
            WorkflowRow other = workflow("other");
            NewRun ofV1 = new NewRun(v1.versionId(), "api:test", Map.of(), null, List.of(step("s", 2)));
            assertThat(store.createRunOfLatest(ofV1, "other", T0)).as("a version of another workflow").isEmpty();

            WorkflowRow v2 = store.saveWorkflow("etl", "{\"name\":\"etl\",\"v\":2}", at(1_000));
            assertThat(v2.version()).isEqualTo(2);
            assertThat(store.createRunOfLatest(ofV1, "etl", at(2_000))).as("version 1 after version 2").isEmpty();

            NewRun ofV2 = new NewRun(v2.versionId(), "api:test", Map.of(), null, List.of(step("s", 2)));
            store.setWorkflowPaused("etl", true, at(3_000));
            assertThat(store.createRunOfLatest(ofV2, "etl", at(4_000))).as("paused").isEmpty();
            store.setWorkflowPaused("etl", false, at(5_000));
            assertThat(store.createRunOfLatest(ofV2, "etl", at(6_000))).as("resumed").isPresent();

            store.deleteWorkflow("other", at(7_000));
            NewRun ofOther = new NewRun(other.versionId(), "api:test", Map.of(), null, List.of(step("s", 1)));
            assertThat(store.createRunOfLatest(ofOther, "other", at(8_000))).as("deleted").isEmpty();

            assertThat(store.listRuns(filter("etl", null, 100))).extracting(RunRow::workflowVersion).containsExactly(2);
            assertThat(store.listRuns(filter("other", null, 100))).isEmpty();
        }

        @Test
        void aRepeatedIdempotencyKeyReturnsTheFirstRunAndWritesNothing() {
            WorkflowRow wf = workflow("etl");
            NewRun request = new NewRun(wf.versionId(), "manual", Map.of(), "key-1", List.of(step("s", 2)));

            CreatedRun first = store.createRun(request, T0);
            CreatedRun second = store.createRun(
                    new NewRun(wf.versionId(), "other", Map.of("x", "1"), "key-1", List.of(step("s", 7))), at(1_000));

            assertThat(first.created()).isTrue();
            assertThat(first.run().idempotencyKey()).isEqualTo("key-1");
            assertThat(second.created()).isFalse();
            assertThat(second.run()).isEqualTo(first.run());
            assertThat(store.listTasks(first.run().id())).hasSize(2);
            assertThat(store.listRuns(filter("etl", null, 100))).hasSize(1);
        }

        @Test
        void idempotencyKeysArePerWorkflowName() {
            WorkflowRow a = workflow("a");
            WorkflowRow b = workflow("b");

            CreatedRun ra = store.createRun(new NewRun(a.versionId(), "manual", Map.of(), "k", List.of(step("s", 1))), T0);
            CreatedRun rb = store.createRun(new NewRun(b.versionId(), "manual", Map.of(), "k", List.of(step("s", 1))), T0);
            CreatedRun rb2 = store.createRun(new NewRun(b.versionId(), "manual", Map.of(), "k2", List.of(step("s", 1))), T0);

            assertThat(List.of(ra.created(), rb.created(), rb2.created())).containsOnly(true);
            assertThat(Set.of(ra.run().id(), rb.run().id(), rb2.run().id())).hasSize(3);
        }

        @Test
        void aKeyAppliesAcrossVersionsOfTheSameWorkflow() {
            WorkflowRow v1 = store.saveWorkflow("etl", "{\"v\":1}", T0);
            CreatedRun first = store.createRun(new NewRun(v1.versionId(), "manual", Map.of(), "k", List.of(step("s", 1))), T0);
            WorkflowRow v2 = store.saveWorkflow("etl", "{\"v\":2}", T0);

            CreatedRun second = store.createRun(new NewRun(v2.versionId(), "manual", Map.of(), "k", List.of(step("s", 1))), T0);

            assertThat(second.created()).isFalse();
            assertThat(second.run().id()).isEqualTo(first.run().id());
        }

        @Test
        void concurrentCallsWithTheSameKeyCreateExactlyOneRun() throws Exception {
            WorkflowRow wf = workflow("etl");
            int threads = 8;

            List<CreatedRun> results = Concurrently.run(threads, i -> () -> store.createRun(
                    new NewRun(wf.versionId(), "thread-" + i, Map.of(), "same-key", List.of(step("s", 50))), at(i)));

            assertThat(results.stream().filter(CreatedRun::created)).hasSize(1);
            assertThat(results.stream().map(r -> r.run().id()).distinct()).hasSize(1);
            List<RunRow> runs = store.listRuns(filter("etl", null, 100));
            assertThat(runs).hasSize(1);
            assertThat(store.listTasks(runs.get(0).id())).hasSize(50);
        }

        @Test
        void textRoundTripsExactly() {
            WorkflowRow wf = workflow("wf " + NASTY);
            Map<String, String> params = Map.of("p " + NASTY, NASTY, "empty", "", "controls", "tab\t newline\n cr\r \u0001 \u001f \u007f \u2028");

            RunRow run = store.createRun(new NewRun(wf.versionId(), "api:" + NASTY, params, "key " + NASTY,
                    List.of(step("step " + NASTY, 1))), T0).run();

            RunRow read = findRun(run.id());
            assertThat(read.workflow()).isEqualTo("wf " + NASTY);
            assertThat(read.triggeredBy()).isEqualTo("api:" + NASTY);
            assertThat(read.params()).isEqualTo(params);
            assertThat(read.idempotencyKey()).isEqualTo("key " + NASTY);
            assertThat(store.listTasks(run.id()).get(0).stepName()).isEqualTo("step " + NASTY);
            assertThat(claim("node " + NASTY, 1, T0).get(0).params()).isEqualTo(params);
            assertThat(store.createRun(new NewRun(wf.versionId(), "x", Map.of(), "key " + NASTY,
                    List.of(step("s", 1))), T0).created()).isFalse();
        }

        @Test
        void aLargeRunCreatesAllItsTasks() {
            WorkflowRow wf = workflow("big");

            RunRow run = run(wf, T0, step("fan", 10_000));

            List<TaskRow> tasks = store.listTasks(run.id());
            assertThat(tasks).hasSize(10_000);
            assertThat(tasks.get(9_999).taskIndex()).isEqualTo(9_999);
            assertThat(tasks).allMatch(t -> t.status() == TaskStatus.PENDING);
        }
    }

    // ---------------------------------------------------------------- time

    @Test
    protected void instantsRoundTripExactlyAtMillisecondPrecision() {
        assertThat(TimeZone.getDefault().getID()).isEqualTo("America/New_York");
        Instant created = T0;                      // 01:59:59.123 EST
        Instant claimed = at(1_001);               // 03:00:00.124 EDT, after the gap
        Instant ended = at(3_600_000 + 7);
        WorkflowRow wf = store.saveWorkflow("tz", "{}", created);
        RunRow run = run(wf, created, 1);

        ClaimedTask t = claim("n1", 1, claimed).get(0);
        Instant retryAt = at(7_200_000 + 999);
        apply(ended, TaskUpdate.ended(t.taskId(), 1, AttemptOutcome.FAILED, 1, "x", null, retryAt));
        ClaimedTask t2 = claim("n1", 1, retryAt).get(0);
        Instant finished = at(86_400_000L * 200 + 1); // in summer time
        apply(finished, succeeded(t2));

        assertThat(store.findWorkflowVersion(wf.versionId()).orElseThrow().createdAt()).isEqualTo(created);
        RunRow read = findRun(run.id());
        assertThat(read.createdAt()).isEqualTo(created);
        assertThat(read.startedAt()).isEqualTo(claimed);
        assertThat(read.finishedAt()).isEqualTo(finished);
        TaskRow task = store.listTasks(run.id()).get(0);
        assertThat(task.readyAt()).isEqualTo(retryAt);
        assertThat(task.startedAt()).isEqualTo(retryAt);
        assertThat(task.finishedAt()).isEqualTo(finished);
        List<AttemptRow> attempts = store.listAttempts(t.taskId());
        assertThat(attempts.get(0).startedAt()).isEqualTo(claimed);
        assertThat(attempts.get(0).finishedAt()).isEqualTo(ended);
        assertThat(attempts.get(1).startedAt()).isEqualTo(retryAt);
        assertThat(attempts.get(1).finishedAt()).isEqualTo(finished);
    }

    // ---------------------------------------------------------------- claims

    @Nested
    @DisplayName("claiming")
    class Claiming {

        @Test
        void aClaimDispatchesTheTaskStartsAnAttemptAndStartsTheRun() {
            WorkflowRow wf = workflow("etl");
            RunRow run = store.createRun(new NewRun(wf.versionId(), "manual", Map.of("a", "b"), null,
                    List.of(step("s", 1))), T0).run();

            List<ClaimedTask> claimed = claim("node-1", 10, at(100));

            assertThat(claimed).hasSize(1);
            ClaimedTask c = claimed.get(0);
            assertThat(c.runId()).isEqualTo(run.id());
            assertThat(c.workflowVersionId()).isEqualTo(wf.versionId());
            assertThat(c.stepIndex()).isZero();
            assertThat(c.taskIndex()).isZero();
            assertThat(c.attempt()).isEqualTo(1);
            assertThat(c.status()).isEqualTo(TaskStatus.DISPATCHED);
            assertThat(c.executionName()).isNull();
            assertThat(c.params()).isEqualTo(Map.of("a", "b"));
            assertThat(c.readyAt()).isEqualTo(T0);
            assertThat(c.startedAt()).isEqualTo(at(100));

            TaskRow task = task(c);
            assertThat(task.id()).isEqualTo(c.taskId());
            assertThat(task.status()).isEqualTo(TaskStatus.DISPATCHED);
            assertThat(task.attempt()).isEqualTo(1);
            assertThat(task.owner()).isEqualTo("node-1");
            assertThat(task.startedAt()).isEqualTo(at(100));

            assertThat(store.listAttempts(c.taskId())).containsExactly(new AttemptRow(c.taskId(), 1,
                    AttemptOutcome.RUNNING, "node-1", null, null, null, null, null, at(100), null));

            RunRow started = findRun(run.id());
            assertThat(started.status()).isEqualTo(RunStatus.RUNNING);
            assertThat(started.startedAt()).isEqualTo(at(100));
        }

        @Test
        void aSecondClaimDoesNotRestartTheRun() {
            RunRow run = run(workflow("etl"), T0, 2);
            claim("n", 1, at(1));
            claim("n", 1, at(2));

            assertThat(findRun(run.id()).startedAt()).isEqualTo(at(1));
            assertThat(claim("n", 1, at(3))).isEmpty();
        }

        @Test
        void respectsTheLimitAndClaimsOldestReadyFirst() {
            WorkflowRow wf = workflow("etl");
            RunRow late = run(wf, at(2_000), 1);
            RunRow early = run(wf, T0, 3);
            RunRow middle = run(wf, at(1_000), 1);

            assertThat(claim("n", 2, at(10_000))).extracting(ClaimedTask::runId).containsOnly(early.id()).hasSize(2);
            assertThat(claim("n", 2, at(10_000))).extracting(ClaimedTask::runId)
                    .containsExactlyInAnyOrder(early.id(), middle.id());
            assertThat(claim("n", 2, at(10_000))).extracting(ClaimedTask::runId).containsExactly(late.id());
            assertThat(claim("n", 2, at(10_000))).isEmpty();
        }

        @Test
        void neverClaimsTasksThatAreNotReadyYet() {
            WorkflowRow wf = workflow("etl");
            run(wf, at(1_000), 1);

            assertThat(claim("n", 10, at(999))).isEmpty();
            assertThat(claim("n", 10, at(1_000))).hasSize(1);
        }

        @Test
        void aClaimReturnsEachTaskOnce() {
            run(workflow("etl"), T0, 5);

            List<ClaimedTask> first = claim("n", 3, T0);
            List<ClaimedTask> second = claim("n", 3, T0);

            assertThat(first).hasSize(3);
            assertThat(second).hasSize(2);
            Set<Long> ids = new HashSet<>();
            first.forEach(t -> ids.add(t.taskId()));
            second.forEach(t -> ids.add(t.taskId()));
            assertThat(ids).hasSize(5);
        }

        @Test
        void concurrentClaimersNeverShareATaskAndLoseNone() throws Exception {
            int taskCount = 3_000;
            RunRow run = run(workflow("etl"), T0, taskCount);
            int threads = 4;

            List<List<ClaimedTask>> results = Concurrently.run(threads, i -> () -> {
                List<ClaimedTask> mine = new ArrayList<>();
                while (true) {
                    List<ClaimedTask> batch = store.claimReady("node-" + i, 37, at(1));
                    if (batch.isEmpty()) {
                        return mine;
                    }
                    mine.addAll(batch);
                }
            });

            List<Long> all = results.stream().flatMap(List::stream).map(ClaimedTask::taskId).toList();
            assertThat(all).doesNotHaveDuplicates().hasSize(taskCount);
            assertThat(store.listTasks(run.id())).allMatch(t -> t.status() == TaskStatus.DISPATCHED && t.attempt() == 1);
            for (int i = 0; i < threads; i++) {
                String node = "node-" + i;
                for (ClaimedTask c : results.get(i)) {
                    assertThat(c.attempt()).isEqualTo(1);
                }
                long owned = store.listTasks(run.id()).stream().filter(t -> node.equals(t.owner())).count();
                assertThat(owned).isEqualTo(results.get(i).size());
            }
        }
    }

    // ---------------------------------------------------------------- updates

    @Nested
    @DisplayName("applying updates")
    class ApplyingUpdates {

        @Test
        void runningRecordsTheExecutionNameOnTaskAndAttempt() {
            run(workflow("etl"), T0, 1);
            ClaimedTask c = claim("n", 1, T0).get(0);

            List<Long> ended = apply(at(5), TaskUpdate.running(c.taskId(), 1, "exec-" + NASTY, "/logs/" + NASTY));

            assertThat(ended).isEmpty();
            TaskRow task = task(c);
            assertThat(task.status()).isEqualTo(TaskStatus.RUNNING);
            assertThat(task.executionName()).isEqualTo("exec-" + NASTY);
            AttemptRow attempt = store.listAttempts(c.taskId()).get(0);
            assertThat(attempt.outcome()).isEqualTo(AttemptOutcome.RUNNING);
            assertThat(attempt.executionName()).isEqualTo("exec-" + NASTY);
            assertThat(attempt.outputRef()).isEqualTo("/logs/" + NASTY);
        }

        @Test
        void aHeartbeatKeepsTheTaskAsItIs() {
            run(workflow("etl"), T0, 1);
            ClaimedTask c = claim("n", 1, T0).get(0);
            apply(at(1), TaskUpdate.running(c.taskId(), 1, "e", null));

            assertThat(apply(at(2), TaskUpdate.heartbeat(c.taskId(), 1))).isEmpty();

            TaskRow task = task(c);
            assertThat(task.status()).isEqualTo(TaskStatus.RUNNING);
            assertThat(task.attempt()).isEqualTo(1);
            assertThat(task.owner()).isEqualTo("n");
        }

        @Test
        void successEndsTaskAttemptAndRun() {
            RunRow run = run(workflow("etl"), T0, 1);
            ClaimedTask c = claim("n", 1, at(1)).get(0);
            apply(at(2), TaskUpdate.running(c.taskId(), 1, "exec-1", "ref"));

            List<Long> ended = apply(at(3), TaskUpdate.ended(c.taskId(), 1, AttemptOutcome.SUCCEEDED, 0, null,
                    "tail " + NASTY, null));

            assertThat(ended).containsExactly(run.id());
            TaskRow task = task(c);
            assertThat(task.status()).isEqualTo(TaskStatus.SUCCEEDED);
            assertThat(task.exitCode()).isZero();
            assertThat(task.error()).isNull();
            assertThat(task.outputTail()).isEqualTo("tail " + NASTY);
            assertThat(task.finishedAt()).isEqualTo(at(3));
            assertThat(task.executionName()).isEqualTo("exec-1");
            assertThat(task.owner()).isNull();
            assertThat(store.listAttempts(c.taskId())).containsExactly(new AttemptRow(c.taskId(), 1,
                    AttemptOutcome.SUCCEEDED, "n", "exec-1", 0, null, "tail " + NASTY, "ref", at(1), at(3)));
            RunRow done = findRun(run.id());
            assertThat(done.status()).isEqualTo(RunStatus.SUCCEEDED);
            assertThat(List.of(done.succeeded(), done.failed(), done.finished())).containsExactly(1, 0, 1);
            assertThat(done.finishedAt()).isEqualTo(at(3));
        }

        @Test
        void anEndedUpdateStraightFromDispatchedIsApplied() {
            RunRow run = run(workflow("etl"), T0, 1);
            ClaimedTask c = claim("n", 1, T0).get(0);

            assertThat(apply(at(1), succeeded(c))).containsExactly(run.id());
            assertThat(task(c).status()).isEqualTo(TaskStatus.SUCCEEDED);
        }

        @Test
        void failureWithoutRetryEndsTheTaskAndFailsTheRun() {
            RunRow run = run(workflow("etl"), T0, 2);
            List<ClaimedTask> cs = claim("n", 2, T0);

            List<Long> ended = apply(at(4), TaskUpdate.ended(cs.get(0).taskId(), 1, AttemptOutcome.FAILED, 3,
                    "error " + NASTY, "out", null), succeeded(cs.get(1)));

            assertThat(ended).containsExactly(run.id());
            TaskRow failed = task(cs.get(0));
            assertThat(failed.status()).isEqualTo(TaskStatus.FAILED);
            assertThat(failed.exitCode()).isEqualTo(3);
            assertThat(failed.error()).isEqualTo("error " + NASTY);
            assertThat(failed.outputTail()).isEqualTo("out");
            assertThat(failed.finishedAt()).isEqualTo(at(4));
            AttemptRow attempt = store.listAttempts(failed.id()).get(0);
            assertThat(attempt.outcome()).isEqualTo(AttemptOutcome.FAILED);
            assertThat(attempt.exitCode()).isEqualTo(3);
            assertThat(attempt.error()).isEqualTo("error " + NASTY);
            assertThat(attempt.finishedAt()).isEqualTo(at(4));
            RunRow done = findRun(run.id());
            assertThat(done.status()).isEqualTo(RunStatus.FAILED);
            assertThat(List.of(done.succeeded(), done.failed(), done.finished())).containsExactly(1, 1, 2);
        }

        @Test
        void timedOutAndLostAttemptsFailTheTask() {
            run(workflow("etl"), T0, 2);
            List<ClaimedTask> cs = claim("n", 2, T0);

            apply(at(1), TaskUpdate.ended(cs.get(0).taskId(), 1, AttemptOutcome.TIMED_OUT, null, "timeout", null, null),
                    TaskUpdate.ended(cs.get(1).taskId(), 1, AttemptOutcome.LOST, null, "lost", null, null));

            assertThat(task(cs.get(0)).status()).isEqualTo(TaskStatus.FAILED);
            assertThat(task(cs.get(1)).status()).isEqualTo(TaskStatus.FAILED);
            assertThat(store.listAttempts(cs.get(0).taskId()).get(0).outcome()).isEqualTo(AttemptOutcome.TIMED_OUT);
            assertThat(store.listAttempts(cs.get(1).taskId()).get(0).outcome()).isEqualTo(AttemptOutcome.LOST);
        }

        @Test
        void failureWithRetryRequeuesTheTaskForItsNextAttempt() {
            RunRow run = run(workflow("etl"), T0, 1);
            ClaimedTask c = claim("n", 1, at(1)).get(0);
            apply(at(2), TaskUpdate.running(c.taskId(), 1, "exec-1", null));
            Instant retryAt = at(60_000);

            List<Long> ended = apply(at(3), TaskUpdate.ended(c.taskId(), 1, AttemptOutcome.FAILED, 2, "first",
                    "t1", retryAt));

            assertThat(ended).isEmpty();
            TaskRow waiting = task(c);
            assertThat(waiting.status()).isEqualTo(TaskStatus.PENDING);
            assertThat(waiting.readyAt()).isEqualTo(retryAt);
            assertThat(waiting.attempt()).as("last attempt until the next claim").isEqualTo(1);
            assertThat(waiting.owner()).isNull();
            assertThat(waiting.error()).isEqualTo("first");
            assertThat(waiting.exitCode()).isEqualTo(2);
            assertThat(waiting.finishedAt()).isNull();
            RunRow mid = findRun(run.id());
            assertThat(mid.status()).isEqualTo(RunStatus.RUNNING);
            assertThat(List.of(mid.succeeded(), mid.failed(), mid.finished())).containsExactly(0, 0, 0);

            assertThat(claim("n", 10, retryAt.minusMillis(1))).isEmpty();
            List<ClaimedTask> again = claim("n2", 10, retryAt);
            assertThat(again).hasSize(1);
            ClaimedTask c2 = again.get(0);
            assertThat(c2.taskId()).isEqualTo(c.taskId());
            assertThat(c2.attempt()).isEqualTo(2);
            assertThat(c2.executionName()).isNull();
            assertThat(task(c2).executionName()).as("the new attempt has no execution yet").isNull();

            assertThat(apply(at(70_000), TaskUpdate.ended(c.taskId(), 1, AttemptOutcome.SUCCEEDED, 0, null, null,
                    null))).as("an update of attempt 1 is stale now").isEmpty();
            assertThat(task(c2).status()).isEqualTo(TaskStatus.DISPATCHED);

            assertThat(apply(at(80_000), succeeded(c2))).containsExactly(run.id());
            List<AttemptRow> attempts = store.listAttempts(c.taskId());
            assertThat(attempts).extracting(AttemptRow::attempt).containsExactly(1, 2);
            assertThat(attempts.get(0)).isEqualTo(new AttemptRow(c.taskId(), 1, AttemptOutcome.FAILED, "n",
                    "exec-1", 2, "first", "t1", null, at(1), at(3)));
            assertThat(attempts.get(1).outcome()).isEqualTo(AttemptOutcome.SUCCEEDED);
            assertThat(attempts.get(1).node()).isEqualTo("n2");
            assertThat(attempts.get(1).startedAt()).isEqualTo(retryAt);
            assertThat(task(c2).attempt()).isEqualTo(2);
            RunRow done = findRun(run.id());
            assertThat(List.of(done.succeeded(), done.failed(), done.finished())).containsExactly(1, 0, 1);
        }

        @Test
        void staleUpdatesAreIgnored() {
            RunRow run = run(workflow("etl"), T0, 2);
            List<ClaimedTask> cs = claim("n", 2, T0);
            ClaimedTask a = cs.get(0);
            ClaimedTask b = cs.get(1);

            // wrong attempt
            assertThat(apply(at(1), TaskUpdate.ended(a.taskId(), 2, AttemptOutcome.SUCCEEDED, 0, null, null, null),
                    TaskUpdate.running(a.taskId(), 7, "wrong", null))).isEmpty();
            assertThat(task(a).status()).isEqualTo(TaskStatus.DISPATCHED);
            assertThat(task(a).executionName()).isNull();
            assertThat(findRun(run.id()).finished()).isZero();

            // already ended
            apply(at(2), failed(a));
            assertThat(apply(at(3), succeeded(a), TaskUpdate.running(a.taskId(), 1, "late", null),
                    TaskUpdate.heartbeat(a.taskId(), 1))).isEmpty();
            TaskRow ended = task(a);
            assertThat(ended.status()).isEqualTo(TaskStatus.FAILED);
            assertThat(ended.executionName()).isNull();
            assertThat(store.listAttempts(a.taskId()).get(0).outcome()).isEqualTo(AttemptOutcome.FAILED);
            RunRow mid = findRun(run.id());
            assertThat(List.of(mid.succeeded(), mid.failed(), mid.finished())).containsExactly(0, 1, 1);

            // the run ends once, even if the last update arrives twice
            assertThat(apply(at(4), succeeded(b), succeeded(b))).containsExactly(run.id());
            assertThat(apply(at(5), succeeded(b))).isEmpty();
            RunRow done = findRun(run.id());
            assertThat(List.of(done.succeeded(), done.failed(), done.finished())).containsExactly(1, 1, 2);
            assertThat(done.finishedAt()).isEqualTo(at(4));
        }

        @Test
        void updatesOfUnknownTasksAreIgnored() {
            assertThat(apply(T0, TaskUpdate.ended(987_654L, 1, AttemptOutcome.SUCCEEDED, 0, null, null, null),
                    TaskUpdate.running(987_655L, 1, "x", null))).isEmpty();
            assertThat(store.applyUpdates(List.of(), T0)).isEmpty();
        }

        @Test
        void countersAddUpAndEachEndedRunIsReturnedOnce() {
            WorkflowRow wf = workflow("etl");
            RunRow r1 = run(wf, T0, 3);
            RunRow r2 = run(wf, T0, 2);
            RunRow r3 = run(wf, T0, 2);
            List<ClaimedTask> all = claimAll("n", T0);
            assertThat(all).hasSize(7);
            Map<Long, List<ClaimedTask>> byRun = all.stream().collect(Collectors.groupingBy(ClaimedTask::runId));

            List<ClaimedTask> r1Tasks = byRun.get(r1.id());
            assertThat(apply(at(1), r1Tasks.subList(0, 2), StoreContractTest::succeeded)).isEmpty();
            RunRow mid = findRun(r1.id());
            assertThat(List.of(mid.succeeded(), mid.failed(), mid.finished())).containsExactly(2, 0, 2);
            assertThat(mid.status()).isEqualTo(RunStatus.RUNNING);

            List<TaskUpdate> last = new ArrayList<>();
            last.add(failed(r1Tasks.get(2)));
            byRun.get(r2.id()).forEach(t -> last.add(succeeded(t)));
            last.add(succeeded(byRun.get(r3.id()).get(0)));
            List<Long> ended = store.applyUpdates(last, at(2));

            assertThat(ended).containsExactlyInAnyOrder(r1.id(), r2.id());
            assertThat(findRun(r1.id()).status()).isEqualTo(RunStatus.FAILED);
            assertThat(findRun(r2.id()).status()).isEqualTo(RunStatus.SUCCEEDED);
            assertThat(findRun(r3.id()).status()).isEqualTo(RunStatus.RUNNING);
            assertThat(apply(at(3), succeeded(byRun.get(r3.id()).get(1)))).containsExactly(r3.id());
        }

        @Test
        void cancelledTasksEndTheirRunWithoutSucceeding() {
            RunRow run = run(workflow("etl"), T0, 1);
            ClaimedTask c = claim("n", 1, T0).get(0);

            assertThat(apply(at(1), TaskUpdate.ended(c.taskId(), 1, AttemptOutcome.CANCELLED, null, "stop", null,
                    null))).containsExactly(run.id());

            assertThat(task(c).status()).isEqualTo(TaskStatus.CANCELLED);
            assertThat(store.listAttempts(c.taskId()).get(0).outcome()).isEqualTo(AttemptOutcome.CANCELLED);
            RunRow done = findRun(run.id());
            assertThat(done.status()).isEqualTo(RunStatus.FAILED);
            assertThat(done.finished()).isEqualTo(1);
            assertThat(done.succeeded()).isZero();
        }

        @Test
        void manyTasksOfOneRunEndInOneBatch() {
            RunRow run = run(workflow("etl"), T0, 2_000);
            List<ClaimedTask> all = claimAll("n", T0);
            apply(at(1), all, t -> TaskUpdate.running(t.taskId(), t.attempt(), "e" + t.taskIndex(), null));

            List<Long> ended = apply(at(2), all, StoreContractTest::succeeded);

            assertThat(ended).containsExactly(run.id());
            RunRow done = findRun(run.id());
            assertThat(List.of(done.succeeded(), done.failed(), done.finished())).containsExactly(2_000, 0, 2_000);
            assertThat(store.listTasks(run.id())).allMatch(t -> t.status() == TaskStatus.SUCCEEDED
                    && t.executionName().equals("e" + t.taskIndex()));
        }
    }

    // ---------------------------------------------------------------- DAG

    @Nested
    @DisplayName("step dependencies")
    class StepDependencies {

        @Test
        void aDependentStepWaitsUntilAllUpstreamTasksSucceed() {
            RunRow run = run(workflow("etl"), T0, step("a", 2), step("b", 3, 0));

            List<ClaimedTask> a = claimAll("n", at(1));
            assertThat(stepsOf(a)).containsExactly(0);
            apply(at(2), succeeded(a.get(0)));
            assertThat(statusesByStep(run.id()).get(1)).containsExactly(TaskStatus.WAITING);
            assertThat(claimAll("n", at(3))).isEmpty();

            assertThat(apply(at(4), succeeded(a.get(1)))).isEmpty();

            assertThat(statusesByStep(run.id()).get(1)).containsExactly(TaskStatus.PENDING);
            assertThat(store.listTasks(run.id()).stream().filter(t -> t.stepIndex() == 1))
                    .allMatch(t -> t.readyAt().equals(at(4)));
            List<ClaimedTask> b = claimAll("n", at(4));
            assertThat(b).hasSize(3);
            assertThat(stepsOf(b)).containsExactly(1);
            assertThat(apply(at(5), b, StoreContractTest::succeeded)).containsExactly(run.id());
            assertThat(findRun(run.id()).status()).isEqualTo(RunStatus.SUCCEEDED);
        }

        @Test
        void aWriteAndClaimInOneCallClaimsWhatTheWriteReleased() {
            RunRow run = run(workflow("etl"), T0, step("a", 1), step("b", 2, 0));
            ClaimedTask a = claim("n", 1, T0).get(0);

            WriteAndClaim result = store.applyUpdatesAndClaim(List.of(succeeded(a)), "n", 10, at(5));

            assertThat(result.endedRuns()).isEmpty();
            assertThat(result.claimed()).hasSize(2).allSatisfy(c -> {
                assertThat(c.stepIndex()).isEqualTo(1);
                assertThat(c.attempt()).isEqualTo(1);
            });
            assertThat(statusesByStep(run.id()).get(0)).containsExactly(TaskStatus.SUCCEEDED);
            WriteAndClaim last = store.applyUpdatesAndClaim(
                    result.claimed().stream().map(StoreContractTest::succeeded).toList(), "n", 10, at(6));
            assertThat(last.endedRuns()).containsExactly(run.id());
            assertThat(last.claimed()).isEmpty();
            assertThat(findRun(run.id()).status()).isEqualTo(RunStatus.SUCCEEDED);
        }

        @Test
        void aRetriedUpstreamTaskKeepsTheDependentWaiting() {
            RunRow run = run(workflow("etl"), T0, step("a", 1), step("b", 1, 0));
            ClaimedTask a = claim("n", 1, T0).get(0);

            apply(at(1), TaskUpdate.ended(a.taskId(), 1, AttemptOutcome.FAILED, 1, "x", null, at(10)));

            assertThat(statusesByStep(run.id()).get(1)).containsExactly(TaskStatus.WAITING);
            ClaimedTask again = claim("n", 1, at(10)).get(0);
            apply(at(11), succeeded(again));
            assertThat(statusesByStep(run.id()).get(1)).containsExactly(TaskStatus.PENDING);
        }

        @Test
        void aFailedStepSkipsItsDependentsTransitivelyAndFailsTheRun() {
            RunRow run = run(workflow("etl"), T0, step("a", 1), step("b", 2, 0), step("c", 3, 1),
                    step("independent", 1));
            List<ClaimedTask> first = claimAll("n", T0);
            assertThat(stepsOf(first)).containsExactly(0, 3);
            ClaimedTask a = first.stream().filter(t -> t.stepIndex() == 0).findFirst().orElseThrow();
            ClaimedTask other = first.stream().filter(t -> t.stepIndex() == 3).findFirst().orElseThrow();

            assertThat(apply(at(1), failed(a))).isEmpty();

            Map<Integer, Set<TaskStatus>> statuses = statusesByStep(run.id());
            assertThat(statuses.get(1)).containsExactly(TaskStatus.SKIPPED);
            assertThat(statuses.get(2)).containsExactly(TaskStatus.SKIPPED);
            assertThat(store.listTasks(run.id()).stream().filter(t -> t.status() == TaskStatus.SKIPPED))
                    .hasSize(5).allMatch(t -> at(1).equals(t.finishedAt()) && t.attempt() == 0);
            RunRow mid = findRun(run.id());
            assertThat(List.of(mid.succeeded(), mid.failed(), mid.finished())).containsExactly(0, 1, 6);
            assertThat(mid.status()).isEqualTo(RunStatus.RUNNING);
            assertThat(claimAll("n", at(2))).isEmpty();

            assertThat(apply(at(3), succeeded(other))).containsExactly(run.id());
            RunRow done = findRun(run.id());
            assertThat(done.status()).isEqualTo(RunStatus.FAILED);
            assertThat(List.of(done.succeeded(), done.failed(), done.finished())).containsExactly(1, 1, 7);
        }

        @Test
        void skippingTheLastOpenStepsEndsTheRunAtOnce() {
            RunRow run = run(workflow("etl"), T0, step("a", 1), step("b", 4, 0));
            ClaimedTask a = claim("n", 1, T0).get(0);

            assertThat(apply(at(1), failed(a))).containsExactly(run.id());

            RunRow done = findRun(run.id());
            assertThat(done.status()).isEqualTo(RunStatus.FAILED);
            assertThat(done.finished()).isEqualTo(5);
        }

        @Test
        void aStepWithTwoDependenciesWaitsForBoth() {
            RunRow run = run(workflow("etl"), T0, step("a", 1), step("b", 2), step("join", 1, 0, 1));
            List<ClaimedTask> first = claimAll("n", T0);
            assertThat(stepsOf(first)).containsExactly(0, 1);

            apply(at(1), first.stream().filter(t -> t.stepIndex() == 1).map(StoreContractTest::succeeded).toArray(TaskUpdate[]::new));
            assertThat(statusesByStep(run.id()).get(2)).containsExactly(TaskStatus.WAITING);

            apply(at(2), first.stream().filter(t -> t.stepIndex() == 0).map(StoreContractTest::succeeded).toArray(TaskUpdate[]::new));
            assertThat(statusesByStep(run.id()).get(2)).containsExactly(TaskStatus.PENDING);

            List<ClaimedTask> join = claimAll("n", at(2));
            assertThat(stepsOf(join)).containsExactly(2);
            assertThat(apply(at(3), succeeded(join.get(0)))).containsExactly(run.id());
        }

        @Test
        void aStepIsSkippedWhenOneOfTwoDependenciesFails() {
            RunRow run = run(workflow("etl"), T0, step("a", 1), step("b", 1), step("join", 2, 0, 1));
            List<ClaimedTask> first = claimAll("n", T0);
            ClaimedTask a = first.stream().filter(t -> t.stepIndex() == 0).findFirst().orElseThrow();
            ClaimedTask b = first.stream().filter(t -> t.stepIndex() == 1).findFirst().orElseThrow();

            assertThat(apply(at(1), failed(a))).isEmpty();
            assertThat(statusesByStep(run.id()).get(2)).containsExactly(TaskStatus.SKIPPED);

            assertThat(apply(at(2), succeeded(b))).containsExactly(run.id());
            assertThat(statusesByStep(run.id()).get(2)).containsExactly(TaskStatus.SKIPPED);
            RunRow done = findRun(run.id());
            assertThat(done.status()).isEqualTo(RunStatus.FAILED);
            assertThat(List.of(done.succeeded(), done.failed(), done.finished())).containsExactly(1, 1, 4);
        }

        @Test
        void aDiamondReleasesItsLastStepOnce() {
            RunRow run = run(workflow("etl"), T0, step("top", 1), step("left", 1, 0), step("right", 1, 0),
                    step("bottom", 1, 1, 2));
            apply(at(1), succeeded(claim("n", 10, T0).get(0)));
            List<ClaimedTask> middle = claimAll("n", at(1));
            assertThat(stepsOf(middle)).containsExactly(1, 2);

            apply(at(2), middle, StoreContractTest::succeeded);

            List<ClaimedTask> bottom = claimAll("n", at(2));
            assertThat(bottom).hasSize(1);
            assertThat(bottom.get(0).stepIndex()).isEqualTo(3);
            assertThat(apply(at(3), succeeded(bottom.get(0)))).containsExactly(run.id());
            assertThat(findRun(run.id()).status()).isEqualTo(RunStatus.SUCCEEDED);
        }
    }

    // ---------------------------------------------------------------- nodes

    @Nested
    @DisplayName("nodes")
    class Nodes {

        /** Take-over of nodes whose heartbeat is older than {@code expiredBefore}, seen at {@code now}. */
        private List<ClaimedTask> takeOver(String node, Instant expiredBefore, Instant now) {
            Duration lease = Duration.between(expiredBefore, now);
            return store.takeOverDeadNodes(node, lease.isZero() ? Duration.ofMillis(1) : lease, now);
        }

        private List<ClaimedTask> claimRunning(String node, int limit, Instant now) {
            List<ClaimedTask> cs = claim(node, limit, now);
            apply(now, cs, c -> TaskUpdate.running(c.taskId(), c.attempt(), "exec-" + c.taskId(), null));
            return cs;
        }

        @Test
        void takesOverTheInFlightTasksOfDeadNodesAndOrphansForTheCallerToReleaseThoseNeverStarted() {
            RunRow run = run(workflow("etl"), T0, 6);
            store.heartbeat("dead", T0);
            store.heartbeat("alive", at(10_000));
            store.heartbeat("me", at(10_000));
            List<ClaimedTask> dead = claim("dead", 2, T0);
            List<ClaimedTask> orphan = claimRunning("orphan", 1, T0);
            List<ClaimedTask> alive = claim("alive", 1, T0);
            List<ClaimedTask> mine = claim("me", 1, T0);
            apply(at(1), TaskUpdate.running(dead.get(0).taskId(), 1, "exec-dead", null));

            List<ClaimedTask> taken = takeOver("me", at(5_000), at(10_001));

            assertThat(taken).extracting(ClaimedTask::taskId)
                    .containsExactlyInAnyOrder(dead.get(0).taskId(), dead.get(1).taskId(), orphan.get(0).taskId());
            ClaimedTask running = taken.stream().filter(t -> t.taskId() == dead.get(0).taskId()).findFirst().orElseThrow();
            assertThat(running.status()).isEqualTo(TaskStatus.RUNNING);
            assertThat(running.executionName()).isEqualTo("exec-dead");
            assertThat(running.attempt()).isEqualTo(1);
            assertThat(running.runId()).isEqualTo(run.id());
            assertThat(running.params()).isEmpty();
            assertThat(running.workflowVersionId()).isEqualTo(run.workflowVersionId());
            assertThat(running.startedAt()).as("the attempt's claim time, for its timeout").isEqualTo(T0);
            assertThat(running.lostAttempts()).isZero();
            for (ClaimedTask t : taken) {
                TaskRow info = task(t);
                assertThat(info.owner()).isEqualTo("me");
                assertThat(info.attempt()).isEqualTo(1);
                assertThat(info.status()).isEqualTo(t.taskId() == dead.get(1).taskId() ? TaskStatus.DISPATCHED
                        : TaskStatus.RUNNING);
            }

            // The dead node's task that never started is returned as dispatched, and the taker
            // releases it: pending, its attempt unused.
            ClaimedTask never = taken.stream().filter(t -> t.taskId() == dead.get(1).taskId()).findFirst().orElseThrow();
            assertThat(never.status()).isEqualTo(TaskStatus.DISPATCHED);
            assertThat(never.executionName()).isNull();
            apply(at(10_001), TaskUpdate.released(never.taskId(), never.attempt(), "me"));
            TaskRow released = task(dead.get(1));
            assertThat(released.status()).isEqualTo(TaskStatus.PENDING);
            assertThat(released.attempt()).isZero();
            assertThat(released.owner()).isNull();
            assertThat(store.listAttempts(released.id())).isEmpty();
            assertThat(claim("me", 10, at(10_002))).extracting(ClaimedTask::taskId, ClaimedTask::attempt)
                    .contains(org.assertj.core.api.Assertions.tuple(released.id(), 1));

            assertThat(task(alive.get(0)).owner()).isEqualTo("alive");
            assertThat(task(mine.get(0)).owner()).isEqualTo("me");
            assertThat(takeOver("me", at(5_000), at(10_002))).isEmpty();

            // the new owner can finish a taken-over attempt
            apply(at(10_003), succeeded(running));
            assertThat(task(running).status()).isEqualTo(TaskStatus.SUCCEEDED);
        }

        @Test
        void deadNodeRowsAreDeleted() {
            run(workflow("etl"), T0, 2);
            assertThat(store.heartbeat("dead", T0)).as("a new node's row did not exist").isFalse();
            assertThat(store.heartbeat("dead", at(1))).as("then it does").isTrue();
            store.heartbeat("me", at(10_000));
            claimRunning("dead", 1, T0);
            takeOver("me", at(5_000), at(10_000));

            // "dead" comes back: its heartbeat says its row was gone (others declared it dead),
            // and until it renews, a new task of it is an orphan.
            ClaimedTask late = claimRunning("dead", 1, at(10_000)).get(0);
            List<ClaimedTask> taken = takeOver("me", T0, at(10_001));
            assertThat(taken).extracting(ClaimedTask::taskId).containsExactly(late.taskId());
            assertThat(store.heartbeat("dead", at(10_002))).isFalse();
        }

        @Test
        void neverTakesTheCallersOwnTasksNorTheTasksOfLiveNodes() {
            run(workflow("etl"), T0, 3);
            store.heartbeat("a", at(1_000));
            claimRunning("me", 1, T0);
            ClaimedTask ofA = claimRunning("a", 1, T0).get(0);

            assertThat(takeOver("me", at(1_000), at(2_000))).isEmpty();
            assertThat(takeOver("me", at(1_001), at(2_000))).extracting(ClaimedTask::taskId)
                    .containsExactly(ofA.taskId());
        }

        @Test
        void endedAndPendingTasksAreNotTakenOver() {
            run(workflow("etl"), T0, 3);
            List<ClaimedTask> cs = claim("dead", 2, T0);
            apply(at(1), succeeded(cs.get(0)));
            apply(at(1), TaskUpdate.ended(cs.get(1).taskId(), 1, AttemptOutcome.FAILED, 1, "x", null, at(5)));

            assertThat(takeOver("me", at(10), at(10))).isEmpty();
        }

        @Test
        void aHeartbeatKeepsANodeAlive() {
            run(workflow("etl"), T0, 1);
            store.heartbeat("n", T0);
            claimRunning("n", 1, T0);
            store.heartbeat("n", at(60_000));

            assertThat(takeOver("me", at(30_000), at(60_001))).isEmpty();
            assertThat(takeOver("me", at(60_001), at(60_002))).hasSize(1);
        }

        @Test
        void removeNodeTurnsItsTasksIntoOrphans() {
            run(workflow("etl"), T0, 1);
            store.heartbeat("n", at(1_000));
            ClaimedTask c = claimRunning("n", 1, T0).get(0);
            assertThat(takeOver("me", at(500), at(1_000))).isEmpty();

            store.removeNode("n");
            store.removeNode("never-there");

            assertThat(takeOver("me", at(500), at(1_000))).extracting(ClaimedTask::taskId)
                    .containsExactly(c.taskId());
        }

        @Test
        void aTakenOverTaskCarriesItsCountOfLostAttempts() {
            run(workflow("etl"), T0, 1);
            ClaimedTask first = claimRunning("dead", 1, T0).get(0);
            apply(at(1), TaskUpdate.ended(first.taskId(), 1, AttemptOutcome.LOST, null, "lost", null, at(1)));
            ClaimedTask second = claimRunning("dead", 1, at(2)).get(0);
            assertThat(second.attempt()).isEqualTo(2);

            assertThat(takeOver("me", at(5_000), at(10_000))).singleElement()
                    .satisfies(t -> assertThat(t.lostAttempts()).isEqualTo(1));
        }

        @Test
        void theExecutorStateReportedWithRunningIsReturnedByTakeOverAndInFlightOf() {
            run(workflow("etl"), T0, 2);
            store.heartbeat("dead", T0);
            store.heartbeat("me", at(10_000));
            List<ClaimedTask> cs = claim("dead", 2, T0);
            apply(at(1), TaskUpdate.running(cs.get(0).taskId(), 1, "exec-a", null, "offset=7 launch=L1"));
            apply(at(1), TaskUpdate.running(cs.get(1).taskId(), 1, "exec-b", null));

            List<ClaimedTask> taken = takeOver("me", at(5_000), at(10_001));

            assertThat(taken).extracting(ClaimedTask::taskId, ClaimedTask::executorState).containsExactly(
                    org.assertj.core.api.Assertions.tuple(cs.get(0).taskId(), "offset=7 launch=L1"),
                    org.assertj.core.api.Assertions.tuple(cs.get(1).taskId(), null));
            assertThat(store.inFlightOf("me")).extracting(ClaimedTask::executorState)
                    .containsExactly("offset=7 launch=L1", null);
        }

        @Test
        void aNewAttemptDoesNotInheritTheExecutorStateOfAnEarlierOne() {
            run(workflow("etl"), T0, 1);
            ClaimedTask first = claim("n", 1, T0).get(0);
            apply(at(1), TaskUpdate.running(first.taskId(), 1, "exec-1", null, "state-1"));
            apply(at(2), TaskUpdate.ended(first.taskId(), 1, AttemptOutcome.FAILED, 1, "boom", null, at(3)));
            ClaimedTask second = claim("n", 1, at(3)).get(0);

            assertThat(store.inFlightOf("n")).singleElement().satisfies(t -> {
                assertThat(t.taskId()).isEqualTo(second.taskId());
                assertThat(t.status()).isEqualTo(TaskStatus.DISPATCHED);
                assertThat(t.executorState()).isNull();
            });
        }

        @Test
        void inFlightOfListsWhatANodeOwns() {
            run(workflow("etl"), T0, 4);
            List<ClaimedTask> running = claimRunning("n", 1, T0);
            List<ClaimedTask> dispatched = claim("n", 1, T0);
            claim("other", 1, T0);

            assertThat(store.inFlightOf("n")).extracting(ClaimedTask::taskId, ClaimedTask::status).containsExactly(
                    org.assertj.core.api.Assertions.tuple(running.get(0).taskId(), TaskStatus.RUNNING),
                    org.assertj.core.api.Assertions.tuple(dispatched.get(0).taskId(), TaskStatus.DISPATCHED));
            assertThat(store.inFlightOf("nobody")).isEmpty();
        }

        @Test
        void aReleasedAttemptLeavesNoTraceAndTheTaskIsClaimedAgain() {
            RunRow run = run(workflow("etl"), T0, 1);
            ClaimedTask c = claimRunning("n", 1, T0).get(0);
            apply(at(1), TaskUpdate.released(c.taskId(), c.attempt(), "n"));

            TaskRow t = task(c);
            assertThat(t.status()).isEqualTo(TaskStatus.PENDING);
            assertThat(t.attempt()).isZero();
            assertThat(t.owner()).isNull();
            assertThat(store.listAttempts(c.taskId())).isEmpty();
            assertThat(findRun(run.id()).finished()).isZero();
            // A late or repeated release changes nothing, even once the task is claimed again
            // under the same attempt number: it names the node that held the attempt.
            ClaimedTask again = claim("m", 1, at(2)).get(0);
            assertThat(again.attempt()).isEqualTo(1);
            apply(at(3), TaskUpdate.released(c.taskId(), 1, "n"));
            apply(at(3), TaskUpdate.released(c.taskId(), 0, "m"));
            assertThat(task(c).owner()).isEqualTo("m");
            assertThat(task(c).status()).isEqualTo(TaskStatus.DISPATCHED);
        }

        @Test
        void claimsTakeOnlyTasksOfTheExecutorTypesTheNodeHas() {
            WorkflowRow wf = workflow("mixed");
            run(wf, T0, new NewStep("local", 2, List.of(), "process"), new NewStep("remote", 2, List.of(), "cloudrun"),
                    new NewStep("any", 1, List.of()));

            List<ClaimedTask> local = store.claimReady("local-node", Set.of("process"), 10, at(1));
            assertThat(local).extracting(ClaimedTask::stepIndex).containsExactlyInAnyOrder(0, 0, 2);
            assertThat(store.claimReady("local-node", Set.of("process"), 10, at(2))).isEmpty();
            assertThat(store.claimReady("remote-node", Set.of("cloudrun", "process"), 10, at(3)))
                    .extracting(ClaimedTask::stepIndex).containsExactly(1, 1);
        }

        @Test
        void concurrentTakeOversReturnEachTaskOnce() throws Exception {
            run(workflow("etl"), T0, 600);
            store.heartbeat("dead", T0);
            List<ClaimedTask> lost = claimAll("dead", T0);
            apply(T0, lost, c -> TaskUpdate.running(c.taskId(), c.attempt(), "exec", null));
            assertThat(lost).hasSize(600);
            int threads = 4;
            for (int i = 0; i < threads; i++) {
                store.heartbeat("taker-" + i, at(10_000));
            }

            List<List<ClaimedTask>> results = Concurrently.run(threads,
                    i -> () -> takeOver("taker-" + i, at(5_000), at(10_000)));

            List<Long> all = results.stream().flatMap(List::stream).map(ClaimedTask::taskId).toList();
            assertThat(all).doesNotHaveDuplicates().hasSize(600);
            for (int i = 0; i < threads; i++) {
                String node = "taker-" + i;
                for (ClaimedTask t : results.get(i)) {
                    assertThat(task(t).owner()).isEqualTo(node);
                }
            }
        }
    }

    // ---------------------------------------------------------------- listings

    @Nested
    @DisplayName("run control")
    class RunControl {

        private void running(List<ClaimedTask> cs, Instant now) {
            apply(now, cs, c -> TaskUpdate.running(c.taskId(), c.attempt(), "exec", null));
        }

        @Test
        void cancellingARunCancelsWhatHasNotStartedAndAsksOwnersToStopTheRest() {
            RunRow run = run(workflow("etl"), T0, 4);
            List<ClaimedTask> started = claim("n", 1, T0);
            running(started, at(1));

            CancelOutcome o = store.cancelRun(run.id(), at(2));
            assertThat(o.exists()).isTrue();
            assertThat(o.changed()).isTrue();
            assertThat(o.cancelled()).isEqualTo(3);
            assertThat(o.stopping()).isEqualTo(1);
            assertThat(findRun(run.id()).status()).isEqualTo(RunStatus.RUNNING);
            assertThat(store.listTasks(run.id())).filteredOn(t -> t.status() == TaskStatus.CANCELLED).hasSize(3)
                    .allSatisfy(t -> assertThat(store.listAttempts(t.id())).singleElement()
                            .satisfies(a -> assertThat(a.outcome()).isEqualTo(AttemptOutcome.CANCELLED)));
            assertThat(claim("other", 10, at(3))).as("nothing left to claim").isEmpty();

            ClaimedTask c = started.getFirst();
            assertThat(store.cancelRequested("n")).containsExactly(Map.entry(c.taskId(), c.attempt()));
            assertThat(store.cancelRequested("other")).isEmpty();
            List<Long> ended = apply(at(4), TaskUpdate.ended(c.taskId(), c.attempt(), AttemptOutcome.CANCELLED, 143,
                    "cancelled", null, null));
            assertThat(ended).containsExactly(run.id());
            RunRow after = findRun(run.id());
            assertThat(after.status()).isEqualTo(RunStatus.CANCELLED);
            assertThat(after.finished()).isEqualTo(4);
            assertThat(after.failed()).isZero();
            assertThat(store.cancelRequested("n")).isEmpty();
        }

        @Test
        void aRunOfWaitingStepsIsCancelledAtOnceAndStaysCancelled() {
            WorkflowRow wf = workflow("dag");
            RunRow run = run(wf, T0, step("a", 1), step("b", 2, 0), step("c", 1, 1));
            List<ClaimedTask> a = claim("n", 1, T0);
            running(a, at(1));
            store.cancelRun(run.id(), at(2));
            // The upstream task fails after the cancel: nothing is skipped twice, the run ends cancelled.
            apply(at(3), failed(a.getFirst()));
            RunRow after = findRun(run.id());
            assertThat(after.status()).isEqualTo(RunStatus.CANCELLED);
            assertThat(after.finished()).isEqualTo(after.taskCount());
            assertThat(statusesByStep(run.id())).containsEntry(1, Set.of(TaskStatus.CANCELLED))
                    .containsEntry(2, Set.of(TaskStatus.CANCELLED));
        }

        @Test
        void cancellingAnEndedRunChangesNothing() {
            RunRow run = run(workflow("etl"), T0, 1);
            apply(at(1), succeeded(claim("n", 1, T0).getFirst()));
            CancelOutcome o = store.cancelRun(run.id(), at(2));
            assertThat(o.changed()).isFalse();
            assertThat(o.statusBefore()).isEqualTo("SUCCEEDED");
            assertThat(findRun(run.id()).status()).isEqualTo(RunStatus.SUCCEEDED);
            assertThat(store.cancelRun(999_999, at(3)).exists()).isFalse();
        }

        @Test
        void cancellingOneTaskLetsTheRunGoOnAndEndFailed() {
            RunRow run = run(workflow("etl"), T0, 2);
            long pending = store.listTasks(run.id()).getFirst().id();
            CancelOutcome o = store.cancelTask(pending, at(1));
            assertThat(o.changed()).isTrue();
            assertThat(o.cancelled()).isEqualTo(1);
            ClaimedTask other = claim("n", 1, at(2)).getFirst();
            assertThat(other.taskId()).isNotEqualTo(pending);
            apply(at(3), succeeded(other));
            assertThat(findRun(run.id()).status()).isEqualTo(RunStatus.FAILED);
            assertThat(store.cancelTask(pending, at(4)).changed()).isFalse();
        }

        @Test
        void aRetryRunsTheFailedTasksAgainAndTheRunCanSucceed() {
            RunRow run = run(workflow("etl"), T0, 3);
            List<ClaimedTask> cs = claimAll("n", T0);
            apply(at(1), succeeded(cs.get(0)), failed(cs.get(1)), failed(cs.get(2)));
            assertThat(findRun(run.id()).status()).isEqualTo(RunStatus.FAILED);

            assertThat(store.retryRun(run.id(), at(2))).isEqualTo(2);
            RunRow again = findRun(run.id());
            assertThat(again.status()).isEqualTo(RunStatus.RUNNING);
            assertThat(again.finished()).isEqualTo(1);
            assertThat(again.failed()).isZero();
            List<ClaimedTask> second = claimAll("n", at(3));
            assertThat(second).extracting(ClaimedTask::taskId)
                    .containsExactlyInAnyOrder(cs.get(1).taskId(), cs.get(2).taskId());
            assertThat(second).allSatisfy(c -> assertThat(c.attempt()).isEqualTo(2));
            assertThat(apply(at(4), second, StoreContractTest::succeeded)).containsExactly(run.id());
            assertThat(findRun(run.id()).status()).isEqualTo(RunStatus.SUCCEEDED);
            assertThat(store.retryRun(run.id(), at(5))).isZero();
        }

        @Test
        void aRetryOfAFailedStepRunsItsSkippedDependentsWhenItSucceeds() {
            RunRow run = run(workflow("dag"), T0, step("a", 1), step("b", 2, 0));
            apply(at(1), failed(claim("n", 1, T0).getFirst()));
            assertThat(statusesByStep(run.id())).containsEntry(1, Set.of(TaskStatus.SKIPPED));

            assertThat(store.retryRun(run.id(), at(2))).isEqualTo(3);
            assertThat(statusesByStep(run.id())).containsEntry(0, Set.of(TaskStatus.PENDING))
                    .containsEntry(1, Set.of(TaskStatus.WAITING));
            apply(at(3), succeeded(claim("n", 10, at(3)).getFirst()));
            List<ClaimedTask> b = claimAll("n", at(4));
            assertThat(b).hasSize(2);
            assertThat(apply(at(5), b, StoreContractTest::succeeded)).containsExactly(run.id());
            assertThat(findRun(run.id()).status()).isEqualTo(RunStatus.SUCCEEDED);
        }

        @Test
        void aPausedWorkflowIsPausedByNameUntilResumed() {
            workflow("etl");
            assertThat(store.isWorkflowPaused("etl")).isFalse();
            assertThat(store.setWorkflowPaused("etl", true, T0)).isTrue();
            assertThat(store.setWorkflowPaused("etl", true, T0)).isFalse();
            assertThat(store.isWorkflowPaused("etl")).isTrue();
            assertThat(store.setWorkflowPaused("etl", false, at(1))).isTrue();
            assertThat(store.isWorkflowPaused("etl")).isFalse();
        }
    }

    @Nested
    @DisplayName("listings")
    class Listings {

        @Test
        void listRunsFiltersLimitsAndReturnsNewestFirst() {
            WorkflowRow a = workflow("a");
            WorkflowRow b = workflow("b");
            RunRow a1 = run(a, at(1_000), 1);
            RunRow b1 = run(b, at(2_000), 1);
            RunRow a2 = run(a, at(3_000), 1);
            RunRow a3 = run(a, at(4_000), 1);
            ClaimedTask c = claim("n", 1, at(1_000)).get(0);
            assertThat(c.runId()).isEqualTo(a1.id());
            apply(at(5_000), succeeded(c));

            assertThat(store.listRuns(filter(null, null, 10))).extracting(RunRow::id)
                    .containsExactly(a3.id(), a2.id(), b1.id(), a1.id());
            assertThat(store.listRuns(filter("a", null, 10))).extracting(RunRow::id)
                    .containsExactly(a3.id(), a2.id(), a1.id());
            assertThat(store.listRuns(filter("a", null, 2))).extracting(RunRow::id)
                    .containsExactly(a3.id(), a2.id());
            assertThat(store.listRuns(filter(null, RunStatus.SUCCEEDED, 10))).extracting(RunRow::id)
                    .containsExactly(a1.id());
            assertThat(store.listRuns(filter("a", RunStatus.PENDING, 10))).extracting(RunRow::id)
                    .containsExactly(a3.id(), a2.id());
            assertThat(store.listRuns(filter("b", RunStatus.SUCCEEDED, 10))).isEmpty();
            assertThat(store.listRuns(filter("nope", null, 10))).isEmpty();
            assertThat(store.listRuns(filter(null, null, 10)).get(3)).isEqualTo(findRun(a1.id()));
        }

        private List<Long> ids(RunFilter filter) {
            return store.listRuns(filter).stream().map(RunRow::id).toList();
        }

        private RunRow runBy(WorkflowRow wf, String triggeredBy, Instant now) {
            return store.createRun(new NewRun(wf.versionId(), triggeredBy, Map.of(), null, List.of(step("s", 1))),
                    now).run();
        }

        @Test
        void listRunsIsHighestIdFirstWhateverTheCreationTime() {
            WorkflowRow a = workflow("a");
            RunRow first = run(a, at(5_000), 1);
            RunRow second = run(a, at(1_000), 1);
            RunRow third = run(a, at(3_000), 1);

            assertThat(ids(RunFilter.latest(10))).containsExactly(third.id(), second.id(), first.id());
        }

        @Test
        void listRunsFiltersByTriggeredBy() {
            WorkflowRow a = workflow("a");
            RunRow m1 = runBy(a, "manual", at(1));
            RunRow s1 = runBy(a, "schedule:nightly", at(2));
            RunRow m2 = runBy(a, "manual", at(3));
            runBy(a, "api:" + NASTY, at(4));

            assertThat(ids(new RunFilter(null, null, "manual", null, null, null, 10))).containsExactly(m2.id(), m1.id());
            assertThat(ids(new RunFilter(null, null, "schedule:nightly", null, null, null, 10))).containsExactly(s1.id());
            assertThat(ids(new RunFilter(null, null, "api:" + NASTY, null, null, null, 10))).hasSize(1);
            assertThat(ids(new RunFilter(null, null, "manua", null, null, null, 10))).isEmpty();
            assertThat(ids(new RunFilter("a", RunStatus.PENDING, "manual", null, null, null, 1))).containsExactly(m2.id());
        }

        @Test
        void listRunsFiltersByCreationTimeAfterInclusiveAndBeforeExclusive() {
            WorkflowRow a = workflow("a");
            RunRow r1 = run(a, at(1_000), 1);
            RunRow r2 = run(a, at(2_000), 1);
            RunRow r3 = run(a, at(3_000), 1);
            RunRow r4 = run(a, at(4_000), 1);

            assertThat(ids(new RunFilter(null, null, null, at(2_000), null, null, 10)))
                    .containsExactly(r4.id(), r3.id(), r2.id());
            assertThat(ids(new RunFilter(null, null, null, at(2_001), null, null, 10))).containsExactly(r4.id(), r3.id());
            assertThat(ids(new RunFilter(null, null, null, null, at(3_000), null, 10))).containsExactly(r2.id(), r1.id());
            assertThat(ids(new RunFilter(null, null, null, null, at(3_001), null, 10)))
                    .containsExactly(r3.id(), r2.id(), r1.id());
            assertThat(ids(new RunFilter(null, null, null, at(2_000), at(4_000), null, 10)))
                    .containsExactly(r3.id(), r2.id());
            assertThat(ids(new RunFilter("a", null, null, at(4_000), at(4_000), null, 10))).isEmpty();
            assertThat(ids(new RunFilter("b", null, null, at(0), null, null, 10))).isEmpty();
        }

        @Test
        void listRunsPagesWithTheBeforeIdCursor() {
            WorkflowRow a = workflow("a");
            WorkflowRow b = workflow("b");
            List<Long> aRuns = new ArrayList<>();
            for (int i = 0; i < 7; i++) {
                aRuns.add(0, run(a, at(i * 10L), 1).id());
                run(b, at(i * 10L + 1), 1);
            }

            List<Long> seen = new ArrayList<>();
            Long cursor = null;
            int pages = 0;
            while (true) {
                List<Long> page = ids(new RunFilter("a", null, null, null, null, cursor, 3));
                if (page.isEmpty()) {
                    break;
                }
                pages++;
                assertThat(page).hasSizeLessThanOrEqualTo(3);
                seen.addAll(page);
                cursor = page.get(page.size() - 1);
            }

            assertThat(pages).isEqualTo(3);
            assertThat(seen).containsExactlyElementsOf(aRuns);
            assertThat(ids(new RunFilter(null, null, null, null, null, aRuns.get(0), 2)))
                    .as("the cursor excludes its own run").doesNotContain(aRuns.get(0)).hasSize(2);
            assertThat(ids(new RunFilter(null, null, null, null, null, 1L, 10))).isEmpty();
        }

        @Test
        void runFilterChecksItsLimit() {
            assertThatThrownBy(() -> RunFilter.latest(0)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("limit").hasMessageContaining("got 0");
            assertThatThrownBy(() -> RunFilter.latest(RunFilter.MAX_LIMIT + 1))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("10000");
            run(workflow("a"), T0, 1);
            assertThat(store.listRuns(RunFilter.latest(RunFilter.MAX_LIMIT))).hasSize(1);
        }

        @Test
        void listTasksOrdersByStepThenTaskIndexNumerically() {
            RunRow run = run(workflow("etl"), T0, step("first", 12), step("second", 3, 0));

            List<TaskRow> tasks = store.listTasks(run.id());

            assertThat(tasks).extracting(TaskRow::stepIndex)
                    .containsExactly(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1);
            assertThat(tasks).extracting(TaskRow::taskIndex)
                    .containsExactly(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 0, 1, 2);
            assertThat(store.listTasks(987_654L)).isEmpty();
        }

        @Test
        void listAttemptsIsOldestFirst() {
            run(workflow("etl"), T0, 1);
            ClaimedTask c = claim("n", 1, T0).get(0);
            for (int attempt = 1; attempt <= 3; attempt++) {
                apply(at(attempt * 10L), TaskUpdate.ended(c.taskId(), attempt, AttemptOutcome.FAILED, attempt,
                        "e" + attempt, null, at(attempt * 10L + 1)));
                List<ClaimedTask> next = claim("n", 1, at(attempt * 10L + 1));
                assertThat(next).extracting(ClaimedTask::attempt).containsExactly(attempt + 1);
            }

            assertThat(store.listAttempts(c.taskId())).extracting(AttemptRow::attempt, AttemptRow::outcome)
                    .containsExactly(
                            org.assertj.core.groups.Tuple.tuple(1, AttemptOutcome.FAILED),
                            org.assertj.core.groups.Tuple.tuple(2, AttemptOutcome.FAILED),
                            org.assertj.core.groups.Tuple.tuple(3, AttemptOutcome.FAILED),
                            org.assertj.core.groups.Tuple.tuple(4, AttemptOutcome.RUNNING));
            assertThat(store.listAttempts(987_654L)).isEmpty();
        }
    }

    // ---------------------------------------------------------------- dashboard listings

    @Nested
    @DisplayName("dashboard listings")
    class DashboardListings {

        @Test
        void listStepsReadsTheCountersDependenciesAndInFlightTasks() {
            RunRow run = run(workflow("etl"), T0, step("extract", 4), step("load", 2, 0));
            List<ClaimedTask> claimed = claim("n1", 3, T0);
            apply(at(10), succeeded(claimed.get(0)), failed(claimed.get(1)));

            List<StepRow> steps = store.listSteps(run.id());

            assertThat(steps).extracting(StepRow::stepIndex, StepRow::name, StepRow::taskCount, StepRow::finished,
                            StepRow::succeeded, StepRow::failed, StepRow::inFlight)
                    .containsExactly(
                            org.assertj.core.groups.Tuple.tuple(0, "extract", 4, 2, 1, 1, 1),
                            org.assertj.core.groups.Tuple.tuple(1, "load", 2, 0, 0, 0, 0));
            assertThat(steps.get(0).dependsOn()).isEmpty();
            assertThat(steps.get(1).dependsOn()).containsExactly(0);
            assertThat(steps.get(1).status()).isEqualTo("WAITING");
            assertThat(store.listSteps(987_654L)).isEmpty();
            assertThat(store.listTasks(new TaskFilter(run.id(), null, TaskStatus.DISPATCHED, null, null, 10)))
                    .extracting(TaskRow::id).containsExactly(claimed.get(2).taskId());
        }

        @Test
        void listTasksPagesByStepThenIndexAfterTheCursor() {
            RunRow run = run(workflow("etl"), T0, step("first", 12), step("second", 3, 0));
            run(workflow("other"), T0, 5);

            List<TaskRow> first = store.listTasks(new TaskFilter(run.id(), null, null, null, null, 10));
            List<TaskRow> second = store.listTasks(new TaskFilter(run.id(), null, null,
                    first.getLast().stepIndex(), first.getLast().taskIndex(), 10));

            assertThat(first).extracting(TaskRow::taskIndex).containsExactly(0, 1, 2, 3, 4, 5, 6, 7, 8, 9);
            assertThat(second).extracting(TaskRow::stepIndex, TaskRow::taskIndex).containsExactly(
                    org.assertj.core.groups.Tuple.tuple(0, 10), org.assertj.core.groups.Tuple.tuple(0, 11),
                    org.assertj.core.groups.Tuple.tuple(1, 0), org.assertj.core.groups.Tuple.tuple(1, 1),
                    org.assertj.core.groups.Tuple.tuple(1, 2));
            assertThat(second).extracting(TaskRow::stepName).containsOnly("first", "second");
            assertThat(store.listTasks(new TaskFilter(run.id(), 1, null, null, null, 100)))
                    .extracting(TaskRow::taskIndex).containsExactly(0, 1, 2);
        }

        @Test
        void listTasksFiltersByStatus() {
            RunRow run = run(workflow("etl"), T0, 5);
            List<ClaimedTask> claimed = claim("n1", 3, T0);
            apply(at(10), failed(claimed.get(0)), succeeded(claimed.get(1)), failed(claimed.get(2)));

            List<TaskRow> failed = store.listTasks(new TaskFilter(run.id(), null, TaskStatus.FAILED, null, null, 10));

            assertThat(failed).extracting(TaskRow::id).containsExactly(claimed.get(0).taskId(), claimed.get(2).taskId());
            assertThat(failed).allSatisfy(t -> assertThat(t.error()).isEqualTo("boom"));
            assertThat(store.listTasks(new TaskFilter(run.id(), null, TaskStatus.PENDING, null, null, 10)))
                    .extracting(TaskRow::taskIndex).containsExactly(3, 4);
        }

        @Test
        void taskFilterChecksItsLimitAndCursor() {
            assertThatThrownBy(() -> new TaskFilter(1, null, null, null, null, 0))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("limit");
            assertThatThrownBy(() -> new TaskFilter(1, null, null, 1, null, 10))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("afterStep");
        }

        @Test
        void listNodesCountsEachNodesInFlightTasks() {
            run(workflow("etl"), T0, 5);
            store.heartbeat("n1", T0);
            store.heartbeat("n2", at(5));
            claim("n1", 3, T0);

            List<NodeRow> nodes = store.listNodes();

            assertThat(nodes).extracting(NodeRow::id, NodeRow::inFlight).containsExactly(
                    org.assertj.core.groups.Tuple.tuple("n1", 3), org.assertj.core.groups.Tuple.tuple("n2", 0));
            assertThat(nodes.get(1).heartbeatAt()).isEqualTo(at(5));
        }
    }

    @Test
    protected void farFutureInstantsRoundTrip() {
        Instant later = T0.plus(Duration.ofDays(40_000)).plusMillis(1);
        RunRow run = run(workflow("etl"), later, 1);
        assertThat(findRun(run.id()).createdAt()).isEqualTo(later);
    }

    // ---------------------------------------------------------------- schedules

    protected static ScheduleRow scheduleRow(String name, Instant nextFireAt) {
        return new ScheduleRow(name, "etl", "{\"name\":\"" + name + "\"}", false, nextFireAt, null, null, T0);
    }

    @Nested
    @DisplayName("schedules")
    class Schedules {

        @Test
        void aCreatedScheduleRoundTripsExactly() {
            ScheduleRow created = store.createSchedule(new ScheduleRow(NASTY, "etl", NASTY, false, at(1_001), at(5),
                    77L, at(3)));

            assertThat(created).isEqualTo(new ScheduleRow(NASTY, "etl", NASTY, false, at(1_001), null, null, at(3)));
            assertThat(store.findSchedule(NASTY)).contains(created);
            assertThat(store.findSchedule("nope")).isEmpty();
        }

        @Test
        void aDuplicateNameIsRefusedAndNothingIsWritten() {
            store.createSchedule(scheduleRow("nightly", at(1_000)));

            assertThatThrownBy(() -> store.createSchedule(new ScheduleRow("nightly", "other", "{}", true, at(9),
                    null, null, at(9))))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'nightly'")
                    .hasMessageContaining("already exists");
            assertThat(store.listSchedules()).singleElement().satisfies(r -> {
                assertThat(r.workflow()).isEqualTo("etl");
                assertThat(r.nextFireAt()).isEqualTo(at(1_000));
            });
        }

        @Test
        void listIsByNameAndDeleteRemovesOne() {
            store.createSchedule(scheduleRow("b", at(1)));
            store.createSchedule(scheduleRow("a", at(2)));
            store.createSchedule(scheduleRow("c", null));

            assertThat(store.listSchedules()).extracting(ScheduleRow::name).containsExactly("a", "b", "c");
            assertThat(store.deleteSchedule("b")).isTrue();
            assertThat(store.deleteSchedule("b")).isFalse();
            assertThat(store.listSchedules()).extracting(ScheduleRow::name).containsExactly("a", "c");
        }

        @Test
        void dueSchedulesAreTheUnpausedOnesAtOrBeforeNowEarliestFirst() {
            store.createSchedule(scheduleRow("late", at(2_000)));
            store.createSchedule(scheduleRow("early", at(1_000)));
            store.createSchedule(scheduleRow("exact", at(3_000)));
            store.createSchedule(scheduleRow("future", at(3_001)));
            store.createSchedule(scheduleRow("ended", null));
            store.createSchedule(scheduleRow("paused", at(500)));
            store.setSchedulePaused("paused", true, null);

            assertThat(store.dueSchedules(at(3_000), 10)).extracting(ScheduleRow::name)
                    .containsExactly("early", "late", "exact");
            assertThat(store.dueSchedules(at(3_000), 2)).extracting(ScheduleRow::name).containsExactly("early", "late");
            assertThat(store.dueSchedules(at(999), 10)).isEmpty();
        }

        @Test
        void pausingKeepsTheNextFireAndResumingSetsIt() {
            store.createSchedule(scheduleRow("s", at(1_000)));

            assertThat(store.setSchedulePaused("s", true, at(9_999))).isTrue();
            assertThat(store.findSchedule("s").orElseThrow()).satisfies(r -> {
                assertThat(r.paused()).isTrue();
                assertThat(r.nextFireAt()).isEqualTo(at(1_000));
            });
            assertThat(store.nextScheduleFire()).isEmpty();

            assertThat(store.setSchedulePaused("s", false, at(5_000))).isTrue();
            assertThat(store.findSchedule("s").orElseThrow()).satisfies(r -> {
                assertThat(r.paused()).isFalse();
                assertThat(r.nextFireAt()).isEqualTo(at(5_000));
            });
            assertThat(store.setSchedulePaused("nope", true, null)).isFalse();
        }

        @Test
        void advanceIsACompareAndSetOnTheNextFire() {
            store.createSchedule(scheduleRow("s", at(1_000)));

            assertThat(store.advanceSchedule("s", at(999), at(2_000), at(1_000), null)).isFalse();
            assertThat(store.advanceSchedule("s", at(1_000), at(2_000), at(1_000), null)).isTrue();
            assertThat(store.advanceSchedule("s", at(1_000), at(3_000), at(1_000), null)).isFalse();
            assertThat(store.findSchedule("s").orElseThrow()).satisfies(r -> {
                assertThat(r.nextFireAt()).isEqualTo(at(2_000));
                assertThat(r.lastFireAt()).isEqualTo(at(1_000));
                assertThat(r.lastRunId()).isNull();
                assertThat(r.firePending()).isTrue();
            });

            assertThat(store.advanceSchedule("s", at(2_000), null, at(1_000), 42L)).isTrue();
            assertThat(store.advanceSchedule("s", null, null, at(1_000), 43L)).isTrue(); // null matches null
            assertThat(store.findSchedule("s").orElseThrow()).satisfies(r -> {
                assertThat(r.nextFireAt()).isNull();
                assertThat(r.lastRunId()).isEqualTo(43L);
                assertThat(r.firePending()).isFalse();
            });
            assertThat(store.advanceSchedule("nope", null, null, null, null)).isFalse();
        }

        @Test
        void aFireWithoutItsRunIsDueWhateverItsNextFireOrPause() {
            store.createSchedule(scheduleRow("s", at(1_000)));
            store.advanceSchedule("s", at(1_000), at(60_000), at(1_000), null);
            store.setSchedulePaused("s", true, null);

            assertThat(store.dueSchedules(at(1_001), 10)).extracting(ScheduleRow::name).containsExactly("s");

            store.advanceSchedule("s", at(60_000), at(60_000), at(1_000), 7L);
            assertThat(store.dueSchedules(at(1_001), 10)).isEmpty();
        }

        @Test
        void concurrentAdvancesWithTheSameExpectedFireHaveOneWinner() throws Exception {
            store.createSchedule(scheduleRow("s", at(1_000)));

            List<Boolean> won = Concurrently.run(6, i -> () -> store.advanceSchedule("s", at(1_000), at(2_000 + i),
                    at(1_000), null));

            assertThat(won.stream().filter(w -> w).count()).isEqualTo(1);
        }

        @Test
        void nextScheduleFireIsTheEarliestOfTheUnpaused() {
            assertThat(store.nextScheduleFire()).isEmpty();
            store.createSchedule(scheduleRow("a", at(5_000)));
            store.createSchedule(scheduleRow("b", at(2_000)));
            store.createSchedule(scheduleRow("none", null));
            store.createSchedule(scheduleRow("p", at(1_000)));
            store.setSchedulePaused("p", true, null);

            assertThat(store.nextScheduleFire()).contains(at(2_000));
        }
    }
}
