package dev.orchestrator.jdbc.internal;

import dev.orchestrator.jdbc.Dialect;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.configuration.FluentConfiguration;
import org.flywaydb.core.api.output.MigrateResult;

import javax.sql.DataSource;

/**
 * Runs the store's Flyway migrations ({@code db/migration/<dialect>/V*__*.sql}), recording them in
 * {@value #HISTORY_TABLE} so they never mix with a host application's own Flyway history.
 */
public final class Migrations {

    /** The store's Flyway history table. */
    public static final String HISTORY_TABLE = "orchestrator_schema_history";

    private Migrations() {
    }

    /**
     * Migrates the schema to the latest version; does nothing if it is current.
     *
     * @param schema PostgreSQL schema (created if missing), or {@code null} for SQLite
     * @return how many migrations ran
     */
    public static int migrate(DataSource dataSource, Dialect dialect, String schema) {
        FluentConfiguration config = Flyway.configure(Migrations.class.getClassLoader())
                .dataSource(dataSource)
                .locations("classpath:" + dialect.migrationLocation())
                .table(HISTORY_TABLE)
                .baselineOnMigrate(false);
        if (schema != null) {
            config = config.schemas(schema).defaultSchema(schema).createSchemas(true);
        }
        MigrateResult result = config.load().migrate();
        return result.migrationsExecuted;
    }
}
