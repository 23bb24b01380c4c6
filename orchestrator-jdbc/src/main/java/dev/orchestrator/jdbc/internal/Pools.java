package dev.orchestrator.jdbc.internal;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.pool.HikariPool;
import dev.orchestrator.jdbc.Dialect;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;

/** Creates the HikariCP pool for a JDBC URL, with each dialect's connection settings. */
final class Pools {

    /** How long a SQLite connection waits for another process's write lock, in milliseconds. */
    static final int SQLITE_BUSY_TIMEOUT_MS = 10_000;

    private Pools() {
    }

    /**
     * A pool of {@code size} connections to {@code jdbcUrl}. SQLite connections use WAL mode,
     * {@code synchronous=NORMAL}, a busy timeout, foreign keys, and {@code BEGIN IMMEDIATE}
     * transactions; PostgreSQL connections rewrite batched inserts into multi-row inserts.
     *
     * @throws IllegalStateException if the database cannot be reached
     */
    public static HikariDataSource open(String jdbcUrl, Dialect dialect, int size) {
        HikariConfig config = new HikariConfig();
        config.setPoolName("orchestrator-" + dialect.name().toLowerCase(java.util.Locale.ROOT));
        config.setMaximumPoolSize(size);
        config.setMinimumIdle(Math.min(size, 2));
        if (dialect == Dialect.SQLITE) {
            SQLiteConfig sqlite = new SQLiteConfig();
            sqlite.setJournalMode(SQLiteConfig.JournalMode.WAL);
            sqlite.setSynchronous(SQLiteConfig.SynchronousMode.NORMAL);
            sqlite.setBusyTimeout(SQLITE_BUSY_TIMEOUT_MS);
            sqlite.enforceForeignKeys(true);
            sqlite.setTransactionMode(SQLiteConfig.TransactionMode.IMMEDIATE);
            SQLiteDataSource ds = new SQLiteDataSource(sqlite);
            ds.setUrl(jdbcUrl);
            config.setDataSource(ds);
        } else {
            config.setJdbcUrl(jdbcUrl);
            config.addDataSourceProperty("reWriteBatchedInserts", "true");
        }
        try {
            return new HikariDataSource(config);
        } catch (HikariPool.PoolInitializationException e) {
            throw new IllegalStateException("cannot connect to " + redact(jdbcUrl) + ": "
                    + (e.getCause() != null ? e.getCause().getMessage() : e.getMessage()), e);
        }
    }

    /** {@code jdbcUrl} without its query string, which may hold a password. */
    public static String redact(String jdbcUrl) {
        int q = jdbcUrl.indexOf('?');
        return q < 0 ? jdbcUrl : jdbcUrl.substring(0, q) + "?...";
    }
}
