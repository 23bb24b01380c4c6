package dev.orchestrator.bench;

import javax.sql.DataSource;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.CallableStatement;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counts what an application sends to the database through JDBC: every
 * {@code execute*}/{@code executeBatch} call on a statement, every commit and rollback, every
 * {@link Connection#isValid} check (a pool's liveness ping) and every physical connection
 * opened. Wrap the raw {@link DataSource} that a pool draws from, so the pool's own traffic
 * is counted too.
 */
public final class StatementCounter {

    private final LongAdder statements = new LongAdder();
    private final LongAdder transactions = new LongAdder();
    private final LongAdder pings = new LongAdder();
    private final LongAdder connections = new LongAdder();

    /** Statements executed (a batch counts once). */
    public long statements() {
        return statements.sum();
    }

    /** Commits and rollbacks. */
    public long transactions() {
        return transactions.sum();
    }

    /** {@code isValid} checks. */
    public long pings() {
        return pings.sum();
    }

    /** Physical connections opened. */
    public long connections() {
        return connections.sum();
    }

    /** Everything that reached the database as a round trip: statements, commits/rollbacks, pings. */
    public long roundTrips() {
        return statements() + transactions() + pings();
    }

    /** {@code target} with every connection it hands out counted. */
    public DataSource wrap(DataSource target) {
        return proxy(DataSource.class, target, (p, m, a) -> {
            Object r = invoke(target, m, a);
            if (r instanceof Connection c) {
                connections.increment();
                return connection(c);
            }
            return r;
        });
    }

    /** {@code target} counted. */
    public Connection connection(Connection target) {
        return proxy(Connection.class, target, (p, m, a) -> {
            switch (m.getName()) {
                case "commit", "rollback" -> transactions.increment();
                case "isValid" -> pings.increment();
                default -> {
                }
            }
            Object r = invoke(target, m, a);
            if (r instanceof CallableStatement s) {
                return statement(CallableStatement.class, s);
            }
            if (r instanceof PreparedStatement s) {
                return statement(PreparedStatement.class, s);
            }
            if (r instanceof Statement s) {
                return statement(Statement.class, s);
            }
            return r;
        });
    }

    private <S extends Statement> S statement(Class<S> type, S target) {
        return proxy(type, target, (p, m, a) -> {
            if (m.getName().startsWith("execute")) {
                statements.increment();
            }
            return invoke(target, m, a);
        });
    }

    private static Object invoke(Object target, Method m, Object[] args) throws Throwable {
        try {
            return m.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    @SuppressWarnings("unchecked")
    private static <T> T proxy(Class<T> type, T target, InvocationHandler h) {
        return (T) Proxy.newProxyInstance(StatementCounter.class.getClassLoader(), new Class<?>[]{type}, (p, m, a) -> {
            if (m.getName().equals("unwrap") && a != null && a.length == 1 && a[0] == type) {
                return p;
            }
            if (m.getName().equals("isWrapperFor") && a != null && a.length == 1 && a[0] == type) {
                return true;
            }
            return h.invoke(p, m, a);
        });
    }
}
