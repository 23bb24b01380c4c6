package dev.orchestrator.jdbc.faults;

import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;

/** What the fault suite's cases share: the server, schemas, node JVMs, waiting, figures. */
final class Faults {

    static final String PG_URL = System.getenv().getOrDefault("ORCHESTRATOR_TEST_PG_URL",
            "jdbc:postgresql://127.0.0.1:5432/test?user=postgres");

    private Faults() {
    }

    /** Fails (CI) or skips (elsewhere) if the PostgreSQL server cannot be reached. */
    static void requirePostgres() {
        try (Connection c = DriverManager.getConnection(PG_URL)) {
            c.isValid(5);
        } catch (SQLException e) {
            String message = "PostgreSQL is not reachable at " + PG_URL + " (" + e.getMessage() + ")";
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                Assertions.fail(message, e);
            }
            Assumptions.abort(message);
        }
    }

    /** A fresh schema name for one case; the store creates it. */
    static String newSchema(String kind) {
        return "orch_fault_" + kind + "_" + UUID.randomUUID().toString().substring(0, 8);
    }

    static void dropSchema(String schema) {
        try (Connection c = DriverManager.getConnection(PG_URL); Statement s = c.createStatement()) {
            s.execute("DROP SCHEMA IF EXISTS \"" + schema + "\" CASCADE");
        } catch (SQLException e) {
            System.out.println("[faults] could not drop " + schema + ": " + e);
        }
    }

    /** The result of one query, each row's columns as strings. */
    static List<List<String>> query(String sql) {
        try (Connection c = DriverManager.getConnection(PG_URL); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery(sql)) {
            List<List<String>> rows = new ArrayList<>();
            int n = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                List<String> row = new ArrayList<>();
                for (int i = 1; i <= n; i++) {
                    row.add(rs.getString(i));
                }
                rows.add(row);
            }
            return rows;
        } catch (SQLException e) {
            throw new IllegalStateException(sql, e);
        }
    }

    static long count(String sql) {
        return Long.parseLong(query(sql).getFirst().getFirst());
    }

    /** Re-checks {@code condition} every 20 ms until it holds; fails after {@code timeout}. */
    static void await(String what, Duration timeout, BooleanSupplier condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                Assertions.fail("timed out after " + timeout + " waiting for " + what);
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
        }
    }

    static void figure(String line) {
        System.out.println("[faults] " + line);
        System.out.flush();
    }

    static long millisSince(long nanoStart) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - nanoStart);
    }

    /** Whether {@code pid} is a live process (not gone, not a zombie). */
    static boolean alive(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                if (line.startsWith("State:")) {
                    return !line.contains("Z") && !line.contains("X");
                }
            }
            return false;
        } catch (IOException | UncheckedIOException e) {
            return false;
        }
    }

    /** The child's class path: this test's classes and everything this JVM has. */
    static String childClassPath() {
        try {
            Set<String> entries = new LinkedHashSet<>();
            entries.add(Path.of(FaultNode.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString());
            for (String property : List.of("jdk.module.path", "java.class.path")) {
                String value = System.getProperty(property);
                if (value != null && !value.isEmpty()) {
                    entries.addAll(Arrays.asList(value.split(File.pathSeparator)));
                }
            }
            return String.join(File.pathSeparator, entries);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** A {@link FaultNode} JVM: started, awaited ready, killed, frozen, stopped. */
    static final class Node implements AutoCloseable {
        final String id;
        final Process process;
        final Path log;
        private final CountDownLatch ready = new CountDownLatch(1);

        Node(Path dir, String id, String... args) throws IOException {
            this.id = id;
            this.log = dir.resolve("node-" + id + ".log");
            List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElseThrow(),
                    "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xshare:auto",
                    "--enable-native-access=ALL-UNNAMED", // sqlite-jdbc loads its native library
                    "-Dorg.slf4j.simpleLogger.showDateTime=true",
                    "-Dorg.slf4j.simpleLogger.dateTimeFormat=HH:mm:ss.SSS",
                    "-cp", childClassPath(), FaultNode.class.getName(), "node=" + id));
            command.addAll(List.of(args));
            this.process = new ProcessBuilder(command).redirectError(log.toFile()).start();
            Thread.ofVirtual().start(() -> {
                try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(),
                        StandardCharsets.UTF_8))) {
                    String line;
                    while ((line = out.readLine()) != null) {
                        if (line.startsWith("READY")) {
                            ready.countDown();
                        }
                    }
                } catch (IOException e) {
                    // the node is gone
                }
            });
        }

        Node awaitReady() throws InterruptedException {
            if (!ready.await(60, TimeUnit.SECONDS)) {
                Assertions.fail("node " + id + " did not start; its log:\n" + logText());
            }
            return this;
        }

        long pid() {
            return process.pid();
        }

        String logText() {
            try {
                return Files.readString(log);
            } catch (IOException e) {
                return "";
            }
        }

        void kill9() throws InterruptedException {
            process.destroyForcibly();
            Assertions.assertTrue(process.waitFor(10, TimeUnit.SECONDS), "node " + id + " died");
        }

        void signal(String sig) throws Exception {
            Process p = new ProcessBuilder("kill", "-" + sig, Long.toString(pid())).start();
            Assertions.assertEquals(0, p.waitFor());
        }

        @Override
        public void close() throws Exception {
            logText().lines().filter(l -> (l.contains("WARN") || l.contains("ERROR") || l.contains("halting")) && !l.contains("Version mismatch"))
                    .limit(15).forEach(l -> System.out.println("[faults]   node " + id + ": " + l));
            if (process.isAlive()) {
                try {
                    signal("CONT");
                } catch (Throwable ignored) {
                    // it may have just ended
                }
                process.getOutputStream().close();
                if (!process.waitFor(15, TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                }
            }
        }
    }

    /** Writes an executable file. */
    static Path executable(Path file, String text) throws IOException {
        Files.writeString(file, text);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
        return file;
    }

    static long lines(Path file, String needle) {
        try (Stream<String> s = Files.lines(file)) {
            return s.filter(l -> l.contains(needle)).count();
        } catch (IOException e) {
            return 0;
        }
    }
}
