package dev.orchestrator.jdbc;

import dev.orchestrator.testkit.RunControlContractTest;
import dev.orchestrator.spi.Store;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;

/** Run control end to end on SQLite: a new database file for each test. */
class SqliteRunControlTest extends RunControlContractTest {

    @TempDir
    static Path dir;

    private static final AtomicInteger FILES = new AtomicInteger();

    @Override
    protected Store newStore() {
        return JdbcStore.sqlite(dir.resolve("orchestrator-" + FILES.incrementAndGet() + ".db"));
    }
}
