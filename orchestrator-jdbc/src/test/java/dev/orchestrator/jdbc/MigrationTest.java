package dev.orchestrator.jdbc;

import dev.orchestrator.spi.Store;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sqlite.SQLiteDataSource;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MigrationTest {

    @TempDir
    Path dir;

    @Test
    void openingTwiceOnTheSameFileKeepsTheDataAndRunsNoMigrationAgain() throws Exception {
        Path file = dir.resolve("twice.db");
        try (Store first = JdbcStore.sqlite(file)) {
            first.saveWorkflow("wf", "{}", Instant.EPOCH);
        }
        try (Store second = JdbcStore.sqlite(file)) {
            assertThat(second.findWorkflow("wf")).isPresent();
            assertThat(second.saveWorkflow("wf", "{}", Instant.EPOCH).version()).isEqualTo(1);
        }
        assertThat(count(file, "SELECT count(*) FROM orc_schema_history WHERE success = 1"))
                .isEqualTo(count(file, "SELECT count(*) FROM orc_schema_history"))
                .isGreaterThanOrEqualTo(1);
        assertThat(count(file, "SELECT count(*) FROM orc_schema_history WHERE version = '1'")).isEqualTo(1);
    }

    @Test
    void sqliteRunsInWalMode() throws Exception {
        Path file = dir.resolve("wal.db");
        try (Store store = JdbcStore.sqlite(file)) {
            assertThat(store.listWorkflows()).isEmpty();
            SQLiteDataSource ds = new SQLiteDataSource();
            ds.setUrl("jdbc:sqlite:" + file);
            try (Connection c = ds.getConnection(); Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("PRAGMA journal_mode")) {
                rs.next();
                assertThat(rs.getString(1)).isEqualToIgnoringCase("wal");
            }
        }
    }

    @Test
    void withoutMigrationsAnEmptyDatabaseHasNoTables() {
        Path file = dir.resolve("bare.db");
        try (Store store = JdbcStore.sqlite(file, JdbcStoreOptions.builder().migrate(false).build())) {
            assertThatThrownBy(() -> store.findWorkflow("wf")).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("findWorkflow");
        }
    }

    @Test
    void theHotQueriesUseThePartialIndexesOnSqlite() throws Exception {
        Path file = dir.resolve("plan.db");
        try (Store store = JdbcStore.sqlite(file)) {
            assertThat(store.listWorkflows()).isEmpty();
            assertThat(plan(file, "SELECT id FROM orc_tasks WHERE status = 'PENDING' AND limit_id IS NULL "
                    + "AND ready_at <= 5 ORDER BY ready_at, id LIMIT 10")).contains("orc_tasks_ready_idx")
                    .doesNotContain("TEMP B-TREE");
            // Limited claims: a limit's ready tasks oldest run first, and its live tasks, each from its own index.
            assertThat(plan(file, "SELECT id, run_id FROM orc_tasks t WHERE t.limit_id = 7 AND t.status = 'PENDING' "
                    + "AND t.limit_id IS NOT NULL AND t.ready_at <= 5 ORDER BY t.run_id, t.ready_at, t.id LIMIT 3"))
                    .contains("orc_tasks_limited_ready_idx").doesNotContain("TEMP B-TREE");
            assertThat(plan(file, "SELECT count(*) FROM orc_tasks t WHERE t.limit_id = 7 AND t.limit_id IS NOT NULL "
                    + "AND t.status IN ('DISPATCHED', 'RUNNING')")).contains("orc_tasks_limited_live_idx");
            assertThat(plan(file, "SELECT DISTINCT owner FROM orc_tasks WHERE status IN ('DISPATCHED', 'RUNNING') "
                    + "AND owner <> 'me'")).contains("orc_tasks_in_flight_idx");
        }
    }

    @Test
    void runListingsByEachFilterUseAnIndexInIdOrderOnSqlite() throws Exception {
        Path file = dir.resolve("runs-plan.db");
        try (Store store = JdbcStore.sqlite(file)) {
            assertThat(store.listWorkflows()).isEmpty();
            for (String[] filter : new String[][]{{"workflow_name = 'etl'", "orc_runs_workflow_idx"},
                    {"status = 'RUNNING'", "orc_runs_status_idx"},
                    {"triggered_by = 'manual'", "orc_runs_triggered_by_idx"}}) {
                assertThat(plan(file, "SELECT id FROM orc_runs WHERE " + filter[0] + " AND id < 1000 "
                        + "ORDER BY id DESC LIMIT 50")).as(filter[0]).contains(filter[1]).doesNotContain("TEMP B-TREE");
            }
            assertThat(plan(file, "SELECT id FROM orc_runs WHERE id < 1000 ORDER BY id DESC LIMIT 50"))
                    .contains("USING INTEGER PRIMARY KEY").doesNotContain("TEMP B-TREE");
        }
    }

    private static String plan(Path file, String sql) throws Exception {
        SQLiteDataSource ds = new SQLiteDataSource();
        ds.setUrl("jdbc:sqlite:" + file);
        StringBuilder plan = new StringBuilder();
        try (Connection c = ds.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("EXPLAIN QUERY PLAN " + sql)) {
            while (rs.next()) {
                plan.append(rs.getString("detail")).append('\n');
            }
        }
        return plan.toString();
    }

    private static long count(Path file, String sql) throws Exception {
        SQLiteDataSource ds = new SQLiteDataSource();
        ds.setUrl("jdbc:sqlite:" + file);
        try (Connection c = ds.getConnection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
