package dev.orchestrator.jdbc;

import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Immutable settings of a {@link JdbcStore}. Create with {@link #builder()}; the defaults are
 * {@link #defaults()}. Thread-safe.
 *
 * <p>Every table and index of the store carries one {@linkplain #tablePrefix() prefix}, so it can
 * share a database (and, on PostgreSQL, a schema) with the host application's own tables, and two
 * stores with different prefixes can share one schema. On PostgreSQL, a {@linkplain #schema() schema}
 * of its own keeps the store out of the host's schema altogether.
 *
 * <p>No call to the database waits forever: on PostgreSQL, connecting gives up after
 * {@linkplain #connectTimeout() 10 s}, a statement is cancelled by the server after
 * {@linkplain #statementTimeout() 30 s}, a read from a silent (half-open) connection fails after
 * {@linkplain #socketTimeout() 60 s}, and waiting for a pooled connection fails after
 * {@linkplain #poolTimeout() 5 s}. The node's heartbeat has tighter limits of its own, derived
 * from its lease (see {@code OrchestratorBuilder.nodeLease}).
 */
public final class JdbcStoreOptions {

    /** Largest accepted {@link Builder#poolSize(int)}. */
    public static final int MAX_POOL_SIZE = 1000;
    /** Longest accepted {@link Builder#tablePrefix(String)}. */
    public static final int MAX_TABLE_PREFIX_LENGTH = 16;
    /** The default {@link #tablePrefix()}. */
    public static final String DEFAULT_TABLE_PREFIX = "orc_";
    /** The default {@link #schema()}. */
    public static final String DEFAULT_SCHEMA = "public";

    /** The default {@link #connectTimeout()}. */
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(10);
    /** The default {@link #socketTimeout()}. */
    public static final Duration DEFAULT_SOCKET_TIMEOUT = Duration.ofSeconds(60);
    /** The default {@link #statementTimeout()}. */
    public static final Duration DEFAULT_STATEMENT_TIMEOUT = Duration.ofSeconds(30);
    /** The default {@link #poolTimeout()}. */
    public static final Duration DEFAULT_POOL_TIMEOUT = Duration.ofSeconds(5);
    /** Longest accepted timeout. */
    public static final Duration MAX_TIMEOUT = Duration.ofHours(1);

    private static final Pattern SCHEMA = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,62}");
    private static final Pattern TABLE_PREFIX = Pattern.compile("[a-z][a-z0-9_]{0," + (MAX_TABLE_PREFIX_LENGTH - 1) + "}");
    private static final JdbcStoreOptions DEFAULTS = builder().build();

    private final String schema;
    private final String tablePrefix;
    private final int poolSize;
    private final boolean migrate;
    private final boolean databaseClock;
    private final boolean listen;
    private final Duration connectTimeout;
    private final Duration socketTimeout;
    private final Duration statementTimeout;
    private final Duration poolTimeout;

    private JdbcStoreOptions(Builder b) {
        this.connectTimeout = b.connectTimeout;
        this.socketTimeout = b.socketTimeout;
        this.statementTimeout = b.statementTimeout;
        this.poolTimeout = b.poolTimeout;
        this.listen = b.listen;
        this.schema = b.schema;
        this.tablePrefix = b.tablePrefix;
        this.poolSize = b.poolSize;
        this.migrate = b.migrate;
        this.databaseClock = b.databaseClock;
    }

    /** The default options: schema {@code public}, prefix {@code orc_}, the dialect's pool size, migrations on. */
    public static JdbcStoreOptions defaults() {
        return DEFAULTS;
    }

    /** A builder holding the defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding these options. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.schema = schema;
        b.tablePrefix = tablePrefix;
        b.poolSize = poolSize;
        b.migrate = migrate;
        b.databaseClock = databaseClock;
        b.listen = listen;
        b.connectTimeout = connectTimeout;
        b.socketTimeout = socketTimeout;
        b.statementTimeout = statementTimeout;
        b.poolTimeout = poolTimeout;
        return b;
    }

    /** The PostgreSQL schema that holds the tables; ignored for SQLite. Default {@code public}. */
    public String schema() {
        return schema;
    }

    /**
     * The prefix of every table and index name of the store, such as {@code orc_tasks} and the
     * Flyway history table {@code orc_schema_history}. Default {@value #DEFAULT_TABLE_PREFIX}.
     */
    public String tablePrefix() {
        return tablePrefix;
    }

    /**
     * Connections in the pool the store creates, or {@code 0} for the dialect's default
     * (10 for PostgreSQL, 4 for SQLite). Ignored when the store is given a {@code DataSource}.
     */
    public int poolSize() {
        return poolSize;
    }

    /** The pool size to use for {@code dialect}: {@link #poolSize()} or the dialect's default. */
    public int poolSize(Dialect dialect) {
        if (poolSize > 0) {
            return poolSize;
        }
        return dialect == Dialect.SQLITE ? 4 : 10;
    }

    /** Whether opening the store runs its Flyway migrations. Default {@code true}. */
    public boolean migrate() {
        return migrate;
    }

    /**
     * Whether node heartbeats and liveness use the database server's clock (PostgreSQL), so the
     * nodes never compare their own machines' clocks. Default {@code true}; SQLite always uses the
     * one process's clock.
     */
    public boolean databaseClock() {
        return databaseClock;
    }

    /**
     * Whether a started node on PostgreSQL listens for wake-ups ({@code LISTEN} on a dedicated
     * connection), so work triggered or released by another process starts at once rather than at
     * the next poll. Default {@code true}; see {@link Builder#listen(boolean)}. Ignored for SQLite.
     */
    public boolean listen() {
        return listen;
    }

    /**
     * How long opening a PostgreSQL connection may take (TCP connect and log-in), in whole
     * seconds (pgjdbc's {@code connectTimeout} and {@code loginTimeout}). Default 10 s.
     */
    public Duration connectTimeout() {
        return connectTimeout;
    }

    /**
     * How long a read from a PostgreSQL connection may wait for the server, in whole seconds
     * (pgjdbc's {@code socketTimeout}): a connection that went silent (a half-open TCP
     * connection, a server behind a dead network path) fails after this instead of blocking for
     * good. {@link Duration#ZERO} means no limit. Default 60 s, longer than the
     * {@linkplain #statementTimeout() statement timeout} so a slow statement is cancelled by the
     * server first.
     */
    public Duration socketTimeout() {
        return socketTimeout;
    }

    /**
     * How long the PostgreSQL server lets one statement run before cancelling it (the session's
     * {@code statement_timeout}), including waiting for locks. {@link Duration#ZERO} means no limit.
     * Default 30 s.
     */
    public Duration statementTimeout() {
        return statementTimeout;
    }

    /**
     * How long a caller waits for a connection from the store's own pools before failing
     * (HikariCP's {@code connectionTimeout}), on both dialects. Default 5 s. Ignored when the
     * store is given a {@code DataSource}.
     */
    public Duration poolTimeout() {
        return poolTimeout;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof JdbcStoreOptions other && schema.equals(other.schema)
                && tablePrefix.equals(other.tablePrefix) && poolSize == other.poolSize && migrate == other.migrate
                && databaseClock == other.databaseClock
                && listen == other.listen && connectTimeout.equals(other.connectTimeout)
                && socketTimeout.equals(other.socketTimeout) && statementTimeout.equals(other.statementTimeout)
                && poolTimeout.equals(other.poolTimeout);
    }

    @Override
    public int hashCode() {
        return Objects.hash(schema, tablePrefix, poolSize, migrate, databaseClock, listen, connectTimeout, socketTimeout,
                statementTimeout, poolTimeout);
    }

    @Override
    public String toString() {
        return "JdbcStoreOptions{schema=" + schema + ", tablePrefix=" + tablePrefix + ", poolSize="
                + (poolSize == 0 ? "default" : poolSize) + ", migrate=" + migrate + ", databaseClock=" + databaseClock
                + ", listen=" + listen + ", connectTimeout=" + connectTimeout + ", socketTimeout=" + socketTimeout
                + ", statementTimeout=" + statementTimeout + ", poolTimeout=" + poolTimeout + "}";
    }

    /**
     * Builds {@link JdbcStoreOptions}. Each setter checks its value at once and throws
     * {@link IllegalArgumentException} naming the option, the value and the rule. Not thread-safe.
     */
    public static final class Builder {
        private String schema = DEFAULT_SCHEMA;
        private String tablePrefix = DEFAULT_TABLE_PREFIX;
        private int poolSize;
        private boolean migrate = true;
        private boolean databaseClock = true;
        private boolean listen = true;
        private Duration connectTimeout = DEFAULT_CONNECT_TIMEOUT;
        private Duration socketTimeout = DEFAULT_SOCKET_TIMEOUT;
        private Duration statementTimeout = DEFAULT_STATEMENT_TIMEOUT;
        private Duration poolTimeout = DEFAULT_POOL_TIMEOUT;

        private Builder() {
        }

        /**
         * The PostgreSQL schema that holds the tables (created if missing when migrations run).
         * Default {@value JdbcStoreOptions#DEFAULT_SCHEMA}. Ignored for SQLite.
         *
         * @throws IllegalArgumentException unless it is a plain identifier of 1 to 63 letters, digits
         *                                  or underscores, not starting with a digit nor with {@code pg_}
         *                                  (reserved by PostgreSQL)
         */
        public Builder schema(String schema) {
            if (schema == null || !SCHEMA.matcher(schema).matches()) {
                throw new IllegalArgumentException("schema must be 1 to 63 letters, digits or underscores, "
                        + "not starting with a digit, got " + quoted(schema));
            }
            if (schema.toLowerCase(Locale.ROOT).startsWith("pg_")) {
                throw new IllegalArgumentException("schema must not start with pg_ (reserved by PostgreSQL), got "
                        + quoted(schema));
            }
            this.schema = schema;
            return this;
        }

        /**
         * The prefix of every table and index name of the store. Default
         * {@value JdbcStoreOptions#DEFAULT_TABLE_PREFIX}. Stores with different prefixes are
         * independent, even in one schema.
         *
         * @throws IllegalArgumentException unless it is 1 to {@value JdbcStoreOptions#MAX_TABLE_PREFIX_LENGTH}
         *                                  lower-case letters, digits or underscores, starting with a
         *                                  letter and not with {@code sqlite_} (reserved by SQLite)
         */
        public Builder tablePrefix(String tablePrefix) {
            if (tablePrefix == null || !TABLE_PREFIX.matcher(tablePrefix).matches()) {
                throw new IllegalArgumentException("tablePrefix must be 1 to " + MAX_TABLE_PREFIX_LENGTH
                        + " lower-case letters, digits or underscores, starting with a letter, got "
                        + quoted(tablePrefix));
            }
            if (tablePrefix.startsWith("sqlite_")) {
                throw new IllegalArgumentException("tablePrefix must not start with sqlite_ (reserved by SQLite), got "
                        + quoted(tablePrefix));
            }
            this.tablePrefix = tablePrefix;
            return this;
        }

        /**
         * Connections in the pool the store creates; {@code 0} means the dialect's default (10 for
         * PostgreSQL, 4 for SQLite, where only one of them writes at a time). Default {@code 0}.
         *
         * @throws IllegalArgumentException unless between 0 and {@value JdbcStoreOptions#MAX_POOL_SIZE}
         */
        public Builder poolSize(int poolSize) {
            if (poolSize < 0 || poolSize > MAX_POOL_SIZE) {
                throw new IllegalArgumentException(
                        "poolSize must be between 0 and " + MAX_POOL_SIZE + ", got " + poolSize);
            }
            this.poolSize = poolSize;
            return this;
        }

        /**
         * Whether opening the store runs its Flyway migrations. Default {@code true}; turn it off
         * when the schema is migrated by other means: the scripts are in the jar under
         * {@code db/migration/<dialect>}, with {@code ${prefix}} standing for the
         * {@linkplain #tablePrefix(String) table prefix}.
         */
        public Builder migrate(boolean migrate) {
            this.migrate = migrate;
            return this;
        }

        /**
         * Whether node heartbeats and liveness use the PostgreSQL server's clock. Default
         * {@code true}. Turn it off only where a test controls time through the {@code now} it
         * passes to the store: then the callers' clocks are compared, which several machines must
         * keep in step.
         */
        public Builder databaseClock(boolean databaseClock) {
            this.databaseClock = databaseClock;
            return this;
        }

        /**
         * Whether a started node on PostgreSQL listens for wake-ups. Default {@code true}: every
         * write that makes tasks ready (a trigger, a released step, a queued retry) sends one
         * {@code NOTIFY} when it commits, and each started node {@code LISTEN}s on a connection of
         * its own (opened from the store's URL or taken from its {@code DataSource} and held), so it
         * claims at once. Turn it off behind a pooler in transaction mode (such as PgBouncer), which
         * cannot hold a {@code LISTEN}: the poll interval is then the only way a node hears of work
         * from other processes. Notifications are sent either way. Ignored for SQLite.
         */
        public Builder listen(boolean listen) {
            this.listen = listen;
            return this;
        }

        /**
         * How long opening a PostgreSQL connection may take. Default 10 s; rounded up to whole
         * seconds (the driver's unit). Ignored for SQLite.
         *
         * @throws IllegalArgumentException unless between 1 s and 1 h
         */
        public Builder connectTimeout(Duration connectTimeout) {
            this.connectTimeout = timeout("connectTimeout", connectTimeout, false, Duration.ofSeconds(1));
            return this;
        }

        /**
         * How long a read from a PostgreSQL connection may wait for the server; {@link Duration#ZERO}
         * for no limit. Default 60 s; rounded up to whole seconds. Ignored for SQLite.
         *
         * @throws IllegalArgumentException unless zero or between 1 s and 1 h
         */
        public Builder socketTimeout(Duration socketTimeout) {
            this.socketTimeout = timeout("socketTimeout", socketTimeout, true, Duration.ofSeconds(1));
            return this;
        }

        /**
         * How long the PostgreSQL server lets one statement run; {@link Duration#ZERO} for no limit.
         * Default 30 s; whole milliseconds. Ignored for SQLite.
         *
         * @throws IllegalArgumentException unless zero or between 1 ms and 1 h
         */
        public Builder statementTimeout(Duration statementTimeout) {
            this.statementTimeout = timeout("statementTimeout", statementTimeout, true, Duration.ofMillis(1));
            return this;
        }

        /**
         * How long a caller waits for a connection from the store's pools. Default 5 s.
         *
         * @throws IllegalArgumentException unless between 250 ms (HikariCP's least) and 1 h
         */
        public Builder poolTimeout(Duration poolTimeout) {
            this.poolTimeout = timeout("poolTimeout", poolTimeout, false, Duration.ofMillis(250));
            return this;
        }

        /**
         * The options.
         *
         * @throws IllegalStateException if a non-zero {@linkplain #socketTimeout(Duration) socket timeout}
         *                               is not longer than a non-zero
         *                               {@linkplain #statementTimeout(Duration) statement timeout} (the
         *                               connection would be dropped before the server cancels the
         *                               statement)
         */
        public JdbcStoreOptions build() {
            if (!socketTimeout.isZero() && !statementTimeout.isZero()
                    && socketTimeout.compareTo(statementTimeout) <= 0) {
                throw new IllegalStateException("socketTimeout (" + socketTimeout + ") must be longer than statementTimeout ("
                        + statementTimeout + "), or either must be zero");
            }
            return new JdbcStoreOptions(this);
        }

        private static Duration timeout(String name, Duration value, boolean zeroAllowed, Duration least) {
            if (value == null) {
                throw new IllegalArgumentException(name + " must not be null");
            }
            if (zeroAllowed && value.isZero()) {
                return value;
            }
            if (value.compareTo(least) < 0 || value.compareTo(MAX_TIMEOUT) > 0) {
                throw new IllegalArgumentException(name + " must be " + (zeroAllowed ? "zero or " : "") + "between "
                        + least + " and " + MAX_TIMEOUT + ", got " + value);
            }
            return value;
        }

        private static String quoted(String value) {
            return value == null ? "null" : "'" + value + "'";
        }
    }
}
