package dev.orchestrator.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Comparator;
import java.util.Locale;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * A fresh, empty database for one workload: a new SQLite file in a temporary folder, or a new
 * schema in the PostgreSQL database {@code test} (dropped again by {@link #close()}).
 */
public final class BenchDatabase implements AutoCloseable {

    /** The PostgreSQL server the benchmarks use; override with {@code -Dbench.pg.url=...}. */
    public static final String PG_BASE = System.getProperty("bench.pg.url",
            "jdbc:postgresql://127.0.0.1:5432/test?user=postgres");

    private final String store;
    private final String url;
    private final String schema;
    private final Path folder;

    private BenchDatabase(String store, String url, String schema, Path folder) {
        this.store = store;
        this.url = url;
        this.schema = schema;
        this.folder = folder;
    }

    /**
     * A fresh database.
     *
     * @param store {@code sqlite} or {@code postgres}
     * @param label part of the file or schema name, for finding leftovers
     */
    public static BenchDatabase fresh(String store, String label) {
        String id = label.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]", "_") + "_"
                + UUID.randomUUID().toString().substring(0, 8);
        try {
            switch (store) {
                case "sqlite" -> {
                    Path dir = Files.createTempDirectory("orchestrator-bench-");
                    return new BenchDatabase(store, "jdbc:sqlite:" + dir.resolve(id + ".db"), null, dir);
                }
                case "postgres" -> {
                    String schema = "bench_" + id;
                    try (Connection c = DriverManager.getConnection(PG_BASE); Statement s = c.createStatement()) {
                        s.execute("CREATE SCHEMA " + schema);
                    }
                    return new BenchDatabase(store, PG_BASE + "&currentSchema=" + schema, schema, null);
                }
                default -> throw new IllegalArgumentException("store must be sqlite or postgres, got " + store);
            }
        } catch (IOException | SQLException e) {
            throw new IllegalStateException("could not create a fresh " + store + " database: " + e, e);
        }
    }

    /** {@code sqlite} or {@code postgres}. */
    public String store() {
        return store;
    }

    /** The JDBC URL of this database (for PostgreSQL with {@code currentSchema} set). */
    public String url() {
        return url;
    }

    /** The PostgreSQL schema, or {@code null} for SQLite. */
    public String schema() {
        return schema;
    }

    /** Whether this is PostgreSQL. */
    public boolean postgres() {
        return schema != null;
    }

    /** A new plain JDBC connection (auto-commit), for set-up and for the bare-SQL baselines. */
    public Connection connect() throws SQLException {
        // Batched inserts rewritten into multi-row ones, as the store's own pool does.
        Connection c = DriverManager.getConnection(postgres()
                ? url + (url.contains("?") ? "&" : "?") + "reWriteBatchedInserts=true" : url);
        if (!postgres()) {
            try (Statement s = c.createStatement()) {
                s.execute("PRAGMA journal_mode=WAL");
                s.execute("PRAGMA synchronous=NORMAL");
                s.execute("PRAGMA busy_timeout=10000");
            }
        }
        return c;
    }

    /** Drops the schema or deletes the file. */
    @Override
    public void close() {
        try {
            if (postgres()) {
                try (Connection c = DriverManager.getConnection(PG_BASE); Statement s = c.createStatement()) {
                    s.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
                }
            } else {
                try (Stream<Path> files = Files.walk(folder)) {
                    files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
                }
            }
        } catch (IOException | SQLException e) {
            System.err.println("warning: could not clean up " + url + ": " + e);
        }
    }
}
