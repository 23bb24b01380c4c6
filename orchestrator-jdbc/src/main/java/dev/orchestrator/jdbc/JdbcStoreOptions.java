package dev.orchestrator.jdbc;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Immutable settings of a {@link JdbcStore}. Create with {@link #newBuilder()}; the defaults are
 * {@link #defaults()}.
 */
public final class JdbcStoreOptions {

    /** Largest accepted {@link Builder#poolSize(int)}. */
    public static final int MAX_POOL_SIZE = 1000;

    private static final Pattern SCHEMA = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,62}");
    private static final JdbcStoreOptions DEFAULTS = newBuilder().build();

    private final String schema;
    private final int poolSize;
    private final boolean migrate;

    private JdbcStoreOptions(Builder b) {
        this.schema = b.schema;
        this.poolSize = b.poolSize;
        this.migrate = b.migrate;
    }

    /** The default options: schema {@code public}, the dialect's default pool size, migrations on. */
    public static JdbcStoreOptions defaults() {
        return DEFAULTS;
    }

    /** A builder holding the defaults. */
    public static Builder newBuilder() {
        return new Builder();
    }

    /** A builder holding these options. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.schema = schema;
        b.poolSize = poolSize;
        b.migrate = migrate;
        return b;
    }

    /** The PostgreSQL schema that holds the tables; ignored for SQLite. Default {@code public}. */
    public String schema() {
        return schema;
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

    @Override
    public boolean equals(Object o) {
        return o instanceof JdbcStoreOptions other && schema.equals(other.schema) && poolSize == other.poolSize
                && migrate == other.migrate;
    }

    @Override
    public int hashCode() {
        return Objects.hash(schema, poolSize, migrate);
    }

    @Override
    public String toString() {
        return "JdbcStoreOptions{schema=" + schema + ", poolSize=" + (poolSize == 0 ? "default" : poolSize)
                + ", migrate=" + migrate + "}";
    }

    /** Builds {@link JdbcStoreOptions}; each setter checks its value at once. Not thread-safe. */
    public static final class Builder {
        private String schema = "public";
        private int poolSize;
        private boolean migrate = true;

        private Builder() {
        }

        /**
         * The PostgreSQL schema that holds the tables (created by the migrations if missing).
         * Default {@code public}. Ignored for SQLite.
         *
         * @throws IllegalArgumentException unless it is a plain identifier of 1 to 63 letters, digits
         *                                  or underscores, not starting with a digit
         */
        public Builder schema(String schema) {
            if (schema == null || !SCHEMA.matcher(schema).matches()) {
                throw new IllegalArgumentException("schema must be 1 to 63 letters, digits or underscores, "
                        + "not starting with a digit, got " + (schema == null ? "null" : "'" + schema + "'"));
            }
            this.schema = schema;
            return this;
        }

        /**
         * Connections in the pool the store creates; {@code 0} means the dialect's default (10 for
         * PostgreSQL, 4 for SQLite, where only one of them writes at a time).
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
         * when the schema is migrated by other means (the scripts are in the jar under
         * {@code db/migration/<dialect>}).
         */
        public Builder migrate(boolean migrate) {
            this.migrate = migrate;
            return this;
        }

        /** The options. */
        public JdbcStoreOptions build() {
            return new JdbcStoreOptions(this);
        }
    }
}
