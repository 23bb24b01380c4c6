package dev.orchestrator.bench;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.orchestrator.jdbc.Dialect;
import dev.orchestrator.jdbc.JdbcStore;
import dev.orchestrator.jdbc.JdbcStoreOptions;
import org.postgresql.ds.PGSimpleDataSource;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;

import javax.sql.DataSource;

/**
 * Opens the store of a {@link BenchDatabase}. On PostgreSQL the schema is passed as a store
 * option: {@code JdbcStore.open(url)} puts its tables in the option's schema ({@code public} by
 * default) whatever the URL's {@code currentSchema} says.
 */
final class Stores {

    private Stores() {
    }

    static JdbcStoreOptions options(BenchDatabase db) {
        return db.postgres() ? JdbcStoreOptions.builder().schema(db.schema()).build() : JdbcStoreOptions.defaults();
    }

    /** The store as a user opens it: {@link JdbcStore#open(String, JdbcStoreOptions)} with its own pool. */
    static JdbcStore open(BenchDatabase db) {
        return JdbcStore.open(db.url(), options(db));
    }

    /** A counted store: a pool configured like the store's own, drawing from a counted raw data source. */
    static final class Counted implements AutoCloseable {
        final JdbcStore store;
        final HikariDataSource pool;
        final StatementCounter counter = new StatementCounter();

        Counted(BenchDatabase db) {
            DataSource raw;
            HikariConfig config = new HikariConfig();
            if (db.postgres()) {
                PGSimpleDataSource pg = new PGSimpleDataSource();
                pg.setUrl(db.url());
                pg.setReWriteBatchedInserts(true);
                raw = pg;
                config.setMaximumPoolSize(10);
            } else {
                SQLiteConfig sqlite = new SQLiteConfig();
                sqlite.setJournalMode(SQLiteConfig.JournalMode.WAL);
                sqlite.setSynchronous(SQLiteConfig.SynchronousMode.NORMAL);
                sqlite.setBusyTimeout(10_000);
                sqlite.enforceForeignKeys(true);
                sqlite.setTransactionMode(SQLiteConfig.TransactionMode.IMMEDIATE);
                SQLiteDataSource ds = new SQLiteDataSource(sqlite);
                ds.setUrl(db.url());
                raw = ds;
                config.setMaximumPoolSize(4);
            }
            config.setMinimumIdle(2);
            config.setPoolName("bench-counted");
            config.setDataSource(counter.wrap(raw));
            pool = new HikariDataSource(config);
            store = JdbcStore.open(pool, db.postgres() ? Dialect.POSTGRESQL : Dialect.SQLITE, options(db));
        }

        @Override
        public void close() {
            store.close();
            pool.close();
        }
    }
}
