/**
 * Implementation of the JDBC store: SQL statements per table, dialect differences, pooling and
 * migrations. Not API: anything here may change in any release without notice, and the module
 * does not export it. {@link dev.orchestrator.jdbc.internal.JdbcEngine} is the one public class,
 * the way in for {@link dev.orchestrator.jdbc.JdbcStore}; everything else is package-private.
 */
package dev.orchestrator.jdbc.internal;
