package dev.orchestrator.jdbc;

import dev.orchestrator.spi.Store;
import dev.orchestrator.testkit.ScheduleContractTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** Schedules on a real PostgreSQL server: a new schema for each test, shared by the test's two nodes. */
class PostgresScheduleTest extends ScheduleContractTest {

    private static final PostgresTestDatabase.Schemas SCHEMAS = new PostgresTestDatabase.Schemas("sched");
    private String schema;

    @BeforeAll
    static void requireServer() {
        PostgresTestDatabase.requireServer();
    }

    @AfterAll
    static void dropSchemas() throws Exception {
        SCHEMAS.dropAll();
    }

    @Override
    protected Store newStore() {
        schema = SCHEMAS.next();
        return sameDatabase();
    }

    @Override
    protected Store sameDatabase() {
        return JdbcStore.open(PostgresTestDatabase.URL, JdbcStoreOptions.builder().schema(schema).poolSize(4).build());
    }

    @Override
    protected String storeName() {
        return "postgresql";
    }
}
