package dev.orchestrator.jdbc.internal;

import dev.orchestrator.jdbc.Dialect;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.configuration.FluentConfiguration;
import org.flywaydb.core.api.output.MigrateResult;

import javax.sql.DataSource;
import java.io.IOException;
import java.net.JarURLConnection;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Enumeration;
import java.util.Map;
import java.util.OptionalInt;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Runs the store's Flyway migrations ({@code db/migration/<dialect>/V*__*.sql}, with
 * {@code ${prefix}} replaced by the table prefix), recording them in the prefixed history table
 * {@code <prefix>schema_history}, so they never mix with a host application's own Flyway history.
 *
 * <p>The store migrates beside the host's tables: a database or schema that already holds other
 * tables (but not this prefix's history table) is baselined at version 0, so V1 and every later
 * migration still run; nothing of the host's is read or changed.
 *
 * <p>Opening a store whose schema is already current is the common case (every command of the
 * CLI opens one), and Flyway costs hundreds of classes and a scan of the class path to find that
 * out. So one query of the history table comes first: when its highest successful version is at
 * least the highest {@code V<n>__} script shipped in this jar, and no migration failed, Flyway is
 * not loaded at all. In any other case (no history table, a failed or pending migration, scripts
 * that cannot be listed) Flyway runs as before, with its validation.
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
        if (isCurrent(dataSource, dialect, schema, prefix)) {
            return 0;
        }
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

    private static final Pattern SCRIPT = Pattern.compile("V(\\d+)__[^/]*\\.sql");

    /**
     * Whether the history table says every shipped migration already ran: one query, no Flyway.
     * Any doubt answers {@code false}, and Flyway decides.
     */
    static boolean isCurrent(DataSource dataSource, Dialect dialect, String schema, String prefix) {
        OptionalInt shipped = latestShipped(dialect);
        if (shipped.isEmpty()) {
            return false;
        }
        // Quoted as Flyway creates it: schema and table as given.
        String table = (schema == null ? "" : "\"" + schema + "\".") + "\"" + prefix + HISTORY_TABLE_SUFFIX + "\"";
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT version, success FROM " + table + " WHERE version IS NOT NULL")) {
            int applied = -1;
            while (rs.next()) {
                if (!rs.getBoolean(2)) {
                    return false; // a failed migration: let Flyway report it
                }
                try {
                    applied = Math.max(applied, Integer.parseInt(rs.getString(1)));
                } catch (NumberFormatException e) {
                    return false; // not a version this code writes
                }
            }
            if (!c.getAutoCommit()) {
                c.rollback();
            }
            return applied >= shipped.getAsInt();
        } catch (SQLException e) {
            return false; // no history table yet, or it cannot be read: Flyway creates or reports it
        }
    }

    /** The highest {@code V<n>__*.sql} in the dialect's migration folder on the class path, if it can be listed. */
    static OptionalInt latestShipped(Dialect dialect) {
        String folder = dialect.migrationLocation();
        URL url = Migrations.class.getClassLoader().getResource(folder);
        if (url == null) {
            return OptionalInt.empty();
        }
        int latest = -1;
        try {
            switch (url.getProtocol()) {
                case "jar" -> {
                    JarURLConnection connection = (JarURLConnection) url.openConnection();
                    connection.setUseCaches(true); // the class loader's own open JarFile
                    JarFile jar = connection.getJarFile();
                    String prefix = folder + "/";
                    for (Enumeration<JarEntry> e = jar.entries(); e.hasMoreElements(); ) {
                        String name = e.nextElement().getName();
                        if (name.startsWith(prefix) && name.indexOf('/', prefix.length()) < 0) {
                            int v = version(name.substring(prefix.length()));
                            if (v == UNKNOWN) {
                                return OptionalInt.empty();
                            }
                            latest = Math.max(latest, v);
                        }
                    }
                }
                case "file" -> {
                    try (Stream<Path> files = Files.list(Path.of(url.toURI()))) {
                        for (Path f : (Iterable<Path>) files::iterator) {
                            int v = version(f.getFileName().toString());
                            if (v == UNKNOWN) {
                                return OptionalInt.empty();
                            }
                            latest = Math.max(latest, v);
                        }
                    }
                }
                default -> {
                    return OptionalInt.empty(); // a class path we cannot list: Flyway scans it
                }
            }
        } catch (IOException | URISyntaxException | RuntimeException e) {
            return OptionalInt.empty();
        }
        return latest < 0 ? OptionalInt.empty() : OptionalInt.of(latest);
    }

    private static final int UNKNOWN = -2;

    /** The version of a script {@code V<n>__*.sql}; -1 for what is no script; {@link #UNKNOWN} for any other SQL file (a dotted version, a repeatable script), which this check does not judge. */
    private static int version(String fileName) {
        Matcher m = SCRIPT.matcher(fileName);
        if (m.matches()) {
            return Integer.parseInt(m.group(1));
        }
        return fileName.endsWith(".sql") ? UNKNOWN : -1;
    }
}
