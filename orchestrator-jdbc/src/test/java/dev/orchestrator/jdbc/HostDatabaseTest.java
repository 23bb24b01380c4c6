package dev.orchestrator.jdbc;

import dev.orchestrator.AttemptOutcome;
import dev.orchestrator.RunStatus;
import dev.orchestrator.spi.ClaimedTask;
import dev.orchestrator.spi.NewRun;
import dev.orchestrator.spi.NewStep;
import dev.orchestrator.spi.RunFilter;
import dev.orchestrator.spi.RunRow;
import dev.orchestrator.spi.Store;
import dev.orchestrator.spi.TaskUpdate;
import dev.orchestrator.spi.WorkflowRow;
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
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The store opened on a database that already holds the host application's tables, including
 * ones named like the store's own ({@code tasks}, {@code runs}, {@code workflows}, {@code nodes})
 * and a Flyway history of the host's: it migrates beside them, works, and leaves the host's
 * tables and rows as they were. Two stores with different prefixes share one schema.
 */
class HostDatabaseTest {

    private static final Instant T0 = Instant.parse("2026-03-08T06:59:59.123Z");
    private static final List<String> HOST_TABLES = List.of("tasks", "runs", "workflows", "nodes", "attempts",
            "flyway_schema_history");

    @TempDir
    Path dir;

    @Test
    void sqliteMigratesBesideTheHostsTablesAndLeavesThemUntouched() throws Exception {
        String url = "jdbc:sqlite:" + dir.resolve("host.db").toAbsolutePath();
        try (Connection c = DriverManager.getConnection(url)) {
            createHostTables(c, "");
        }
        String before = dumpHostTables(url, "");

        try (Store store = JdbcStore.open(url)) {
            exercise(store, "host-wf");
        }
        try (Store again = JdbcStore.open(url)) {
            assertThat(again.listRuns(RunFilter.latest(10))).hasSize(1);
        }

        assertThat(dumpHostTables(url, "")).isEqualTo(before);
    }

    @Test
    void sqliteStoresWithDifferentPrefixesShareOneFile() throws Exception {
        String url = "jdbc:sqlite:" + dir.resolve("shared.db").toAbsolutePath();
        try (Connection c = DriverManager.getConnection(url)) {
            createHostTables(c, "");
        }
        String before = dumpHostTables(url, "");

        try (Store first = JdbcStore.open(url, JdbcStoreOptions.defaults());
             Store second = JdbcStore.open(url, JdbcStoreOptions.builder().tablePrefix("app2_orc_").build())) {
            exercise(first, "first");
            exercise(second, "second");
            assertThat(first.listWorkflows()).extracting(WorkflowRow::name).containsExactly("first");
            assertThat(second.listWorkflows()).extracting(WorkflowRow::name).containsExactly("second");
        }

        assertThat(tables(url, "")).contains("orc_tasks", "orc_schema_history", "app2_orc_tasks",
                "app2_orc_schema_history");
        assertThat(dumpHostTables(url, "")).isEqualTo(before);
    }

    @Test
    void postgresMigratesIntoASchemaThatHoldsTheHostsTablesAndLeavesThemUntouched() throws Exception {
        PostgresTestDatabase.requireServer();
        String schema = "orch_host_" + UUID.randomUUID().toString().substring(0, 8);
        try {
            try (Connection c = DriverManager.getConnection(PostgresTestDatabase.URL);
                 Statement s = c.createStatement()) {
                s.execute("CREATE SCHEMA " + schema);
                createHostTables(c, schema + ".");
            }
            String before = dumpHostTables(PostgresTestDatabase.URL, schema + ".");

            // As a host would: its own schema on the URL, no schema option.
            String url = PostgresTestDatabase.URL + "&currentSchema=" + schema;
            try (Store store = JdbcStore.open(url)) {
                exercise(store, "host-wf");
            }
            try (Store second = JdbcStore.open(PostgresTestDatabase.URL,
                    JdbcStoreOptions.builder().schema(schema).tablePrefix("other_").build())) {
                exercise(second, "second");
                assertThat(second.listWorkflows()).extracting(WorkflowRow::name).containsExactly("second");
            }
            try (Store again = JdbcStore.open(url)) {
                assertThat(again.listWorkflows()).extracting(WorkflowRow::name).containsExactly("host-wf");
            }

            assertThat(dumpHostTables(PostgresTestDatabase.URL, schema + ".")).isEqualTo(before);
            assertThat(tables(PostgresTestDatabase.URL, schema)).contains("orc_tasks", "orc_schema_history",
                    "other_tasks", "other_schema_history");
        } finally {
            PostgresTestDatabase.dropSchema(schema);
        }
    }

    @Test
    void postgresSchemaOptionKeepsTheStoreOutOfTheHostsSchema() throws Exception {
        PostgresTestDatabase.requireServer();
        String host = "orch_hostonly_" + UUID.randomUUID().toString().substring(0, 8);
        String own = host + "_orc";
        try {
            try (Connection c = DriverManager.getConnection(PostgresTestDatabase.URL);
                 Statement s = c.createStatement()) {
                s.execute("CREATE SCHEMA " + host);
                createHostTables(c, host + ".");
            }
            try (Store store = JdbcStore.open(PostgresTestDatabase.URL + "&currentSchema=" + host,
                    JdbcStoreOptions.builder().schema(own).build())) {
                exercise(store, "wf");
            }
            assertThat(tables(PostgresTestDatabase.URL, host)).containsExactlyInAnyOrderElementsOf(HOST_TABLES);
            assertThat(tables(PostgresTestDatabase.URL, own)).contains("orc_tasks", "orc_schema_history");
        } finally {
            PostgresTestDatabase.dropSchema(own);
            PostgresTestDatabase.dropSchema(host);
        }
    }

    /** Registers a workflow, runs it through claim and updates to its end. */
    private static void exercise(Store store, String workflow) {
        WorkflowRow wf = store.saveWorkflow(workflow, "{}", T0);
        RunRow run = store.createRun(new NewRun(wf.versionId(), "manual", Map.of("k", "v"), null,
                List.of(new NewStep("a", 2, List.of()), new NewStep("b", 1, List.of(0)))), T0).run();
        store.heartbeat("node-1", T0);
        List<ClaimedTask> first = store.claimReady("node-1", 10, T0);
        assertThat(first).hasSize(2).allMatch(c -> c.params().equals(Map.of("k", "v")));
        List<TaskUpdate> updates = new ArrayList<>();
        for (ClaimedTask c : first) {
            updates.add(TaskUpdate.running(c.taskId(), c.attempt(), "exec-" + c.taskId(), null));
            updates.add(TaskUpdate.ended(c.taskId(), c.attempt(), AttemptOutcome.SUCCEEDED, 0, null, "ok", null));
        }
        assertThat(store.applyUpdates(updates, T0.plusSeconds(1))).isEmpty();
        List<ClaimedTask> second = store.claimReady("node-1", 10, T0.plusSeconds(1));
        assertThat(second).hasSize(1);
        ClaimedTask b = second.get(0);
        assertThat(store.applyUpdates(List.of(TaskUpdate.ended(b.taskId(), b.attempt(), AttemptOutcome.SUCCEEDED, 0,
                null, "ok", null)), T0.plusSeconds(2))).containsExactly(run.id());
        assertThat(store.findRun(run.id()).orElseThrow().status()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(store.listTasks(run.id())).hasSize(3);
        assertThat(store.listAttempts(b.taskId())).hasSize(1);
    }

    /** Host tables named like the store's, with other columns, rows, an index and a Flyway history. */
    private static void createHostTables(Connection c, String qualifier) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("CREATE TABLE " + qualifier + "workflows (id integer PRIMARY KEY, title text NOT NULL)");
            s.execute("CREATE TABLE " + qualifier + "runs (id integer PRIMARY KEY, workflow_id integer, km real)");
            s.execute("CREATE TABLE " + qualifier + "tasks (id integer PRIMARY KEY, title text, done boolean)");
            s.execute("CREATE INDEX tasks_ready_idx ON " + qualifier + "tasks (done)");
            s.execute("CREATE TABLE " + qualifier + "nodes (name text PRIMARY KEY, ip text)");
            s.execute("CREATE TABLE " + qualifier + "attempts (n integer)");
            s.execute("CREATE TABLE " + qualifier + "flyway_schema_history (installed_rank integer PRIMARY KEY,"
                    + " version text, success boolean)");
            s.execute("INSERT INTO " + qualifier + "workflows VALUES (1, 'invoice'), (2, 'payroll')");
            s.execute("INSERT INTO " + qualifier + "runs VALUES (1, 1, 5.5), (2, 2, 10.0)");
            s.execute("INSERT INTO " + qualifier + "tasks VALUES (1, 'write docs', false), (7, 'ship', true)");
            s.execute("INSERT INTO " + qualifier + "nodes VALUES ('web-1', '10.0.0.1')");
            s.execute("INSERT INTO " + qualifier + "attempts VALUES (3)");
            s.execute("INSERT INTO " + qualifier + "flyway_schema_history VALUES (1, '1', true), (2, '2', true)");
        }
    }

    /** Every row of every host table, in key order, as text. */
    private static String dumpHostTables(String url, String qualifier) throws SQLException {
        StringBuilder dump = new StringBuilder();
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
            for (String table : HOST_TABLES) {
                dump.append(table).append(':');
                try (ResultSet rs = s.executeQuery("SELECT * FROM " + qualifier + table + " ORDER BY 1")) {
                    int columns = rs.getMetaData().getColumnCount();
                    for (int i = 1; i <= columns; i++) {
                        dump.append(' ').append(rs.getMetaData().getColumnName(i));
                    }
                    while (rs.next()) {
                        dump.append("\n ");
                        for (int i = 1; i <= columns; i++) {
                            dump.append(rs.getString(i)).append('|');
                        }
                    }
                }
                dump.append('\n');
            }
        }
        return dump.toString();
    }

    /** The tables of a PostgreSQL schema, or of a SQLite file when {@code schema} is empty. */
    private static List<String> tables(String url, String schema) throws SQLException {
        List<String> names = new ArrayList<>();
        try (Connection c = DriverManager.getConnection(url);
             ResultSet rs = c.getMetaData().getTables(null, schema.isEmpty() ? null : schema, "%",
                     new String[]{"TABLE"})) {
            while (rs.next()) {
                names.add(rs.getString("TABLE_NAME"));
            }
        }
        return names;
    }
}
