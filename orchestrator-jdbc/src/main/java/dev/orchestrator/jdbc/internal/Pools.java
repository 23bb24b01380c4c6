package dev.orchestrator.jdbc.internal;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.pool.HikariPool;
import dev.orchestrator.jdbc.Dialect;
import dev.orchestrator.jdbc.JdbcStoreOptions;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;

import javax.sql.DataSource;
import java.time.Duration;
import java.util.Properties;

/**
 * Creates the HikariCP pools of a store, with each dialect's connection settings and the
 * store's timeouts. A store has two: one for the host's calls (triggers, listings, reads) and a
 * small one of its own for the scheduler, so host reads never take the scheduler's connections.
 */
final class Pools {

    /** How long a SQLite connection waits for another process's write lock, in milliseconds. */
    static final int SQLITE_BUSY_TIMEOUT_MS = 10_000;
    /**
     * Connections of the scheduler's own pool: the loop uses one at a time; the second covers
     * a caller of {@code fireDueSchedules} beside it.
     */
    static final int SCHEDULER_CONNECTIONS = 2;

    private Pools() {
    }

    /**
     * A pool of {@code size} connections to {@code jdbcUrl}, named {@code orchestrator-<dialect>-<role>}.
     * SQLite connections use WAL mode, {@code synchronous=NORMAL}, a busy timeout, foreign keys,
     * and {@code BEGIN IMMEDIATE} transactions; PostgreSQL connections rewrite batched inserts
     * into multi-row inserts and carry the connect, socket and statement timeouts of {@code options}.
     * Each new connection first runs {@code initSql}, unless it is {@code null}.
     *
     * @throws IllegalStateException if the database cannot be reached
     */
    static HikariDataSource open(String jdbcUrl, Dialect dialect, int size, JdbcStoreOptions options, String role,
                                 String initSql) {
        HikariConfig config = config(dialect.name().toLowerCase(java.util.Locale.ROOT) + "-" + role, size, options);
        if (initSql != null) {
            config.setConnectionInitSql(initSql);
        }
        if (dialect == Dialect.SQLITE) {
            SQLiteDataSource ds = new SQLiteDataSource(sqliteConfig());
            ds.setUrl(jdbcUrl);
            config.setDataSource(ds);
        } else {
            config.setJdbcUrl(jdbcUrl);
            config.setDataSourceProperties(postgresProperties(options));
        }
        return start(config, redact(jdbcUrl));
    }

    /**
     * A pool of {@code size} connections taken from {@code dataSource} and kept: connections
     * reserved for the scheduler in a pool the host application owns (and sizes).
     */
    static HikariDataSource reserve(DataSource dataSource, Dialect dialect, int size, JdbcStoreOptions options) {
        HikariConfig config = config(dialect.name().toLowerCase(java.util.Locale.ROOT) + "-scheduler", size, options);
        config.setDataSource(dataSource);
        return start(config, "the given DataSource");
    }

    /**
     * The pgjdbc properties of {@code options}' timeouts (seconds for the driver's, milliseconds
     * for the server's {@code statement_timeout}). A URL that sets one of them wins: the driver
     * reads its URL's parameters over these.
     */
    static Properties postgresProperties(JdbcStoreOptions options) {
        Properties p = new Properties();
        p.setProperty("reWriteBatchedInserts", "true");
        String connect = Long.toString(seconds(options.connectTimeout()));
        p.setProperty("connectTimeout", connect);
        p.setProperty("loginTimeout", connect);
        p.setProperty("socketTimeout", Long.toString(seconds(options.socketTimeout())));
        if (!options.statementTimeout().isZero()) {
            p.setProperty("options", "-c statement_timeout=" + options.statementTimeout().toMillis());
        }
        return p;
    }

    static SQLiteConfig sqliteConfig() {
        SQLiteConfig sqlite = new SQLiteConfig();
        sqlite.setJournalMode(SQLiteConfig.JournalMode.WAL);
        sqlite.setSynchronous(SQLiteConfig.SynchronousMode.NORMAL);
        sqlite.setBusyTimeout(SQLITE_BUSY_TIMEOUT_MS);
        sqlite.enforceForeignKeys(true);
        sqlite.setTransactionMode(SQLiteConfig.TransactionMode.IMMEDIATE);
        return sqlite;
    }

    private static HikariConfig config(String name, int size, JdbcStoreOptions options) {
        HikariConfig config = new HikariConfig();
        config.setPoolName("orchestrator-" + name);
        config.setMaximumPoolSize(size);
        config.setMinimumIdle(Math.min(size, 2));
        // Never the 30 s default: a caller (the scheduler loop above all) fails and retries instead.
        config.setConnectionTimeout(options.poolTimeout().toMillis());
        config.setValidationTimeout(Math.min(options.poolTimeout().toMillis(), 5_000));
        return config;
    }

    private static HikariDataSource start(HikariConfig config, String where) {
        try {
            return new HikariDataSource(config);
        } catch (HikariPool.PoolInitializationException e) {
            throw new IllegalStateException("cannot connect to " + where + ": "
                    + (e.getCause() != null ? e.getCause().getMessage() : e.getMessage()), e);
        }
    }

    /** Whole seconds, rounded up (the unit of pgjdbc's timeouts); zero stays zero (no limit). */
    static long seconds(Duration d) {
        return d.isZero() ? 0 : Math.max(1, (d.toMillis() + 999) / 1000);
    }

    /** {@code jdbcUrl} without its query string, which may hold a password. */
    public static String redact(String jdbcUrl) {
        int q = jdbcUrl.indexOf('?');
        return q < 0 ? jdbcUrl : jdbcUrl.substring(0, q) + "?...";
    }
}
