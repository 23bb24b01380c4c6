package dev.orchestrator.jdbc;

import dev.orchestrator.testkit.OrchestratorContractTest;
import dev.orchestrator.spi.Store;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The orchestrator end to end on a real PostgreSQL server: a new schema for each test. */
class PostgresOrchestratorTest extends OrchestratorContractTest {

    private static final PostgresTestDatabase.Schemas SCHEMAS = new PostgresTestDatabase.Schemas("e2e");

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

    @Override
    protected String storeName() {
        return "postgresql";
    }
}
