package dev.orchestrator.jdbc;

import dev.orchestrator.JobSpec;
import dev.orchestrator.NodeStatus;
import dev.orchestrator.Orchestrator;
import dev.orchestrator.RunHandle;
import dev.orchestrator.RunStatus;
import dev.orchestrator.StepSpec;
import dev.orchestrator.WorkflowSpec;
import dev.orchestrator.spi.Executor;
import dev.orchestrator.spi.StatusSink;
import dev.orchestrator.spi.StatusUpdate;
import dev.orchestrator.spi.TaskContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

/**
 * The scheduler's connections are never taken by host reads: with every connection of the
 * host's pool held by reads that wait on a lock, a node still heartbeats, claims and completes
 * its tasks. Also: the pool and statement timeouts end waits that would otherwise last for good.
 */
class PostgresPoolIsolationTest {

    private static final PostgresTestDatabase.Schemas SCHEMAS = new PostgresTestDatabase.Schemas("pools");
    private static final Duration LEASE = Duration.ofSeconds(2);

    @BeforeAll
    static void requireServer() {
        PostgresTestDatabase.requireServer();
    }

    @AfterAll
    static void dropSchemas() throws Exception {
        SCHEMAS.dropAll();
    }

    /** Starts its tasks and ends them once the gate opens. */
    static final class Gated implements Executor {
        final CountDownLatch gate = new CountDownLatch(1);

        @Override
        public String type() {
            return "gated";
        }

        @Override
        public void start(TaskContext task, StatusSink sink) {
            sink.report(StatusUpdate.running("gated-" + task.taskId(), null));
            Thread.ofVirtual().start(() -> {
                try {
                    gate.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                sink.report(StatusUpdate.succeeded(0, null));
            });
        }
    }

    private static void await(String what, Duration timeout, BooleanSupplier condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                fail("timed out after " + timeout + " waiting for " + what + "; sessions waiting on locks: "
                        + waiting());
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
        }
    }

    /** The statements waiting on a lock now: what a failure should show. */
    private static String waiting() {
        try (Connection c = DriverManager.getConnection(PostgresTestDatabase.URL); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT query FROM pg_stat_activity WHERE wait_event_type = 'Lock'")) {
            List<String> out = new ArrayList<>();
            while (rs.next()) {
                out.add(rs.getString(1));
            }
            return out.toString();
        } catch (SQLException e) {
            return e.toString();
        }
    }

    private static long query(String sql) {
        try (Connection c = DriverManager.getConnection(PostgresTestDatabase.URL); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            throw new IllegalStateException(sql, e);
        }
    }

    /** An open transaction holding an ACCESS EXCLUSIVE lock on {@code table}: every read of it waits. */
    private static Connection lock(String table) throws SQLException {
        Connection c = DriverManager.getConnection(PostgresTestDatabase.URL);
        c.setAutoCommit(false);
        try (Statement s = c.createStatement()) {
            s.execute("LOCK TABLE " + table + " IN ACCESS EXCLUSIVE MODE");
        }
        return c;
    }

    private static long waitingOn(String schema) {
        return query("SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query LIKE '%"
                + schema + "%orc_paused_workflows%'");
    }

    @Test
    void aNodeWhoseHostPoolIsHeldByBlockedReadsStillHeartbeatsAndCompletesItsTasks() throws Exception {
        String schema = SCHEMAS.next();
        Gated gated = new Gated();
        int hostPool = 2;
        try (JdbcStore store = JdbcStore.open(PostgresTestDatabase.URL, JdbcStoreOptions.builder().schema(schema)
                .poolSize(hostPool).poolTimeout(Duration.ofSeconds(1)).build());
             Orchestrator node = Orchestrator.builder().store(store).nodeId("iso").executor(gated).maxConcurrency(4)
                     .nodeLease(LEASE).heartbeatInterval(Duration.ofMillis(200)).pollInterval(Duration.ofMillis(200))
                     .shutdownTimeout(Duration.ofSeconds(2)).build();
             ExecutorService readers = Executors.newFixedThreadPool(hostPool)) {
            node.register(WorkflowSpec.of("gated", StepSpec.builder("s", "gated").job(JobSpec.command("x")).tasks(12)));
            node.start();
            RunHandle run = node.trigger("gated");
            String tasks = "\"" + schema + "\".orc_tasks";
            await("4 tasks running", Duration.ofSeconds(30),
                    () -> query("SELECT count(*) FROM " + tasks + " WHERE status = 'RUNNING'") == 4);

            // Only host reads use this table (is a workflow paused?): the scheduler never touches it.
            Connection locker = lock("\"" + schema + "\".orc_paused_workflows");
            List<Future<?>> reads = new ArrayList<>();
            try {
                for (int i = 0; i < hostPool; i++) {
                    reads.add(readers.submit(() -> node.isPaused("gated"))); // each holds a host connection, waiting on the lock
                }
                await("every host connection held by a blocked read", Duration.ofSeconds(30),
                        () -> waitingOn(schema) == hostPool);
                // The host pool is exhausted: one more host read gives up after the pool timeout.
                long t = System.nanoTime();
                assertThatThrownBy(node::nodes).isInstanceOf(IllegalStateException.class);
                assertThat(Duration.ofNanos(System.nanoTime() - t)).isLessThan(Duration.ofSeconds(15));

                long saturatedAt = System.nanoTime();
                String nodes = "\"" + schema + "\".orc_nodes";
                long beatBefore = query("SELECT heartbeat_at FROM " + nodes + " WHERE id = 'iso'");
                gated.gate.countDown(); // the 4 running end; the other 8 are claimed, start and end
                await("the run completes while the host pool stays held", Duration.ofSeconds(60),
                        () -> query("SELECT count(*) FROM " + tasks + " WHERE status = 'SUCCEEDED'") == 12);
                await("two and a half leases with the host pool held", Duration.ofSeconds(30),
                        () -> System.nanoTime() - saturatedAt > 5 * LEASE.toNanos() / 2);
                assertThat(waitingOn(schema)).as("reads still blocked").isEqualTo(hostPool);
                long beatAfter = query("SELECT heartbeat_at FROM " + nodes + " WHERE id = 'iso'");
                assertThat(beatAfter - beatBefore).as("heartbeat advanced (ms)").isGreaterThanOrEqualTo(LEASE.toMillis());
                NodeStatus s = node.nodeStatus();
                assertThat(s.fenced()).as("fenced").isFalse();
                assertThat(s.incarnation()).isZero();
                assertThat(s.leaseHeld()).isTrue();
            } finally {
                locker.rollback();
                locker.close();
            }
            for (Future<?> f : reads) {
                f.get(30, TimeUnit.SECONDS); // the reads complete once the lock is gone
            }
            assertThat(run.await(Duration.ofSeconds(30)).status()).isEqualTo(RunStatus.SUCCEEDED);
        }
    }

    @Test
    void aStatementWaitingLongerThanTheStatementTimeoutIsCancelledByTheServer() throws Exception {
        String schema = SCHEMAS.next();
        try (JdbcStore store = JdbcStore.open(PostgresTestDatabase.URL, JdbcStoreOptions.builder().schema(schema)
                .poolSize(2).statementTimeout(Duration.ofMillis(500)).build());
             Orchestrator client = Orchestrator.builder().store(store).build()) {
            client.workflows(); // migrated and connected before the lock
            Connection locker = lock("\"" + schema + "\".orc_workflows");
            try {
                long t = System.nanoTime();
                assertThatThrownBy(client::workflows).isInstanceOf(IllegalStateException.class)
                        .hasStackTraceContaining("statement timeout");
                assertThat(Duration.ofNanos(System.nanoTime() - t)).isLessThan(Duration.ofSeconds(10));
            } finally {
                locker.rollback();
                locker.close();
            }
            assertThat(client.workflows()).isEmpty();
        }
    }
}
