package dev.orchestrator.jdbc.internal;

import dev.orchestrator.jdbc.JdbcStoreOptions;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Where a store's files (attempt logs) go by default: beside a SQLite file, so they belong to it
 * and move with it ({@code <file>.logs}, or {@code <file>.<prefix>logs} for a store with another
 * table prefix); for a server database, a folder of the user's home named after the
 * database, schema and table prefix, so two stores on one host never share log names.
 */
final class StoreFiles {

    private StoreFiles() {
    }

    /**
     * The default log directory of the store at {@code jdbcUrl} (as the driver reports it) with
     * tables {@code schema}.{@code prefix}; {@code null} for an in-memory SQLite database.
     */
    static Path logDirectory(String jdbcUrl, String schema, String prefix) {
        if (jdbcUrl.startsWith("jdbc:sqlite:")) {
            Path file = SchedulerLock.databaseFile(jdbcUrl);
            if (file == null) {
                return null;
            }
            // Stores of one file differ by table prefix; the default one gets the plain name.
            boolean defaultPrefix = JdbcStoreOptions.defaults().tablePrefix().equals(prefix);
            return file.resolveSibling(file.getFileName() + "." + (defaultPrefix ? "" : prefix) + "logs");
        }
        String home = System.getProperty("user.home");
        Path base = home == null || home.isBlank() || home.equals("?")
                ? Path.of(System.getProperty("java.io.tmpdir"), "orchestrator-" + System.getProperty("user.name"))
                : Path.of(home, ".orchestrator");
        return base.resolve("logs").resolve(identity(Pools.redact(jdbcUrl), schema, prefix));
    }

    /** A short stable name for one store: a hash, since URLs hold characters file names cannot. */
    private static String identity(String url, String schema, String prefix) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest((url + '\n' + schema + '\n' + prefix).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JDK", e);
        }
    }
}
