package dev.orchestrator.jdbc.faults;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.orchestrator.Orchestrator;
import dev.orchestrator.StepSpec;
import dev.orchestrator.WorkflowSpec;
import dev.orchestrator.jdbc.Dialect;
import dev.orchestrator.jdbc.JdbcStore;
import dev.orchestrator.jdbc.JdbcStoreOptions;
import org.junit.jupiter.api.Test;

import javax.sql.DataSource;
import java.io.PrintWriter;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Logger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A claim whose COMMIT succeeds but whose acknowledgement is lost: the connection commits, then
 * throws as if the network dropped the answer. The node does not know it owns the tasks; the
 * ownership reconciliation must find and release them, and the run completes.
 */
class LostClaimAckFaultTest extends FaultCase {

    /** Wraps a pool: the first COMMIT of a transaction that ran a claim commits, then throws. */
    static final class LosingAcks implements DataSource {
        final DataSource real;
        final AtomicBoolean armed = new AtomicBoolean();
        final AtomicInteger lost = new AtomicInteger();

        LosingAcks(DataSource real) {
            this.real = real;
        }

        @Override
        public Connection getConnection() throws SQLException {
            return wrap(real.getConnection());
        }

        @Override
        public Connection getConnection(String user, String password) throws SQLException {
            return wrap(real.getConnection(user, password));
        }

        private Connection wrap(Connection c) {
            AtomicBoolean claimed = new AtomicBoolean();
            return (Connection) Proxy.newProxyInstance(Connection.class.getClassLoader(), new Class<?>[] {Connection.class},
                    (proxy, method, args) -> {
                        String name = method.getName();
                        if ((name.equals("prepareStatement") || name.equals("prepareCall")) && args != null
                                && args[0] instanceof String sql && sql.toLowerCase(Locale.ROOT).contains("skip locked")) {
                            claimed.set(true);
                        }
                        Object result;
                        try {
                            result = method.invoke(c, args);
                        } catch (InvocationTargetException e) {
                            throw e.getCause();
                        }
                        if (name.equals("commit") || name.equals("rollback")) {
                            if (name.equals("commit") && claimed.get() && armed.compareAndSet(true, false)) {
                                lost.incrementAndGet();
                                claimed.set(false);
                                throw new SQLException("injected: the acknowledgement of this COMMIT was lost", "08006");
                            }
                            claimed.set(false);
                        }
                        return result;
                    });
        }

        @Override
        public PrintWriter getLogWriter() throws SQLException {
            return real.getLogWriter();
        }

        @Override
        public void setLogWriter(PrintWriter out) throws SQLException {
            real.setLogWriter(out);
        }

        @Override
        public void setLoginTimeout(int seconds) throws SQLException {
            real.setLoginTimeout(seconds);
        }

        @Override
        public int getLoginTimeout() throws SQLException {
            return real.getLoginTimeout();
        }

        @Override
        public Logger getParentLogger() throws SQLFeatureNotSupportedException {
            return real.getParentLogger();
        }

        @Override
        public <T> T unwrap(Class<T> iface) throws SQLException {
            return real.unwrap(iface);
        }

        @Override
        public boolean isWrapperFor(Class<?> iface) throws SQLException {
            return real.isWrapperFor(iface);
        }
    }

    @Test
    void aClaimWhoseCommitAcknowledgementIsLostStillCompletes() throws Exception {
        long t0 = System.nanoTime();
        String[] cmd = records.command(0, "0.05");
        client.register(WorkflowSpec.of("acked", StepSpec.process("work", cmd[0], cmd[1], cmd[2], cmd[3]).tasks(5)));
        long run = client.trigger("acked").id();
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(Faults.PG_URL);
        config.setMaximumPoolSize(4);
        try (HikariDataSource pool = new HikariDataSource(config)) {
            LosingAcks losing = new LosingAcks(pool);
            losing.armed.set(true);
            try (JdbcStore store = JdbcStore.open(losing, Dialect.POSTGRESQL,
                    JdbcStoreOptions.builder().schema(schema).build());
                 Orchestrator node = Orchestrator.builder().store(store).nodeId("acker")
                         .nodeLease(Duration.ofMillis(LEASE_MS)).heartbeatInterval(Duration.ofMillis(HEARTBEAT_MS))
                         .executorConfig("process", Map.of("logDirectory", dir.resolve("logs").toString())).build()) {
                long started = System.nanoTime();
                node.start();
                awaitSucceeded(List.of(run), Duration.ofSeconds(20));
                long doneMs = Faults.millisSince(started);
                Faults.figure("case 6 (claim committed, acknowledgement lost " + losing.lost.get() + " time): run done "
                        + doneMs + " ms after the node started (lease " + LEASE_MS + " ms); attempts "
                        + Faults.query("SELECT outcome, count(*) FROM " + table("attempts") + " GROUP BY outcome")
                        + "; wall " + Faults.millisSince(t0) + " ms");
                assertThat(losing.lost.get()).as("the injected fault fired").isEqualTo(1);
            }
        }
        records.assertNoOverlap("case 6");
        records.assertStatesMatch(schema);
    }
}
