package dev.orchestrator.jdbc;

import java.util.Locale;

/** The databases a {@link JdbcStore} can use. */
public enum Dialect {
    /** PostgreSQL 13 or newer: production use, several nodes may share one database. */
    POSTGRESQL("jdbc:postgresql:", "postgresql"),
    /** SQLite 3.35 or newer (WAL mode, one writer): the embedded default, single node. */
    SQLITE("jdbc:sqlite:", "sqlite");

    private final String urlPrefix;
    private final String migrationFolder;

    Dialect(String urlPrefix, String migrationFolder) {
        this.urlPrefix = urlPrefix;
        this.migrationFolder = migrationFolder;
    }

    /** The JDBC URL prefix of this database, such as {@code jdbc:sqlite:}. */
    public String urlPrefix() {
        return urlPrefix;
    }

    /**
     * The classpath folder of this dialect's Flyway migrations, such as {@code db/migration/sqlite}.
     * The scripts write the table prefix as the Flyway placeholder {@code ${prefix}}.
     */
    public String migrationLocation() {
        return "db/migration/" + migrationFolder;
    }

    /**
     * The dialect of a JDBC URL.
     *
     * @param jdbcUrl a {@code jdbc:sqlite:} or {@code jdbc:postgresql:} URL
     * @return its dialect
     * @throws IllegalArgumentException if the URL is null or of another database
     */
    public static Dialect fromUrl(String jdbcUrl) {
        if (jdbcUrl != null) {
            String lower = jdbcUrl.toLowerCase(Locale.ROOT);
            for (Dialect d : values()) {
                if (lower.startsWith(d.urlPrefix)) {
                    return d;
                }
            }
        }
        throw new IllegalArgumentException(
                "jdbcUrl must start with jdbc:sqlite: or jdbc:postgresql:, got " + jdbcUrl);
    }
}
