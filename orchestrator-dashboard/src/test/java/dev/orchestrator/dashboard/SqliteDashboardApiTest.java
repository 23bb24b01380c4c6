package dev.orchestrator.dashboard;

import dev.orchestrator.jdbc.JdbcStore;
import dev.orchestrator.spi.Store;

import java.nio.file.Path;

class SqliteDashboardApiTest extends DashboardApiTest {
    @Override
    Store newStore(Path dir) {
        return JdbcStore.sqlite(dir.resolve("dashboard.db"));
    }
}
