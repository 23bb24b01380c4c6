package dev.orchestrator.spring;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/** What Maven wrote into the starter at build time: its version and the jOOQ version it was built with. */
final class StarterBuild {

    private static final Properties PROPERTIES = load();

    private StarterBuild() {
    }

    /** The starter's (and the library's) version, or {@code unknown}. */
    static String version() {
        return PROPERTIES.getProperty("version", "unknown");
    }

    /** The jOOQ version orchestrator-jdbc is built with, or {@code null}. */
    static String jooqVersion() {
        return PROPERTIES.getProperty("jooq.version");
    }

    private static Properties load() {
        Properties p = new Properties();
        try (InputStream in = StarterBuild.class.getResourceAsStream("/META-INF/orchestrator-spring-boot-starter.properties")) {
            if (in != null) {
                p.load(in);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return p;
    }
}
