package dev.orchestrator.jdbc;

import dev.orchestrator.AttemptOutcome;
import dev.orchestrator.spi.ClaimedTask;
import dev.orchestrator.spi.NewRun;
import dev.orchestrator.spi.NewStep;
import dev.orchestrator.spi.Store;
import dev.orchestrator.spi.TaskUpdate;
import dev.orchestrator.spi.WorkflowRow;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A RUNNING and an ENDED update of the same attempt in one batch are written together; the rows
 * must come out exactly as when the updates are applied one batch after the other (RUNNING, then
 * HEARTBEAT, then ENDED, the order a batch applies them in). Each case runs on two fresh stores,
 * one given everything in one batch, the other in separate batches, and every row of both is
 * compared.
 */
class MergedUpdatesTest {

    private static final Instant T0 = Instant.parse("2026-03-08T06:59:59.123Z");
    private static final String NASTY = "it's \"quoted\"; DROP TABLE runs; -- \\ % _ ? $1 :x Grüße 日本語 😀";
    private static final List<String> SCHEMAS = new CopyOnWriteArrayList<>();

    @TempDir
    Path dir;

    @AfterAll
    static void dropSchemas() throws SQLException {
        for (String schema : SCHEMAS) {
            PostgresTestDatabase.dropSchema(schema);
        }
    }

    @Test
    void sqlite() throws Exception {
        compare(name -> {
            Path file = dir.resolve(name + ".db");
            return new Db(JdbcStore.sqlite(file), "jdbc:sqlite:" + file.toAbsolutePath(), "orc_");
        });
    }

    @Test
    void postgres() throws Exception {
        PostgresTestDatabase.requireServer();
        compare(name -> {
            String schema = "orch_merge_" + UUID.randomUUID().toString().substring(0, 8) + "_" + name;
            SCHEMAS.add(schema);
            return new Db(JdbcStore.open(PostgresTestDatabase.URL, JdbcStoreOptions.builder().schema(schema).build()),
                    PostgresTestDatabase.URL, "\"" + schema + "\".orc_");
        });
    }

    /** A store and how to read its rows. */
    private record Db(Store store, String url, String prefix) {
    }

    private void compare(Function<String, Db> open) throws Exception {
        Db merged = open.apply("one");
        Db separate = open.apply("sep");
        try {
            List<List<Long>> endedOne = scenario(merged.store(), true);
            List<List<Long>> endedSeparate = scenario(separate.store(), false);
            assertThat(endedOne).isEqualTo(endedSeparate);
            assertThat(endedOne.get(0)).isNotEmpty();
            for (String table : List.of("tasks order by id", "attempts order by task_id, attempt",
                    "run_steps order by run_id, step_index", "runs order by id")) {
                List<Map<String, Object>> a = rows(merged, table);
                List<Map<String, Object>> b = rows(separate, table);
                assertThat(a).as(table).isNotEmpty().isEqualTo(b);
            }
        } finally {
            merged.store().close();
            separate.store().close();
        }
    }

    /**
     * Two batches of mixed updates; returns the runs each ended. With {@code oneBatch} each batch is
     * applied at once, otherwise as its RUNNING, HEARTBEAT and ENDED updates one after the other.
     */
    private static List<List<Long>> scenario(Store store, boolean oneBatch) {
        WorkflowRow wf = store.saveWorkflow("merge", "{}", T0);
        store.createRun(new NewRun(wf.versionId(), "test", Map.of(), null, List.of(
                new NewStep("a", 10, List.of()), new NewStep("b", 2, List.of(0)))), T0);
        store.createRun(new NewRun(wf.versionId(), "test", Map.of(), null, List.of(new NewStep("c", 1, List.of()))), T0);
        List<ClaimedTask> c = store.claimReady("node-1", 100, T0.plusMillis(1));
        assertThat(c).hasSize(11);
        long[] id = c.stream().mapToLong(ClaimedTask::taskId).toArray();

        // Task 9 is RUNNING before the batches; task 8 has already ended.
        store.applyUpdates(List.of(TaskUpdate.running(id[9], 1, "early-9", "ref-early-9"),
                TaskUpdate.ended(id[8], 1, AttemptOutcome.SUCCEEDED, 0, null, null, null)), T0.plusMillis(2));

        List<List<Long>> ended = new ArrayList<>();
        List<TaskUpdate> first = List.of(
                // merged: success
                TaskUpdate.running(id[0], 1, "exec-0 " + NASTY, "ref-0 " + NASTY),
                TaskUpdate.ended(id[0], 1, AttemptOutcome.SUCCEEDED, 0, null, "tail " + NASTY, null),
                // merged: ENDED listed before RUNNING, failure with error
                TaskUpdate.ended(id[1], 1, AttemptOutcome.FAILED, 3, "error " + NASTY, null, null),
                TaskUpdate.running(id[1], 1, "exec-1", null),
                // merged: null execution name and output reference, timed out
                TaskUpdate.running(id[2], 1, null, null),
                TaskUpdate.ended(id[2], 1, AttemptOutcome.TIMED_OUT, null, "timeout", null, null),
                // not merged: a retry
                TaskUpdate.running(id[3], 1, "exec-3", "ref-3"),
                TaskUpdate.ended(id[3], 1, AttemptOutcome.FAILED, 1, "again", "t", T0.plusSeconds(60)),
                // merged, with a heartbeat between
                TaskUpdate.running(id[4], 1, "exec-4", "ref-4"),
                TaskUpdate.heartbeat(id[4], 1),
                TaskUpdate.ended(id[4], 1, AttemptOutcome.CANCELLED, null, null, null, null),
                // not merged: two RUNNING updates of the same attempt
                TaskUpdate.running(id[5], 1, "exec-5", "ref-5"),
                TaskUpdate.running(id[5], 1, "exec-5", "ref-5"),
                TaskUpdate.ended(id[5], 1, AttemptOutcome.SUCCEEDED, 0, null, null, null),
                // not merged: the ENDED update is of another (stale) attempt
                TaskUpdate.running(id[6], 1, "exec-6", "ref-6"),
                TaskUpdate.ended(id[6], 2, AttemptOutcome.SUCCEEDED, 0, null, null, null),
                // RUNNING only
                TaskUpdate.running(id[7], 1, "exec-7", "ref-7"),
                // stale: the task has ended already
                TaskUpdate.running(id[8], 1, "late-8", "late-ref-8"),
                TaskUpdate.ended(id[8], 1, AttemptOutcome.FAILED, 9, "late", null, null),
                // merged on a task already RUNNING: a new execution name
                TaskUpdate.running(id[9], 1, "exec-9", "ref-9"),
                TaskUpdate.ended(id[9], 1, AttemptOutcome.LOST, null, "lost", null, null),
                // merged: the only task of the second run, which ends
                TaskUpdate.running(id[10], 1, "exec-10", "ref-10"),
                TaskUpdate.ended(id[10], 1, AttemptOutcome.SUCCEEDED, 0, null, "ok", null));
        ended.add(apply(store, first, T0.plusMillis(10), oneBatch));

        // More of step a ends, merged with RUNNING or not.
        List<TaskUpdate> second = List.of(
                TaskUpdate.running(id[6], 1, "exec-6b", "ref-6b"),
                TaskUpdate.ended(id[6], 1, AttemptOutcome.SUCCEEDED, 0, null, null, null),
                TaskUpdate.ended(id[7], 1, AttemptOutcome.SUCCEEDED, 0, null, null, null));
        ended.add(apply(store, second, T0.plusMillis(20), oneBatch));
        // The retried task runs again: step a ends (failed), step b is skipped, the run ends.
        List<ClaimedTask> retried = store.claimReady("node-2", 100, T0.plusSeconds(61));
        assertThat(retried).hasSize(1);
        List<TaskUpdate> third = new ArrayList<>();
        for (ClaimedTask t : retried) {
            third.add(TaskUpdate.running(t.taskId(), t.attempt(), "exec-r" + t.taskId(), "ref-r" + t.taskId()));
            third.add(TaskUpdate.ended(t.taskId(), t.attempt(), AttemptOutcome.SUCCEEDED, 0, null, "r", null));
        }
        ended.add(apply(store, third, T0.plusSeconds(62), oneBatch));
        assertThat(store.claimReady("node-2", 100, T0.plusSeconds(63))).isEmpty();
        return ended;
    }

    private static List<Long> apply(Store store, List<TaskUpdate> updates, Instant now, boolean oneBatch) {
        if (oneBatch) {
            return store.applyUpdates(updates, now);
        }
        List<Long> ended = new ArrayList<>();
        for (TaskUpdate.Kind kind : TaskUpdate.Kind.values()) {
            List<TaskUpdate> ofKind = updates.stream().filter(u -> u.kind() == kind).toList();
            if (!ofKind.isEmpty()) {
                ended.addAll(store.applyUpdates(ofKind, now));
            }
        }
        return ended;
    }

    private static List<Map<String, Object>> rows(Db db, String tableAndOrder) throws SQLException {
        List<Map<String, Object>> rows = new ArrayList<>();
        try (Connection c = DriverManager.getConnection(db.url());
             Statement s = c.createStatement();
             // table names and schema are the test's own
             ResultSet rs = s.executeQuery("select * from " + db.prefix() + tableAndOrder)) {
            int columns = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                Map<String, Object> row = new LinkedHashMap<>();
                for (int i = 1; i <= columns; i++) {
                    row.put(rs.getMetaData().getColumnName(i), rs.getObject(i));
                }
                rows.add(row);
            }
        }
        return rows;
    }
}
