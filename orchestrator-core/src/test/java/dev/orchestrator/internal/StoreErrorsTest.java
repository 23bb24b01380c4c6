package dev.orchestrator.internal;

import org.junit.jupiter.api.Test;

import java.net.SocketException;
import java.sql.SQLException;

import static org.assertj.core.api.Assertions.assertThat;

class StoreErrorsTest {

    private static IllegalStateException wrapped(Throwable cause) {
        return new IllegalStateException("store operation applyUpdates failed: " + cause.getMessage(), cause);
    }

    @Test
    void aConnectionErrorIsTransientWhereverItSitsInTheChain() {
        assertThat(StoreErrors.isTransient(wrapped(new SQLException("I/O error", "08006")))).isTrue();
        assertThat(StoreErrors.isTransient(wrapped(new RuntimeException(new SocketException("reset"))))).isTrue();
        SQLException rollback = new SQLException("rollback failed");
        rollback.addSuppressed(new SQLException("An I/O error occurred while sending to the backend.", "08006"));
        assertThat(StoreErrors.isTransient(wrapped(rollback))).as("I/O error suppressed by the rollback's").isTrue();
    }

    @Test
    void aPoolsClosedConnectionIsTransient() {
        // What HikariCP answers on a connection it evicted after an I/O error: no SQLSTATE.
        assertThat(StoreErrors.isTransient(wrapped(new SQLException("Connection is closed")))).isTrue();
    }

    @Test
    void aRejectedValueIsNot() {
        assertThat(StoreErrors.isTransient(wrapped(new SQLException("invalid byte sequence for encoding \"UTF8\": 0x00",
                "22021")))).isFalse();
        assertThat(StoreErrors.isTransient(wrapped(new SQLException("value too long", "22001")))).isFalse();
    }

    @Test
    void aCauseLoopEnds() {
        SQLException a = new SQLException("a");
        SQLException b = new SQLException("b", a);
        a.initCause(b);
        assertThat(StoreErrors.isTransient(wrapped(a))).isFalse();
    }
}
