/**
 * Orchestrator's JDBC store: {@link dev.orchestrator.jdbc.JdbcStore} on PostgreSQL or SQLite, found
 * for {@code jdbc:} URLs through {@link dev.orchestrator.jdbc.JdbcStoreProvider}. Only
 * {@code dev.orchestrator.jdbc} is exported; {@code dev.orchestrator.jdbc.internal} is not API.
 *
 * <p>Flyway and the PostgreSQL driver have no module descriptor and are required by their
 * automatic module names. The migration scripts live in {@code db/migration/<dialect>}; those
 * folders are valid package names, so they are opened for Flyway to read them as resources.
 */
module dev.orchestrator.jdbc {
    requires transitive dev.orchestrator;
    requires transitive java.sql;
    requires org.slf4j;
    requires org.jooq;
    requires flyway.core;
    requires com.zaxxer.hikari;
    requires org.xerial.sqlitejdbc;

    exports dev.orchestrator.jdbc;

    opens db.migration.postgresql;
    opens db.migration.sqlite;

    provides dev.orchestrator.spi.StoreProvider with dev.orchestrator.jdbc.JdbcStoreProvider;
}
