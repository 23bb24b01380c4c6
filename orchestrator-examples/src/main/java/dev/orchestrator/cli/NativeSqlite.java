package dev.orchestrator.cli;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Start-up of a short-lived CLI: sqlite-jdbc copies its native library out of the jar into a new
 * temporary file on every start (about a megabyte, written, loaded and left for the next start to
 * clean up), which costs a few hundred milliseconds of each command. This copies it once into the
 * user's cache folder, per driver version and platform, and points the driver there with its own
 * properties ({@code org.sqlite.lib.path}, {@code org.sqlite.lib.name}). Anything unusual (the
 * properties already set, no writable cache folder, a platform the driver has no library for)
 * leaves the driver to do as it always does.
 */
final class NativeSqlite {

    private NativeSqlite() {
    }

    /** Points sqlite-jdbc at a cached copy of its native library, if it can. Never throws. */
    static void useCachedLibrary() {
        if (System.getProperty("org.sqlite.lib.path") != null || System.getProperty("org.sqlite.lib.name") != null) {
            return;
        }
        try {
            Path cache = cacheFolder();
            if (cache == null) {
                return;
            }
            String folder = org.sqlite.util.OSInfo.getNativeLibFolderPathForCurrentOS();
            String name = System.mapLibraryName("sqlitejdbc");
            if (name.endsWith(".dylib")) {
                name = name.replace(".dylib", ".jnilib"); // the name sqlite-jdbc ships for macOS
            }
            String resource = "/org/sqlite/native/" + folder + "/" + name;
            String version = org.sqlite.SQLiteJDBCLoader.getVersion();
            Path dir = cache.resolve("sqlite-" + version).resolve(folder.replace('/', '-'));
            Path lib = dir.resolve(name);
            if (!Files.isRegularFile(lib)) {
                try (InputStream in = NativeSqlite.class.getResourceAsStream(resource)) {
                    if (in == null) {
                        return;
                    }
                    Files.createDirectories(dir);
                    Path tmp = Files.createTempFile(dir, name, ".tmp");
                    try {
                        Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
                        Files.move(tmp, lib, StandardCopyOption.ATOMIC_MOVE);
                    } finally {
                        Files.deleteIfExists(tmp);
                    }
                }
            }
            System.setProperty("org.sqlite.lib.path", dir.toString());
            System.setProperty("org.sqlite.lib.name", name);
        } catch (IOException | RuntimeException | LinkageError e) {
            // the driver extracts its library as usual
        }
    }

    /** {@code $ORCHESTRATOR_CACHE_DIR}, else {@code $XDG_CACHE_HOME/orchestrator}, else {@code ~/.cache/orchestrator}. */
    private static Path cacheFolder() {
        String dir = System.getenv("ORCHESTRATOR_CACHE_DIR");
        if (dir == null || dir.isBlank()) {
            String xdg = System.getenv("XDG_CACHE_HOME");
            String home = System.getProperty("user.home");
            if (xdg != null && !xdg.isBlank()) {
                dir = Path.of(xdg, "orchestrator").toString();
            } else if (home != null && !home.isBlank() && !home.equals("?")) {
                dir = Path.of(home, ".cache", "orchestrator").toString();
            } else {
                return null;
            }
        }
        return Path.of(dir);
    }
}
