package dev.orchestrator.jdbc.internal;

import dev.orchestrator.jdbc.Dialect;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.configuration.FluentConfiguration;
import org.flywaydb.core.api.output.MigrateResult;

import javax.sql.DataSource;
import java.util.Map;

/**
 * Runs the store's Flyway migrations ({@code db/migration/<dialect>/V*__*.sql}, with
 * {@code ${prefix}} replaced by the table prefix), recording them in the prefixed history table
 * {@code <prefix>schema_history}, so they never mix with a host application's own Flyway history.
 *
 * <p>The store migrates beside the host's tables: a database or schema that already holds other
 * tables (but not this prefix's history table) is baselined at version 0, so V1 and every later
 * migration still run; nothing of the host's is read or changed.
 */
final class Migrations {

    /** The suffix of the store's Flyway history table, after the table prefix. */
    public static final String HISTORY_TABLE_SUFFIX = "schema_history";

    private Migrations() {
    }

    /**
     * Migrates the schema to the latest version; does nothing if it is current.
     *
     * @param schema PostgreSQL schema (created if missing), or {@code null} for SQLite
     * @param prefix the table prefix, already checked to be a plain identifier
     * @return how many migrations ran
     */
    public static int migrate(DataSource dataSource, Dialect dialect, String schema, String prefix) {
        FluentConfiguration config = Flyway.configure(Migrations.class.getClassLoader())
                .dataSource(dataSource)
                .locations("classpath:" + dialect.migrationLocation())
                .table(prefix + HISTORY_TABLE_SUFFIX)
                .placeholders(Map.of("prefix", prefix))
                .baselineOnMigrate(true)
                .baselineVersion("0")
                .baselineDescription("<< tables of others present >>");
        if (schema != null) {
            config = config.schemas(schema).defaultSchema(schema).createSchemas(true);
        }
        MigrateResult result = config.load().migrate();
        return result.migrationsExecuted;
    }
}
