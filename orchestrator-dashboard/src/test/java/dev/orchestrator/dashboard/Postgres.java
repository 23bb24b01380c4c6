package dev.orchestrator.dashboard;

import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;

/**
 * The PostgreSQL server of the tests: {@code ORCHESTRATOR_TEST_PG_URL}, or the local server at
 * {@code 127.0.0.1:5432}, database {@code test}. Unreachable: fails under {@code CI=true}, skips otherwise.
 */
final class Postgres {

    static final String URL = System.getenv().getOrDefault("ORCHESTRATOR_TEST_PG_URL",
            "jdbc:postgresql://127.0.0.1:5432/test?user=postgres");

    private Postgres() {
    }

    static void requireServer() {
        try (Connection c = DriverManager.getConnection(URL)) {
            c.isValid(5);
        } catch (SQLException e) {
            String message = "PostgreSQL is not reachable at " + URL + " (" + e.getMessage() + ")";
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                Assertions.fail(message, e);
            }
            Assumptions.abort(message);
        }
    }

    /** A new schema name of letters, digits and underscores; the store creates it. */
    static String newSchema(String kind) {
        return "orch_" + kind + "_" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
    }

    static void dropSchema(String schema) throws SQLException {
        try (Connection c = DriverManager.getConnection(URL); Statement s = c.createStatement()) {
            s.execute("DROP SCHEMA IF EXISTS \"" + schema + "\" CASCADE");
        }
    }
}
