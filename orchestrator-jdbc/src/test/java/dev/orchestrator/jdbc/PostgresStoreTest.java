package dev.orchestrator.jdbc;

import dev.orchestrator.spi.Store;
import dev.orchestrator.testkit.StoreContractTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * The store contract on a real PostgreSQL server: a new schema for each test (so no test sees
 * another's rows), all dropped after the class.
 */
class PostgresStoreTest extends StoreContractTest {

    private static final PostgresTestDatabase.Schemas SCHEMAS = new PostgresTestDatabase.Schemas("store");

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
        return JdbcStore.open(PostgresTestDatabase.URL,
                JdbcStoreOptions.builder().schema(schema).poolSize(6)
                        .databaseClock(false).build()); // the contract suite controls time through now
    }
}
