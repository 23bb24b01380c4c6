package dev.orchestrator.jdbc;

import dev.orchestrator.spi.Store;
import dev.orchestrator.testkit.StoreContractTest;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;

/** The store contract on SQLite: a new database file for each test. */
class SqliteStoreTest extends StoreContractTest {

    @TempDir
    static Path dir;

    private static final AtomicInteger FILES = new AtomicInteger();

    @Override
    protected Store newStore() {
        return JdbcStore.sqlite(dir.resolve("store-" + FILES.incrementAndGet() + ".db"));
    }
}
