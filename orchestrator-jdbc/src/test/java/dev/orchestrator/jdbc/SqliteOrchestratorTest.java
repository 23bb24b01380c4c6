package dev.orchestrator.jdbc;

import dev.orchestrator.testkit.OrchestratorContractTest;
import dev.orchestrator.spi.Store;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;

/** The orchestrator end to end on SQLite: a new database file for each test. */
class SqliteOrchestratorTest extends OrchestratorContractTest {

    @TempDir
    static Path dir;

    private static final AtomicInteger FILES = new AtomicInteger();

    @Override
    protected Store newStore() {
        return JdbcStore.sqlite(dir.resolve("orchestrator-" + FILES.incrementAndGet() + ".db"));
    }

    @Override
    protected String storeName() {
        return "sqlite";
    }
}
