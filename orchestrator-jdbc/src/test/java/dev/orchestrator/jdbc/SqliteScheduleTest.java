package dev.orchestrator.jdbc;

import dev.orchestrator.spi.Store;
import dev.orchestrator.testkit.ScheduleContractTest;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;

/** Schedules on SQLite: a new database file for each test; one node per file. */
class SqliteScheduleTest extends ScheduleContractTest {

    @TempDir
    static Path dir;

    private static final AtomicInteger FILES = new AtomicInteger();

    @Override
    protected Store newStore() {
        return JdbcStore.sqlite(dir.resolve("schedules-" + FILES.incrementAndGet() + ".db"));
    }

    @Override
    protected Store sameDatabase() {
        return null;
    }

    @Override
    protected String storeName() {
        return "sqlite";
    }
}
