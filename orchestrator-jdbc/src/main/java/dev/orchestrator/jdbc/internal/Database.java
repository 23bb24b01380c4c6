package dev.orchestrator.jdbc.internal;

import org.jooq.DSLContext;
import org.jooq.SQLDialect;
import org.jooq.conf.Settings;
import org.jooq.exception.DataAccessException;
import org.jooq.impl.DSL;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Connections and transactions. On a single-writer database (SQLite) every write transaction
 * holds one lock, so writes from several threads queue in Java instead of failing as busy.
 * {@link #on(DataSource)} gives the same over other connections (the scheduler's own pool),
 * sharing that lock. Thread-safe.
 */
final class Database {

    private final DataSource dataSource;
    private final SQLDialect dialect;
    private final Settings settings;
    private final ReentrantLock writeLock;
    private final Jdbc jdbc;

    /**
     * @param dataSource   where connections come from
     * @param dialect      jOOQ dialect
     * @param singleWriter whether write transactions must be serialized
     */
    public Database(DataSource dataSource, SQLDialect dialect, boolean singleWriter) {
        this.dataSource = dataSource;
        this.dialect = dialect;
        this.settings = new Settings().withExecuteLogging(false).withRenderSchema(true);
        this.writeLock = singleWriter ? new ReentrantLock() : null;
        // A single-writer database (SQLite) prepares statements in process, at a cost on each call:
        // keep them prepared per connection. PostgreSQL's driver caches them per connection itself.
        this.jdbc = new Jdbc(singleWriter);
    }

    private Database(Database base, DataSource dataSource) {
        this.dataSource = dataSource;
        this.dialect = base.dialect;
        this.settings = base.settings;
        this.writeLock = base.writeLock;
        this.jdbc = base.jdbc;
    }

    /** The same database through connections from {@code other}, sharing the write lock and statements. */
    public Database on(DataSource other) {
        return new Database(this, other);
    }

    /** A DSL context on {@code c}, for work on a connection held elsewhere. */
    public DSLContext using(Connection c) {
        return DSL.using(c, dialect, settings);
    }

    /** Runs the hot paths' statements. */
    public Jdbc jdbc() {
        return jdbc;
    }

    /** Releases the statements kept prepared. */
    public void close() {
        jdbc.close();
    }

    /** A DSL context without a connection, for rendering statements. */
    public DSLContext renderer() {
        return DSL.using(dialect, settings);
    }

    /** Runs {@code work} in one transaction; commits if it returns, rolls back if it throws. */
    public <T> T write(String operation, Work<T> work) {
        if (writeLock != null) {
            writeLock.lock();
        }
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                T result = work.run(DSL.using(c, dialect, settings), c);
                c.commit();
                return result;
            } catch (Throwable e) {
                rollback(c, e);
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        } catch (SQLException | DataAccessException e) {
            throw failure(operation, e);
        } finally {
            if (writeLock != null) {
                writeLock.unlock();
            }
        }
    }

    /**
     * Runs {@code work}, a write of one statement (atomic by itself), in auto-commit mode: no
     * separate commit round trip. Not for a single-writer database, whose writes take the lock.
     */
    public <T> T writeOne(String operation, Work<T> work) {
        if (writeLock != null) {
            return write(operation, work);
        }
        return read(operation, work);
    }

    /** Runs {@code work} on a connection in auto-commit mode. */
    public <T> T read(String operation, Work<T> work) {
        try (Connection c = dataSource.getConnection()) {
            return work.run(DSL.using(c, dialect, settings), c);
        } catch (SQLException | DataAccessException e) {
            throw failure(operation, e);
        }
    }

    /** Whether {@code e} (or a cause) is a unique-constraint violation. */
    public static boolean isUniqueViolation(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException s) {
                if ("23505".equals(s.getSQLState()) || s.getErrorCode() == 19 || s.getErrorCode() == 2067
                        || s.getErrorCode() == 1555) {
                    return true;
                }
            }
        }
        return false;
    }

    private static void rollback(Connection c, Throwable cause) {
        try {
            c.rollback();
        } catch (SQLException e) {
            cause.addSuppressed(e);
        }
    }

    private static IllegalStateException failure(String operation, Exception e) {
        return new IllegalStateException("store operation " + operation + " failed: " + e.getMessage(), e);
    }
}
