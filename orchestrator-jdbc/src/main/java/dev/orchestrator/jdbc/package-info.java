/**
 * The JDBC {@link dev.orchestrator.spi.Store}: {@link dev.orchestrator.jdbc.JdbcStore} on
 * PostgreSQL or SQLite, configured with {@link dev.orchestrator.jdbc.JdbcStoreOptions}, and found
 * for {@code jdbc:} URLs through {@link dev.orchestrator.jdbc.JdbcStoreProvider}.
 */
package dev.orchestrator.jdbc;
