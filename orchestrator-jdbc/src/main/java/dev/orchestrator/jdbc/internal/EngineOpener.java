package dev.orchestrator.jdbc.internal;

import com.zaxxer.hikari.HikariDataSource;
import dev.orchestrator.jdbc.Dialect;
import dev.orchestrator.jdbc.JdbcStoreOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sql.DataSource;
import java.sql.DriverManager;

/**
 * Opens a {@link JdbcEngine}: creates (or reserves) its connection pools, runs the migrations,
 * and closes what it opened when any of that fails. Kept apart from the engine, which then holds
 * only the store's calls.
 */
final class EngineOpener {

    // Logs under the engine's name, as before this class was split out, so hosts' log settings apply.
    private static final Logger LOG = LoggerFactory.getLogger(JdbcEngine.class);

    private EngineOpener() {
    }

    /** See {@link JdbcEngine#open(String, Dialect, JdbcStoreOptions)}. */
    static JdbcEngine open(String jdbcUrl, Dialect dialect, JdbcStoreOptions options) {
        HikariDataSource pool = Pools.open(jdbcUrl, dialect, options.poolSize(dialect), options, "host", null);
        HikariDataSource scheduler = null;
        try {
            scheduler = Pools.open(jdbcUrl, dialect, Pools.SCHEDULER_CONNECTIONS, options, "scheduler",
                    dialect == Dialect.POSTGRESQL ? PostgresSupport.SCHEDULER_SESSION_SQL : null);
            JdbcEngine engine = start(pool, pool, scheduler, timeout -> {
                java.util.Properties p = Pools.postgresProperties(options);
                // Connecting must not outlast the heartbeat's time limit either.
                String connect = Long.toString(Math.min(Pools.seconds(options.connectTimeout()), Pools.seconds(timeout)));
                p.setProperty("connectTimeout", connect);
                p.setProperty("loginTimeout", connect);
                return DriverManager.getConnection(jdbcUrl, p);
            }, dialect, options);
            engine.openedAt(jdbcUrl, () -> DriverManager.getConnection(jdbcUrl)); // not one of the pool's
            LOG.info("Opened {} store at {} with {}, pool size {} (and {} for the scheduler)", dialect,
                    Pools.redact(jdbcUrl), options, options.poolSize(dialect), Pools.SCHEDULER_CONNECTIONS);
            return engine;
        } catch (RuntimeException e) {
            if (scheduler != null) {
                scheduler.close();
            }
            pool.close();
            throw e;
        }
    }

    /** See {@link JdbcEngine#open(DataSource, Dialect, JdbcStoreOptions)}. */
    static JdbcEngine open(DataSource dataSource, Dialect dialect, JdbcStoreOptions options) {
        // The scheduler's connections are taken from the given pool once and kept (reserved).
        HikariDataSource reserved = Pools.reserve(dataSource, dialect, Pools.SCHEDULER_CONNECTIONS, options);
        try {
            JdbcEngine engine = start(dataSource, null, reserved, timeout -> dataSource.getConnection(), dialect, options);
            LOG.info("Opened {} store on a given DataSource with {}; {} of its connections reserved for the scheduler",
                    dialect, options, Pools.SCHEDULER_CONNECTIONS);
            return engine;
        } catch (RuntimeException e) {
            reserved.close();
            throw e;
        }
    }

    private static JdbcEngine start(DataSource ds, HikariDataSource pool, HikariDataSource scheduler,
                                    HeartbeatLane.Opener heartbeatConnections, Dialect dialect, JdbcStoreOptions options) {
        if (options.migrate()) {
            try {
                int ran = Migrations.migrate(ds, dialect, dialect == Dialect.POSTGRESQL ? options.schema() : null,
                        options.tablePrefix());
                if (ran > 0) {
                    LOG.info("Applied {} schema migration(s) to the {} store", ran, dialect);
                }
            } catch (RuntimeException e) {
                throw new IllegalStateException("cannot migrate the " + dialect + " store: " + e.getMessage(), e);
            }
        }
        return new JdbcEngine(ds, pool, scheduler, heartbeatConnections, dialect, options);
    }
}
