package dev.orchestrator.jdbc;

import dev.orchestrator.Orchestrator;
import dev.orchestrator.spi.Store;
import dev.orchestrator.spi.StoreProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.ServiceLoader;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class JdbcStoreProviderTest {

    @TempDir
    Path dir;

    private static StoreProvider discovered() {
        // On the module path this test runs inside dev.orchestrator.jdbc, which provides the service
        // but does not use it; let it look the provider up the way a host's module would.
        JdbcStoreProviderTest.class.getModule().addUses(StoreProvider.class);
        List<StoreProvider> providers = ServiceLoader.load(StoreProvider.class).stream()
                .map(ServiceLoader.Provider::get).toList();
        assertThat(providers).hasAtLeastOneElementOfType(JdbcStoreProvider.class);
        return providers.stream().filter(p -> p instanceof JdbcStoreProvider).findFirst().orElseThrow();
    }

    @Test
    void isFoundByServiceLoaderForJdbcUrls() {
        StoreProvider provider = discovered();

        assertThat(provider.supports("jdbc:sqlite:/tmp/x.db")).isTrue();
        assertThat(provider.supports("JDBC:SQLITE:/tmp/x.db")).isTrue();
        assertThat(provider.supports("jdbc:postgresql://localhost/db")).isTrue();
        assertThat(provider.supports("jdbc:mysql://localhost/db")).isFalse();
        assertThat(provider.supports("memory:")).isFalse();
        assertThat(provider.supports(null)).isFalse();
    }

    @Test
    void opensAWorkingMigratedSqliteStore() {
        Path file = dir.resolve("provider.db");
        try (Store store = discovered().open("jdbc:sqlite:" + file)) {
            assertThat(store).isInstanceOf(JdbcStore.class);
            assertThat(store.saveWorkflow("wf", "{}", Instant.EPOCH).version()).isEqualTo(1);
        }
    }

    @Test
    void coreOpensTheStoreOfAJdbcUrlThroughTheProvider() {
        Path file = dir.resolve("builder.db");
        try (Orchestrator o = Orchestrator.builder().storeUrl("jdbc:sqlite:" + file).build()) {
            assertThat(o.workflows()).isEmpty();
            assertThat(o.runs(dev.orchestrator.RunQuery.all()).runs()).isEmpty();
        }
        assertThat(file).exists();
    }

    @Test
    void refusesOtherUrlsNamingThem() {
        assertThatThrownBy(() -> discovered().open("jdbc:mysql://localhost/db"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("jdbc:mysql://localhost/db");
    }

    @Test
    void aPostgresUrlsCurrentSchemaSelectsTheStoresSchema() throws Exception {
        PostgresTestDatabase.requireServer();
        String schema = "orch_provider_" + Long.toHexString(System.nanoTime());
        try {
            try (Store store = discovered().open(PostgresTestDatabase.URL + "&currentSchema=" + schema)) {
                store.saveWorkflow("in-own-schema", "{}", Instant.EPOCH);
            }
            try (var c = java.sql.DriverManager.getConnection(PostgresTestDatabase.URL);
                 var st = c.prepareStatement("SELECT count(*) FROM \"" + schema + "\".orc_workflows WHERE name = ?")) {
                st.setString(1, "in-own-schema");
                try (var rs = st.executeQuery()) {
                    rs.next();
                    assertThat(rs.getInt(1)).isEqualTo(1);
                }
            }
        } finally {
            PostgresTestDatabase.dropSchema(schema);
        }
    }

    @Test
    void currentSchemaIsReadFromTheQueryString() {
        assertThat(JdbcStore.currentSchema("jdbc:postgresql://h/db?user=u&currentSchema=my_schema")).isEqualTo("my_schema");
        assertThat(JdbcStore.currentSchema("jdbc:postgresql://h/db?user=u")).isNull();
        assertThat(JdbcStore.currentSchema("jdbc:postgresql://h/db")).isNull();
    }
}
