package dev.orchestrator.jdbc;

import dev.orchestrator.AttemptInfo;
import dev.orchestrator.Orchestrator;
import dev.orchestrator.RunStatus;
import dev.orchestrator.StepSpec;
import dev.orchestrator.WorkflowSpec;
import dev.orchestrator.spi.Store;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Process logs belong to their store: beside the SQLite file when the host sets no directory,
 * readable by the owner only, and never shared by two stores on one host (two files, or two
 * table prefixes in one file), even when both run the same run, step and task numbers.
 */
class StoreLogDirectoryTest {

    @TempDir
    Path dir;

    @Test
    void logsOfTwoSqliteStoresInOneJvmGoBesideTheirOwnFiles() throws Exception {
        Path a = dir.resolve("a.db");
        Path b = dir.resolve("b.db");
        try (JdbcStore first = JdbcStore.sqlite(a); JdbcStore second = JdbcStore.sqlite(b)) {
            Path logA = runOneEcho(first, "from-a");
            Path logB = runOneEcho(second, "from-b");

            assertThat(logA).startsWith(dir.resolve("a.db.logs"));
            assertThat(logB).startsWith(dir.resolve("b.db.logs"));
            // Same run, step, task and attempt numbers: only the directory keeps them apart.
            assertThat(logA.getFileName()).isEqualTo(logB.getFileName());
            assertThat(Files.readString(logA)).contains("from-a").doesNotContain("from-b");
            assertThat(Files.readString(logB)).contains("from-b").doesNotContain("from-a");
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("a.db.logs"))))
                    .isEqualTo("rwx------");
        }
    }

    @Test
    void storesWithTwoPrefixesInOneFileHaveTwoDirectories() {
        Path file = dir.resolve("shared.db");
        try (JdbcStore plain = JdbcStore.sqlite(file);
             JdbcStore other = JdbcStore.sqlite(file, JdbcStoreOptions.builder().tablePrefix("app2_").build())) {
            assertThat(plain.defaultLogDirectory()).contains(dir.resolve("shared.db.logs"));
            assertThat(other.defaultLogDirectory()).contains(dir.resolve("shared.db.app2_logs"));
        }
    }

    @Test
    void theStaticLookupNamesTheDirectoryAnOpenedStoreUses() {
        String url = "jdbc:sqlite:" + dir.resolve("c.db");
        try (JdbcStore store = JdbcStore.open(url)) {
            assertThat(JdbcStore.defaultLogDirectory(url)).isEqualTo(store.defaultLogDirectory());
        }
        assertThat(JdbcStore.defaultLogDirectory("jdbc:sqlite::memory:")).isEmpty();
    }

    @Test
    void postgresStoresInTwoSchemasHaveTwoDirectories() throws Exception {
        PostgresTestDatabase.requireServer();
        var schemas = new PostgresTestDatabase.Schemas("logs");
        try {
            String urlA = PostgresTestDatabase.URL + "&currentSchema=" + schemas.next();
            String urlB = PostgresTestDatabase.URL + "&currentSchema=" + schemas.next();
            try (JdbcStore a = JdbcStore.open(urlA); JdbcStore b = JdbcStore.open(urlB)) {
                assertThat(a.defaultLogDirectory()).isPresent().isNotEqualTo(b.defaultLogDirectory());
                assertThat(a.defaultLogDirectory()).isEqualTo(JdbcStore.defaultLogDirectory(urlA));
                assertThat(a.defaultLogDirectory().orElseThrow().getParent())
                        .isEqualTo(Path.of(System.getProperty("user.home"), ".orchestrator", "logs"));
            }
        } finally {
            schemas.dropAll();
        }
    }

    /** Runs one process task that prints {@code text} and returns its log file. */
    private static Path runOneEcho(Store store, String text) throws Exception {
        try (Orchestrator o = Orchestrator.builder().store(store).pollInterval(Duration.ofMillis(100)).build()) {
            o.register(WorkflowSpec.of("echo", StepSpec.process("say", "/bin/echo", text)));
            o.start();
            var run = o.trigger("echo").await(Duration.ofSeconds(30));
            assertThat(run.status()).isEqualTo(RunStatus.SUCCEEDED);
            List<AttemptInfo> attempts = o.attempts(o.tasks(run.id()).get(0).id());
            return Path.of(attempts.get(0).outputRef());
        }
    }
}
