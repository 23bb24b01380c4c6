package dev.orchestrator.jdbc.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/** Runs one pre-rendered statement for many rows of bind values as one JDBC batch. */
final class JdbcBatch {

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
                Jdbc.bindValues(c, ps, row);
                ps.addBatch();
            }
            return ps.executeBatch();
        }
    }

    /** Whether a batch update count says the row was changed. */
    public static boolean applied(int count) {
        return count > 0 || count == Statement.SUCCESS_NO_INFO;
    }
}
