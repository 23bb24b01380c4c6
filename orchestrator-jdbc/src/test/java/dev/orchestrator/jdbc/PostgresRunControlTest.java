package dev.orchestrator.jdbc;

import dev.orchestrator.testkit.RunControlContractTest;
import dev.orchestrator.spi.Store;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** Run control end to end on a real PostgreSQL server: a new schema for each test. */
class PostgresRunControlTest extends RunControlContractTest {

    private static final PostgresTestDatabase.Schemas SCHEMAS = new PostgresTestDatabase.Schemas("control");

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
        String schema = SCHEMAS.next();
        return JdbcStore.open(PostgresTestDatabase.URL, JdbcStoreOptions.builder().schema(schema).poolSize(4).build());
    }
}
