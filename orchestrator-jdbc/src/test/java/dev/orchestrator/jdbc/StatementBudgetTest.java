package dev.orchestrator.jdbc;

import dev.orchestrator.AttemptOutcome;
import dev.orchestrator.RunStatus;
import dev.orchestrator.spi.ClaimedTask;
import dev.orchestrator.spi.NewRun;
import dev.orchestrator.spi.NewStep;
import dev.orchestrator.spi.Store;
import dev.orchestrator.spi.TaskUpdate;
import dev.orchestrator.spi.TriggerTarget;
import dev.orchestrator.spi.WorkflowRow;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a one-task run costs the database, counted at the JDBC boundary: the trigger's read, the
 * run's writes, and the end of a batch of runs, whose counters and ends are written set-based
 * (one statement for all runs of a batch on PostgreSQL, whatever its size).
 */
class StatementBudgetTest {

    private static final Instant T0 = Instant.parse("2026-03-08T07:00:00Z");

    @TempDir
    Path dir;

    @Test
    void sqliteOneTaskRunCostsAFewStatements() throws Exception {
        Counting db = new Counting("jdbc:sqlite:" + dir.resolve("budget.db").toAbsolutePath());
        try (Store store = JdbcStore.open(db.dataSource(), Dialect.SQLITE)) {
            Budget b = measure(store, db, 1);
            assertThat(b.trigger).as("trigger read: version and paused flag in one statement").isEqualTo(1);
            assertThat(b.create).as("run, steps and tasks").isEqualTo(3);
            assertThat(b.createCommits).isEqualTo(1);
            // tasks, their steps, attempts, the step's counters with its end, the run's with its end
            assertThat(b.end).isEqualTo(5);

            Budget five = measure(store, db, 5);
            assertThat(five.end).as("five runs end in the same statements as one").isEqualTo(5);
        }
    }

    @Test
    void postgresOneTaskRunIsOneStatementToCreateAndFourToEnd() throws Exception {
        PostgresTestDatabase.requireServer();
        PostgresTestDatabase.Schemas schemas = new PostgresTestDatabase.Schemas("budget");
        try {
            String schema = schemas.next();
            Counting db = new Counting(PostgresTestDatabase.URL);
            JdbcStoreOptions options = JdbcStoreOptions.builder().schema(schema).build();
            try (Store store = JdbcStore.open(db.dataSource(), Dialect.POSTGRESQL, options)) {
                Budget one = measure(store, db, 1);
                assertThat(one.trigger).isEqualTo(1);
                assertThat(one.create).as("run, step, task and wake-up in one statement").isEqualTo(1);
                assertThat(one.createCommits).as("auto-commit: no separate commit").isZero();
                // tasks, attempts, step counters with the step's end, run counters with the run's end
                assertThat(one.end).isEqualTo(4);

                Budget five = measure(store, db, 5);
                assertThat(five.end).as("five runs end in the same statements as one").isEqualTo(4);
            }
        } finally {
            schemas.dropAll();
        }
    }

    /** Statements of one trigger read, one run's creation, and the end of {@code runs} one-task runs in one batch. */
    private static Budget measure(Store store, Counting db, int runs) {
        WorkflowRow wf = store.saveWorkflow("budget", "{}", T0);
        Budget b = new Budget();
        int s0 = db.statements.get();
        TriggerTarget target = store.findTriggerTarget("budget").orElseThrow();
        assertThat(target.workflow().versionId()).isEqualTo(wf.versionId());
        assertThat(target.paused()).isFalse();
        b.trigger = db.statements.get() - s0;
        List<Long> runIds = new ArrayList<>();
        for (int i = 0; i < runs; i++) {
            int s = db.statements.get();
            int c = db.commits.get();
            runIds.add(store.createRun(new NewRun(wf.versionId(), "test", Map.of(), null,
                    List.of(new NewStep("only", 1, List.of()))), T0).run().id());
            b.create = db.statements.get() - s;
            b.createCommits = db.commits.get() - c;
        }
        List<ClaimedTask> claimed = store.claimReady("node-1", 100, T0.plusMillis(1));
        assertThat(claimed).hasSize(runs);
        List<TaskUpdate> ends = new ArrayList<>();
        for (ClaimedTask t : claimed) {
            ends.add(TaskUpdate.ended(t.taskId(), t.attempt(), AttemptOutcome.SUCCEEDED, 0, null, null, null));
        }
        int s = db.statements.get();
        List<Long> ended = store.applyUpdates(ends, T0.plusMillis(2));
        b.end = db.statements.get() - s;
        assertThat(ended).containsExactlyInAnyOrderElementsOf(runIds);
        for (long id : runIds) {
            assertThat(store.findRun(id).orElseThrow().status()).isEqualTo(RunStatus.SUCCEEDED);
        }
        return b;
    }

    private static final class Budget {
        int trigger;
        int create;
        int createCommits;
        int end;
    }

    /** Connections from {@code url}, counting statements executed (a batch once) and commits. */
    private static final class Counting {
        final AtomicInteger statements = new AtomicInteger();
        final AtomicInteger commits = new AtomicInteger();
        private final String url;

        Counting(String url) {
            this.url = url;
        }

        javax.sql.DataSource dataSource() {
            return (javax.sql.DataSource) Proxy.newProxyInstance(getClass().getClassLoader(),
                    new Class<?>[]{javax.sql.DataSource.class}, (p, m, a) -> switch (m.getName()) {
                        case "getConnection" -> connection(DriverManager.getConnection(url));
                        case "unwrap" -> null;
                        case "isWrapperFor" -> false;
                        case "getLoginTimeout" -> 0;
                        case "hashCode" -> System.identityHashCode(p);
                        case "equals" -> p == a[0];
                        case "toString" -> "counting " + url;
                        default -> null;
                    });
        }

        private Connection connection(Connection raw) {
            return (Connection) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[]{Connection.class},
                    (p, m, a) -> {
                        if (m.getName().equals("unwrap") && ((Class<?>) a[0]).isInstance(p)) {
                            return p; // statements prepared on the "physical" connection are counted too
                        }
                        if (m.getName().equals("commit")) {
                            commits.incrementAndGet();
                        }
                        Object r = call(raw, m, a);
                        if (r instanceof PreparedStatement ps) {
                            return statement(PreparedStatement.class, ps);
                        }
                        if (r instanceof Statement st) {
                            return statement(Statement.class, st);
                        }
                        return r;
                    });
        }

        private <S extends Statement> S statement(Class<S> type, S target) {
            return type.cast(Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[]{type}, (p, m, a) -> {
                if (m.getName().startsWith("execute")) {
                    statements.incrementAndGet();
                }
                return call(target, m, a);
            }));
        }

        private static Object call(Object target, java.lang.reflect.Method m, Object[] a) throws Throwable {
            try {
                return m.invoke(target, a);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
        }
    }
}
