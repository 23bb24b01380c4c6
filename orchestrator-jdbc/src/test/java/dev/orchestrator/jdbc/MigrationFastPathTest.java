package dev.orchestrator.jdbc;

import dev.orchestrator.spi.Store;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sqlite.SQLiteDataSource;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Opening a store whose schema is current skips Flyway (one query of the history table); any
 * doubt hands the decision back to Flyway. Flyway's own validation is the witness: a history
 * row it would reject is accepted only when Flyway did not run.
 */
class MigrationFastPathTest {

    @TempDir
    Path dir;

    @Test
    void aCurrentSchemaOpensWithoutFlyway() throws Exception {
        Path file = dir.resolve("current.db");
        try (Store first = JdbcStore.sqlite(file)) {
            first.saveWorkflow("wf", "{}", Instant.EPOCH);
        }
        // Flyway's validation would refuse this checksum; the fast path does not look at it.
        exec(file, "UPDATE orc_schema_history SET checksum = 12345 WHERE version = '1'");
        try (Store second = JdbcStore.sqlite(file)) {
            assertThat(second.findWorkflow("wf")).isPresent();
        }
    }

    @Test
    void aFailedMigrationInTheHistoryGoesToFlyway() throws Exception {
        Path file = dir.resolve("failed.db");
        try (Store first = JdbcStore.sqlite(file)) {
            assertThat(first.listWorkflows()).isEmpty();
        }
        exec(file, "UPDATE orc_schema_history SET success = 0 WHERE version = '1'");
        assertThatThrownBy(() -> JdbcStore.sqlite(file).close()).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("migrate");
    }

    @Test
    void aHistoryBehindTheShippedScriptsGoesToFlyway() throws Exception {
        Path file = dir.resolve("behind.db");
        try (Store first = JdbcStore.sqlite(file)) {
            assertThat(first.listWorkflows()).isEmpty();
        }
        // Only the baseline left: Flyway must run V1 again, which fails on the tables that exist.
        exec(file, "DELETE FROM orc_schema_history");
        exec(file, "INSERT INTO orc_schema_history (installed_rank, version, description, type, script, checksum,"
                + " installed_by, installed_on, execution_time, success) VALUES (1, '0', 'baseline', 'BASELINE',"
                + " 'baseline', NULL, 'test', '2026-01-01 00:00:00', 0, 1)");
        assertThatThrownBy(() -> JdbcStore.sqlite(file).close()).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("migrate");
    }

    private static void exec(Path file, String sql) throws Exception {
        SQLiteDataSource ds = new SQLiteDataSource();
        ds.setUrl("jdbc:sqlite:" + file);
        try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
            s.executeUpdate(sql);
        }
    }
}
