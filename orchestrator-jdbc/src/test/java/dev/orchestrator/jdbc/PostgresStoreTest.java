package dev.orchestrator.jdbc;

import dev.orchestrator.spi.Store;
import dev.orchestrator.spi.StoreContractTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The store contract on a real PostgreSQL server: a new schema for each test (so no test sees
 * another's rows), all dropped after the class.
 */
class PostgresStoreTest extends StoreContractTest {

    private static final String CLASS_PREFIX = "orch_test_" + UUID.randomUUID().toString().substring(0, 8) + "_";
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
        return JdbcStore.open(PostgresTestDatabase.URL,
                JdbcStoreOptions.newBuilder().schema(schema).poolSize(6).build());
    }
}
