package dev.orchestrator.spring;

import dev.orchestrator.Orchestrator;
import dev.orchestrator.RunInfo;
import dev.orchestrator.RunStatus;
import dev.orchestrator.StepSpec;
import dev.orchestrator.WorkflowSpec;
import dev.orchestrator.jdbc.Dialect;
import dev.orchestrator.jdbc.JdbcStore;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The auto-configuration on PostgreSQL, through the application's own Hikari DataSource, in a schema
 * that already holds the application's tables (one of them named {@code tasks}). The server is
 * {@code ORCHESTRATOR_TEST_PG_URL} or {@code 127.0.0.1:5432/test} as {@code postgres}; when it cannot
 * be reached the class fails under {@code CI=true} and is skipped elsewhere.
 */
class PostgresAutoConfigurationTest {

    private static final String SERVER = System.getenv().getOrDefault("ORCHESTRATOR_TEST_PG_URL",
            "jdbc:postgresql://127.0.0.1:5432/test?user=postgres");
    private static final String SCHEMA = "orch_spring_" + UUID.randomUUID().toString().substring(0, 8);
    private static final String OWN_SCHEMA = SCHEMA + "_orc";

    @BeforeAll
    static void createApplicationSchema() throws SQLException {
        try (Connection c = connect(); Statement s = c.createStatement()) {
            s.execute("CREATE SCHEMA " + SCHEMA);
            s.execute("CREATE TABLE " + SCHEMA + ".customers (id bigserial PRIMARY KEY, name text NOT NULL)");
            s.execute("CREATE TABLE " + SCHEMA + ".tasks (id bigserial PRIMARY KEY, title text NOT NULL, "
                    + "done boolean NOT NULL DEFAULT false)");
            s.execute("INSERT INTO " + SCHEMA + ".customers (name) VALUES ('Ada')");
            s.execute("INSERT INTO " + SCHEMA + ".tasks (title) VALUES ('write the report')");
        }
    }

    @AfterAll
    static void dropSchema() throws SQLException {
        try (Connection c = connect(); Statement s = c.createStatement()) {
            s.execute("DROP SCHEMA IF EXISTS " + SCHEMA + " CASCADE");
            s.execute("DROP SCHEMA IF EXISTS " + OWN_SCHEMA + " CASCADE");
        }
    }

    private static Connection connect() {
        try {
            return DriverManager.getConnection(SERVER);
        } catch (SQLException e) {
            String message = "PostgreSQL is not reachable at " + SERVER + " (" + e.getMessage() + "); start it or set "
                    + "ORCHESTRATOR_TEST_PG_URL";
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                Assertions.fail(message, e);
            }
            Assumptions.abort(message);
            throw new AssertionError(e);
        }
    }

    /**
     * The store's tables in the application's schema, beside its own {@code tasks} table. Needs
     * orchestrator-jdbc to migrate into a schema that already holds other tables, with prefixed names.
     */
    @Test
    void runsOnTheApplicationsHikariDataSourceBesideItsTables() throws SQLException {
        runAWorkflow(SCHEMA);
    }

    /** The store's tables in a schema of their own, on the application's DataSource whose default schema is the application's. */
    @Test
    void runsOnTheApplicationsHikariDataSourceInASchemaOfItsOwn() throws SQLException {
        runAWorkflow(OWN_SCHEMA);
    }

    private static void runAWorkflow(String storeSchema) throws SQLException {
        String url = SERVER + (SERVER.contains("?") ? "&" : "?") + "currentSchema=" + SCHEMA;
        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class,
                        OrchestratorAutoConfiguration.class))
                .withPropertyValues("spring.datasource.url=" + url, "orchestrator.store.schema=" + storeSchema,
                        // The documented minimum: 4 connections kept by the orchestrator, 2 for everything else.
                        "spring.datasource.hikari.maximum-pool-size=6")
                .withBean("hello", WorkflowSpec.class,
                        () -> WorkflowSpec.of("hello", StepSpec.process("ok", "/bin/true").tasks(4)))
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    assertThat(context.getBean(DataSource.class)).isInstanceOf(com.zaxxer.hikari.HikariDataSource.class);
                    assertThat(context.getBean(JdbcStore.class).dialect()).isEqualTo(Dialect.POSTGRESQL);
                    RunInfo run = context.getBean(Orchestrator.class).trigger("hello").await(Duration.ofSeconds(30));
                    assertThat(run.status()).isEqualTo(RunStatus.SUCCEEDED);
                    assertThat(run.succeeded()).isEqualTo(4);
                });
        // The application's tables are as they were.
        assertThat(rows("SELECT name FROM " + SCHEMA + ".customers")).containsExactly("Ada");
        assertThat(rows("SELECT title || ':' || done FROM " + SCHEMA + ".tasks")).containsExactly("write the report:false");
    }

    private static List<String> rows(String sql) throws SQLException {
        List<String> rows = new ArrayList<>();
        try (Connection c = connect(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
                rows.add(rs.getString(1));
            }
        }
        return rows;
    }
}
