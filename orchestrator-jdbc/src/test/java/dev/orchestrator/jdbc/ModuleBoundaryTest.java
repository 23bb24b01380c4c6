package dev.orchestrator.jdbc;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.spi.ToolProvider;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A host compiled on the module path sees {@code dev.orchestrator.jdbc} and not
 * {@code dev.orchestrator.jdbc.internal}: javac compiles a tiny host module against this module's
 * classes and its dependencies, once using the API (compiles) and once the internals (refused).
 */
class ModuleBoundaryTest {

    @TempDir
    Path dir;

    @Test
    void aHostModuleCanUseTheApi() throws IOException {
        Compiled ok = compileHost(dir.resolve("api"),
                "dev.orchestrator.spi.Store store = dev.orchestrator.jdbc.JdbcStore.sqlite(java.nio.file.Path.of(\"h.db\"),"
                        + " dev.orchestrator.jdbc.JdbcStoreOptions.builder().tablePrefix(\"host_\").build());");

        assertThat(ok.exitCode()).as(ok.output()).isZero();
    }

    @Test
    void aHostModuleCannotSeeTheInternals() throws IOException {
        Compiled refused = compileHost(dir.resolve("internal"),
                "Object engine = dev.orchestrator.jdbc.internal.JdbcEngine.class;");

        assertThat(refused.exitCode()).isNotZero();
        assertThat(refused.output()).contains("package dev.orchestrator.jdbc.internal is not visible")
                .contains("does not export it");
    }

    private record Compiled(int exitCode, String output) {
    }

    /** Compiles module {@code host} (which requires dev.orchestrator.jdbc) with {@code statement} in a method. */
    private static Compiled compileHost(Path root, String statement) throws IOException {
        Path src = root.resolve("src");
        Files.createDirectories(src.resolve("host"));
        Files.writeString(src.resolve("module-info.java"), "module host { requires dev.orchestrator.jdbc; }\n");
        Files.writeString(src.resolve("host/Host.java"),
                "package host;\npublic class Host {\n    void use() throws Exception {\n        " + statement
                        + "\n    }\n}\n");
        ToolProvider javac = ToolProvider.findFirst("javac").orElseThrow();
        StringWriter out = new StringWriter();
        PrintWriter writer = new PrintWriter(out);
        // An empty class path: in process, javac would otherwise take this JVM's class path.
        Path emptyClassPath = Files.createDirectories(root.resolve("empty"));
        int code = javac.run(writer, writer, "--release", "21", "-proc:none", "--module-path", modulePath(),
                "--class-path", emptyClassPath.toString(),
                "-d", root.resolve("out").toString(),
                src.resolve("module-info.java").toString(), src.resolve("host/Host.java").toString());
        writer.flush();
        return new Compiled(code, out.toString());
    }

    /**
     * This module's classes, core's and the jars they need: every jar and every module directory
     * (one with a {@code module-info.class}) of the test JVM's module path and class path.
     */
    private static String modulePath() {
        Set<String> entries = new LinkedHashSet<>();
        for (String property : List.of("jdk.module.path", "java.class.path")) {
            String value = System.getProperty(property);
            if (value == null) {
                continue;
            }
            for (String entry : value.split(File.pathSeparator)) {
                Path p = Path.of(entry);
                if (entry.endsWith(".jar") || Files.isRegularFile(p.resolve("module-info.class"))) {
                    entries.add(entry);
                }
            }
        }
        List<String> kept = new ArrayList<>();
        for (String entry : entries) {
            // Test jars and the test tooling's jars are no part of a host's module path.
            String name = Path.of(entry).getFileName().toString();
            if (!name.endsWith("-tests.jar") && !name.startsWith("surefire") && !name.startsWith("maven-")
                    && !name.startsWith("common-")) {
                kept.add(entry);
            }
        }
        return String.join(File.pathSeparator, kept);
    }
}
