package dev.orchestrator.jdbc;

import dev.orchestrator.spi.NewRun;
import dev.orchestrator.spi.NewStep;
import dev.orchestrator.spi.Store;
import dev.orchestrator.spi.WorkflowRow;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sqlite.SQLiteDataSource;

import javax.sql.DataSource;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The claim's fast path keeps its statements when nothing is limited: judged by the statements
 * the store sends, counted through a wrapping {@link DataSource}.
 */
class LimitStatementsTest {

    private static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");

    @TempDir
    Path dir;

    /** The SQL of every statement executed, in order. */
    private final Queue<String> executed = new ConcurrentLinkedQueue<>();

    @Test
    void unlimitedClaimsLookAtTheLimitsAtMostOnceASecond() {
        try (Store store = JdbcStore.open(counting(dir.resolve("s.db")), Dialect.SQLITE)) {
            WorkflowRow wf = store.saveWorkflow("w", "{}", T0);
            store.createRun(new NewRun(wf.versionId(), "test", Map.of(), null,
                    List.of(new NewStep("s", 100, List.of()))), T0);
            assertThat(store.claimReady("n", 5, T0)).hasSize(5);
            executed.clear();
            for (int i = 1; i <= 9; i++) {
                assertThat(store.claimReady("n", 5, T0.plusMillis(i * 100L))).hasSize(5);
            }
            List<String> claims = List.copyOf(executed);
            System.out.printf("[limits] unlimited claims: %.1f statements a claim%n", claims.size() / 9.0);
            assertThat(claims).as("no limited pass within a second of the last").noneMatch(LimitStatementsTest::limited);
            assertThat(claims).as("one claim statement, attempts, run info (the first claim started the run)")
                    .hasSize(9 * 3);

            executed.clear();
            store.claimReady("n", 5, T0.plusMillis(1_000));
            assertThat(executed).as("a second later: one look at the limits, which finds none")
                    .filteredOn(LimitStatementsTest::limited).hasSize(1);
        }
    }

    @Test
    void aLimitedRunMakesTheClaimLookAtOnce() {
        try (Store store = JdbcStore.open(counting(dir.resolve("l.db")), Dialect.SQLITE)) {
            WorkflowRow wf = store.saveWorkflow("w", "{}", T0);
            store.createRun(new NewRun(wf.versionId(), "test", Map.of(), null,
                    List.of(new NewStep("s", 100, List.of()))), T0);
            store.claimReady("n", 5, T0);
            store.createRun(new NewRun(wf.versionId(), "test", Map.of(), null,
                    List.of(new NewStep("s", 10, List.of(), null, 2))), T0);
            executed.clear();
            assertThat(store.claimReady("n", 5, T0.plusMillis(1))).as("2 limited, 3 unlimited").hasSize(5);
            System.out.printf("[limits] a claim with a limited pass: %d statements%n", executed.size());
            assertThat(executed).filteredOn(LimitStatementsTest::limited).isNotEmpty();
        }
    }

    private static boolean limited(String sql) {
        return sql.contains("orc_limits") || sql.contains("is not null");
    }

    /** A SQLite data source whose prepared statements record their SQL each time they run. */
    private DataSource counting(Path file) {
        SQLiteDataSource raw = new SQLiteDataSource();
        raw.setUrl("jdbc:sqlite:" + file);
        return (DataSource) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[]{DataSource.class},
                (p, m, args) -> {
                    Object r = invoke(raw, m, args);
                    return r instanceof Connection c ? connection(c) : r;
                });
    }

    private Connection connection(Connection c) {
        return (Connection) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[]{Connection.class},
                (p, m, args) -> {
                    if (m.getName().equals("unwrap") && args[0] == Connection.class) {
                        return p; // the store keeps statements prepared per unwrapped connection: keep counting
                    }
                    Object r = invoke(c, m, args);
                    if (r instanceof PreparedStatement ps && args != null && args[0] instanceof String sql) {
                        return statement(ps, sql.toLowerCase(java.util.Locale.ROOT));
                    }
                    return r;
                });
    }

    private PreparedStatement statement(PreparedStatement ps, String sql) {
        return (PreparedStatement) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[]{PreparedStatement.class}, (p, m, args) -> {
                    if (m.getName().startsWith("execute")) {
                        executed.add(sql);
                    }
                    return invoke(ps, m, args);
                });
    }

    private static Object invoke(Object target, java.lang.reflect.Method m, Object[] args) throws Throwable {
        try {
            return m.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }
}
