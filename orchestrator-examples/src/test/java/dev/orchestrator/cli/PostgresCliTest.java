package dev.orchestrator.cli;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * The CLI end to end on PostgreSQL at 127.0.0.1:5432 (user postgres, database test), in a schema
 * of its own per test that is dropped afterwards. Skipped when the server cannot be reached,
 * unless {@code CI=true}: then it fails.
 */
class PostgresCliTest extends CliEndToEndTestBase {

    static final String SERVER = "jdbc:postgresql://127.0.0.1:5432/test?user=postgres";

    private String schema;

    @BeforeEach
    void createSchema() {
        schema = "cli_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        try (Connection c = DriverManager.getConnection(SERVER + "&connectTimeout=5");
             Statement s = c.createStatement()) {
            s.execute("CREATE SCHEMA " + schema);
        } catch (SQLException e) {
            String why = "PostgreSQL at " + SERVER + " cannot be reached: " + e.getMessage();
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                fail(why + " (CI=true, so this fails instead of skipping)");
            }
            schema = null;
            Assumptions.abort(why + "; skipping (set CI=true to fail instead)");
        }
    }

    @AfterEach
    void dropSchema() throws SQLException {
        if (schema == null) {
            return;
        }
        try (Connection c = DriverManager.getConnection(SERVER); Statement s = c.createStatement()) {
            s.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
        }
    }

    @Override
    protected String dbUrl() {
        return SERVER + "&currentSchema=" + schema;
    }
}
