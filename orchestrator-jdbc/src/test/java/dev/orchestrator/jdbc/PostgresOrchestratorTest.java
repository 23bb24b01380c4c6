package dev.orchestrator.jdbc;

import dev.orchestrator.OrchestratorContractTest;
import dev.orchestrator.spi.Store;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

/** The orchestrator end to end on a real PostgreSQL server: a new schema for each test. */
class PostgresOrchestratorTest extends OrchestratorContractTest {

    private static final String CLASS_PREFIX = "orch_e2e_" + UUID.randomUUID().toString().substring(0, 8) + "_";
    private static final List<String> SCHEMAS = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void requireServer() {
        PostgresTestDatabase.requireServer();
    }

    @AfterAll
    static void dropSchemas() throws Exception {
        for (String schema : SCHEMAS) {
            PostgresTestDatabase.dropSchema(schema);
        }
    }

    @Override
    protected Store newStore() {
        String schema = CLASS_PREFIX + SCHEMAS.size();
        SCHEMAS.add(schema);
        return JdbcStore.open(PostgresTestDatabase.URL, JdbcStoreOptions.newBuilder().schema(schema).poolSize(4).build());
    }

    @Override
    protected String storeName() {
        return "postgresql";
    }
}
