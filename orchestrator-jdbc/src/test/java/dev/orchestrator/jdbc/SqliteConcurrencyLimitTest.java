package dev.orchestrator.jdbc;

import dev.orchestrator.spi.Store;
import dev.orchestrator.testkit.ConcurrencyLimitContractTest;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;

/** Concurrency limits on SQLite, one node: a new database file for each test. */
class SqliteConcurrencyLimitTest extends ConcurrencyLimitContractTest {

    @TempDir
    static Path files;

    private static final AtomicInteger FILES = new AtomicInteger();

    @Override
    protected Store newStore() {
        return JdbcStore.sqlite(files.resolve("orchestrator-" + FILES.incrementAndGet() + ".db"));
    }
}
