package dev.orchestrator.dashboard;

import dev.orchestrator.jdbc.JdbcStore;
import dev.orchestrator.jdbc.JdbcStoreOptions;
import dev.orchestrator.spi.Store;
import org.junit.jupiter.api.AfterAll;

import java.nio.file.Path;

class PostgresDashboardApiTest extends DashboardApiTest {

    private final String schema = Postgres.newSchema("dash_api");

    @Override
    Store newStore(Path dir) {
        Postgres.requireServer();
        return JdbcStore.open(Postgres.URL, JdbcStoreOptions.builder().schema(schema).build());
    }

    @AfterAll
    void dropSchema() throws Exception {
        Postgres.dropSchema(schema);
    }
}
