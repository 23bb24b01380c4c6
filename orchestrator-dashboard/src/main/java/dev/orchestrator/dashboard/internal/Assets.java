package dev.orchestrator.dashboard.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** The static pages, scripts and styles, read once from the jar. */
final class Assets {

    /** One asset. */
    record Asset(String contentType, byte[] bytes) {
    }

    private static final Map<String, String> FILES = Map.of(
            "/", "index.html",
            "/index.html", "index.html",
            "/app.js", "app.js",
            "/app.css", "app.css");

    private final Map<String, Asset> cache = new ConcurrentHashMap<>();

    /** The asset at {@code path}, or {@code null}. */
    Asset find(String path) {
        String file = FILES.get(path);
        return file == null ? null : cache.computeIfAbsent(file, Assets::load);
    }

    private static Asset load(String file) {
        try (InputStream in = Assets.class.getResourceAsStream("/dev/orchestrator/dashboard/static/" + file)) {
            if (in == null) {
                throw new IllegalStateException("dashboard asset " + file + " is missing from the jar");
            }
            String type = file.endsWith(".html") ? "text/html; charset=utf-8"
                    : file.endsWith(".js") ? "text/javascript; charset=utf-8" : "text/css; charset=utf-8";
            return new Asset(type, in.readAllBytes());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
