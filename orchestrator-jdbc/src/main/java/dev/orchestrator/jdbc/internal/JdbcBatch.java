package dev.orchestrator.jdbc.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.util.List;

/** Runs one pre-rendered statement for many rows of bind values as one JDBC batch. */
public final class JdbcBatch {

    private JdbcBatch() {
    }

    /**
     * Executes {@code sql} once per row, as one batch.
     *
     * @return the update count of each row, in order
     */
    public static int[] run(Connection c, String sql, List<Object[]> rows) throws SQLException {
        if (rows.isEmpty()) {
            return new int[0];
        }
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (Object[] row : rows) {
                bind(ps, row);
                ps.addBatch();
            }
            return ps.executeBatch();
        }
    }

    /** Whether a batch update count says the row was changed. */
    public static boolean applied(int count) {
        return count > 0 || count == Statement.SUCCESS_NO_INFO;
    }

    private static void bind(PreparedStatement ps, Object[] row) throws SQLException {
        for (int i = 0; i < row.length; i++) {
            Object v = row[i];
            if (v == null) {
                // Types.OTHER lets PostgreSQL infer the parameter's type from the column.
                ps.setNull(i + 1, Types.OTHER);
            } else if (v instanceof Long l) {
                ps.setLong(i + 1, l);
            } else if (v instanceof Integer n) {
                ps.setInt(i + 1, n);
            } else if (v instanceof String s) {
                ps.setString(i + 1, s);
            } else {
                ps.setObject(i + 1, v);
            }
        }
    }
}
