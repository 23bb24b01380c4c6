/**
 * Implementation of the JDBC store: SQL statements per table, dialect differences, pooling and
 * migrations. Not API: anything here may change in any release without notice.
 */
package dev.orchestrator.jdbc.internal;
