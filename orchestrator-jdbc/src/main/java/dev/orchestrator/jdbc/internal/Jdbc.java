package dev.orchestrator.jdbc.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs statements rendered once ({@link Stmt}) through plain JDBC, for the hot paths. With
 * {@code cache} on (SQLite), each physical connection keeps its prepared statements across
 * transactions, so a statement is compiled once per connection instead of once per call; a
 * connection is used by one thread at a time, so its statements are too. Without it
 * (PostgreSQL), statements are prepared per call and the driver's own per-connection cache and
 * server-side prepare ({@code prepareThreshold}) do the work. Thread-safe.
 */
final class Jdbc implements AutoCloseable {

    /** Reads one row of a result. */
    @FunctionalInterface
    public interface Row {
        /** Reads the current row of {@code rs}. */
        void read(ResultSet rs) throws SQLException;
    }

    private final boolean cache;
    /** Prepared statements per physical connection; guarded by itself. */
    private final Map<Connection, Map<String, PreparedStatement>> prepared = new IdentityHashMap<>();

    /** @param cache whether to keep statements prepared per physical connection */
    public Jdbc(boolean cache) {
        this.cache = cache;
    }

    /** Executes {@code s} once per row of bind values, as one batch; returns each row's update count. */
    public int[] batch(Connection c, Stmt s, List<Object[]> rows) throws SQLException {
        if (rows.isEmpty()) {
            return new int[0];
        }
        PreparedStatement ps = acquire(c, s);
        boolean ok = false;
        try {
            for (Object[] row : rows) {
                bind(c, ps, s, row);
                ps.addBatch();
            }
            int[] counts = ps.executeBatch();
            ok = true;
            return counts;
        } finally {
            release(c, s, ps, ok);
        }
    }

    /** Executes {@code s} once with {@code args}; returns the update count. */
    public int update(Connection c, Stmt s, Object... args) throws SQLException {
        PreparedStatement ps = acquire(c, s);
        boolean ok = false;
        try {
            bind(c, ps, s, args);
            int count = ps.executeUpdate();
            ok = true;
            return count;
        } finally {
            release(c, s, ps, ok);
        }
    }

    /** Executes query (or {@code RETURNING} statement) {@code s} with {@code args}, reading every row. */
    public void query(Connection c, Stmt s, Object[] args, Row row) throws SQLException {
        PreparedStatement ps = acquire(c, s);
        boolean ok = false;
        try {
            bind(c, ps, s, args);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    row.read(rs);
                }
            }
            ok = true;
        } finally {
            release(c, s, ps, ok);
        }
    }

    /** Executes {@code sql}, which takes no bind values, as a plain statement. */
    public void execute(Connection c, String sql) throws SQLException {
        try (var st = c.createStatement()) {
            st.execute(sql);
        }
    }

    /** Closes every statement kept prepared. */
    @Override
    public void close() {
        List<PreparedStatement> all = new ArrayList<>();
        synchronized (prepared) {
            prepared.values().forEach(m -> all.addAll(m.values()));
            prepared.clear();
        }
        for (PreparedStatement ps : all) {
            closeQuietly(ps);
        }
    }

    private PreparedStatement acquire(Connection c, Stmt s) throws SQLException {
        if (!cache) {
            return c.prepareStatement(s.sql());
        }
        // The physical connection: a pool's proxy would close the statements when given back.
        Connection raw = c.unwrap(Connection.class);
        Map<String, PreparedStatement> statements;
        synchronized (prepared) {
            statements = prepared.get(raw);
            if (statements == null) {
                forgetClosedConnections();
                statements = new HashMap<>();
                prepared.put(raw, statements);
            }
        }
        // Only the thread holding the connection uses its statements.
        PreparedStatement ps = statements.get(s.sql());
        if (ps == null || ps.isClosed()) {
            ps = raw.prepareStatement(s.sql());
            statements.put(s.sql(), ps);
        }
        return ps;
    }

    private void release(Connection c, Stmt s, PreparedStatement ps, boolean ok) throws SQLException {
        if (!cache) {
            ps.close();
            return;
        }
        if (!ok) {
            // Its state after a failure is unknown: prepare it again next time.
            Connection raw = c.unwrap(Connection.class);
            synchronized (prepared) {
                Map<String, PreparedStatement> statements = prepared.get(raw);
                if (statements != null) {
                    statements.remove(s.sql());
                }
            }
            closeQuietly(ps);
        }
    }

    private void forgetClosedConnections() {
        var it = prepared.entrySet().iterator();
        while (it.hasNext()) {
            var e = it.next();
            boolean closed;
            try {
                closed = e.getKey().isClosed();
            } catch (SQLException ex) {
                closed = true;
            }
            if (closed) {
                e.getValue().values().forEach(Jdbc::closeQuietly);
                it.remove();
            }
        }
    }

    private static void closeQuietly(PreparedStatement ps) {
        try {
            ps.close();
        } catch (SQLException | RuntimeException ignored) {
            // the connection may be gone already; nothing to release then
        }
    }

    private static void bind(Connection c, PreparedStatement ps, Stmt s, Object[] args) throws SQLException {
        if (args.length != s.parameters()) {
            throw new IllegalArgumentException("statement takes " + s.parameters() + " bind values, got "
                    + args.length + ": " + s.sql());
        }
        bindValues(c, ps, args);
    }

    /** Binds {@code args} in order: nulls, longs, ints, strings, and arrays of those as SQL arrays. */
    static void bindValues(Connection c, PreparedStatement ps, Object[] args) throws SQLException {
        for (int i = 0; i < args.length; i++) {
            Object v = args[i];
            if (v == null) {
                // Types.OTHER lets PostgreSQL infer the parameter's type from the column.
                ps.setNull(i + 1, Types.OTHER);
            } else if (v instanceof Long l) {
                ps.setLong(i + 1, l);
            } else if (v instanceof Integer n) {
                ps.setInt(i + 1, n);
            } else if (v instanceof String str) {
                ps.setString(i + 1, str);
            } else if (v instanceof Long[] a) {
                ps.setArray(i + 1, c.createArrayOf("int8", a));
            } else if (v instanceof Integer[] a) {
                ps.setArray(i + 1, c.createArrayOf("int4", a));
            } else if (v instanceof String[] a) {
                ps.setArray(i + 1, c.createArrayOf("text", a));
            } else {
                ps.setObject(i + 1, v);
            }
        }
    }
}
