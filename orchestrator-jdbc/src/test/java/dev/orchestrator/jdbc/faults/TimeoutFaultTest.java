package dev.orchestrator.jdbc.faults;

import dev.orchestrator.jdbc.JdbcStore;
import dev.orchestrator.jdbc.JdbcStoreOptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * PostgreSQL behind a black hole (the proxy accepts and reads, and forwards nothing): the
 * store's connect and socket timeouts end calls that would otherwise wait for good, and a
 * heartbeat gives up within its own limit.
 */
class TimeoutFaultTest {

    @BeforeEach
    void requirePostgres() {
        Faults.requirePostgres();
    }

    @Test
    void aReadOnASilentConnectionFailsAfterTheSocketTimeout() throws Exception {
        String schema = Faults.newSchema("timeouts");
        try (TcpProxy proxy = new TcpProxy(5432);
             JdbcStore store = JdbcStore.open(proxy.jdbcUrl(), JdbcStoreOptions.builder().schema(schema).poolSize(2)
                     .socketTimeout(Duration.ofSeconds(1)).statementTimeout(Duration.ZERO).build())) {
            store.listWorkflows(); // connected before the black hole
            proxy.blackHole();
            long t = System.nanoTime();
            assertThatThrownBy(store::listWorkflows).isInstanceOf(IllegalStateException.class);
            long ms = Faults.millisSince(t);
            Faults.figure("a read on a black-holed connection failed after " + ms + " ms (socket timeout 1 s)");
            assertThat(ms).isLessThan(8_000);

            t = System.nanoTime();
            assertThatThrownBy(() -> store.heartbeat("n", Instant.now(), Duration.ofMillis(500)))
                    .isInstanceOf(IllegalStateException.class);
            ms = Faults.millisSince(t);
            Faults.figure("a heartbeat limited to 500 ms through a black hole failed after " + ms + " ms");
            assertThat(ms).isLessThan(5_000);
            proxy.restore();
            assertThat(store.heartbeat("n", Instant.now(), Duration.ofSeconds(5))).isFalse();
            assertThat(store.heartbeat("n", Instant.now(), Duration.ofSeconds(5))).isTrue();
        } finally {
            Faults.dropSchema(schema);
        }
    }

    @Test
    void openingAStoreBehindABlackHoleFailsAfterTheConnectTimeout() throws Exception {
        try (TcpProxy proxy = new TcpProxy(5432)) {
            proxy.blackHole();
            long t = System.nanoTime();
            assertThatThrownBy(() -> JdbcStore.open(proxy.jdbcUrl(), JdbcStoreOptions.builder()
                    .schema(Faults.newSchema("timeouts")).connectTimeout(Duration.ofSeconds(1)).build()))
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("cannot connect");
            long ms = Faults.millisSince(t);
            Faults.figure("opening a store behind a black hole failed after " + ms + " ms (connect timeout 1 s)");
            assertThat(ms).isLessThan(10_000);
        }
    }
}
