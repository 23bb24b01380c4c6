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
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
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
    /** Per statement text (lists of ? folded), when profiling: executions, nanoseconds, distinct raw texts. */
    private final Map<String, Entry> byText = new ConcurrentHashMap<>();
    private volatile boolean profile;

    /** Counts and times of one statement shape. */
    public static final class Entry {
        final LongAdder executions = new LongAdder();
        final LongAdder nanos = new LongAdder();
        final Map<String, Boolean> texts = new ConcurrentHashMap<>();

        public long executions() {
            return executions.sum();
        }

        public long nanos() {
            return nanos.sum();
        }

        /** Distinct statement texts of this shape (an IN list of varying length gives several). */
        public int texts() {
            return texts.size();
        }
    }

    /** Starts recording executions and time per statement text; {@link #resetProfile()} clears them. */
    public void profile(boolean on) {
        profile = on;
    }

    public void resetProfile() {
        byText.clear();
    }

    /** Executions per statement shape (whitespace collapsed, lists of {@code ?} folded to {@code ?...}), sorted by text. */
    public Map<String, Entry> profileByText() {
        return new TreeMap<>(byText);
    }

    private void record(String sql, long nanos) {
        if (sql == null) {
            sql = "<batch or unknown>";
        }
        String shape = sql.replaceAll("\\s+", " ").replaceAll("\\?(\\s*,\\s*\\?)+", "?...").trim();
        Entry e = byText.computeIfAbsent(shape, k -> new Entry());
        e.executions.increment();
        e.nanos.add(nanos);
        e.texts.putIfAbsent(sql, Boolean.TRUE);
    }

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
            long t0 = System.nanoTime();
            Object r = invoke(target, m, a);
            if (profile && (m.getName().equals("commit") || m.getName().equals("rollback"))) {
                record("<" + m.getName() + ">", System.nanoTime() - t0);
            }
            String sql = a != null && a.length > 0 && a[0] instanceof String text ? text : null;
            if (r instanceof CallableStatement s) {
                return statement(CallableStatement.class, s, sql);
            }
            if (r instanceof PreparedStatement s) {
                return statement(PreparedStatement.class, s, sql);
            }
            if (r instanceof Statement s) {
                return statement(Statement.class, s, null);
            }
            return r;
        });
    }

    private <S extends Statement> S statement(Class<S> type, S target, String preparedSql) {
        return proxy(type, target, (p, m, a) -> {
            if (!m.getName().startsWith("execute")) {
                return invoke(target, m, a);
            }
            statements.increment();
            if (!profile) {
                return invoke(target, m, a);
            }
            long t0 = System.nanoTime();
            try {
                return invoke(target, m, a);
            } finally {
                String sql = preparedSql != null ? preparedSql
                        : a != null && a.length > 0 && a[0] instanceof String text ? text : null;
                record((m.getName().equals("executeBatch") ? "[batch] " : "") + sql, System.nanoTime() - t0);
            }
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
