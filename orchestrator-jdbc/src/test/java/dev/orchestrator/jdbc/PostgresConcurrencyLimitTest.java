package dev.orchestrator.jdbc;

import dev.orchestrator.spi.Store;
import dev.orchestrator.testkit.ConcurrencyLimitContractTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * Concurrency limits on a real PostgreSQL server: a new schema for each test, and two nodes, each
 * on a store with its own connection pool, so their claims run in concurrent transactions.
 */
class PostgresConcurrencyLimitTest extends ConcurrencyLimitContractTest {

    private static final PostgresTestDatabase.Schemas SCHEMAS = new PostgresTestDatabase.Schemas("limits");

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
        return open();
    }

    @Override
    protected boolean twoNodes() {
        return true;
    }

    @Override
    protected Store secondNodeStore() {
        return open();
    }

    private Store open() {
        return JdbcStore.open(PostgresTestDatabase.URL, JdbcStoreOptions.builder().schema(schema).poolSize(4).build());
    }
}
