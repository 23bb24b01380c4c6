package dev.orchestrator.internal;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/** The lease's renewal rules, on a ticker the test moves: a lapse is final, a fenced identity is never renewed. */
class NodeLeaseTest {

    private final AtomicLong ticker = new AtomicLong(1_000);
    private final NodeLease lease = new NodeLease("n", Duration.ofSeconds(10), ticker::get);

    private static long s(long seconds) {
        return Duration.ofSeconds(seconds).toNanos();
    }

    @Test
    void aRenewalHoldsForTheLeaseLessAFifthFromWhenItWasSent() {
        assertThat(lease.held()).isFalse();
        assertThat(lease.renew("n", ticker.get())).isEqualTo(Duration.ofSeconds(8));
        ticker.addAndGet(s(8) - 1);
        assertThat(lease.held()).isTrue();
        ticker.addAndGet(1);
        assertThat(lease.lapsed()).isTrue();
    }

    @Test
    void aLapsedLeaseIsNeverRenewedEvenByAHeartbeatSentBeforeTheLapse() {
        lease.renew("n", ticker.get());
        long sentAt = ticker.addAndGet(s(7));
        ticker.addAndGet(s(2)); // the answer comes after the lapse
        assertThat(lease.renew("n", sentAt)).isNull();
        assertThat(lease.lapsed()).isTrue();
    }

    @Test
    void aRenewalOfTheIdentityGivenUpByFencingNeverExtendsTheNextOne() {
        lease.renew("n", ticker.get());
        long sentAt = ticker.get();
        ticker.addAndGet(s(9));
        assertThat(lease.fence()).isEqualTo("n~1");
        assertThat(lease.renew("n", sentAt)).isNull();
        assertThat(lease.held()).isFalse();
        assertThat(lease.lapsed()).isFalse();
        assertThat(lease.renew("n~1", ticker.get())).isEqualTo(Duration.ofSeconds(8));
        assertThat(lease.identity().incarnation()).isEqualTo(1);
    }

    @Test
    void aRevokedLeaseHasLapsedAndOnlyForItsOwnIdentity() {
        lease.renew("n", ticker.get());
        lease.revoke("other");
        assertThat(lease.held()).isTrue();
        lease.revoke("n");
        assertThat(lease.lapsed()).isTrue();
    }
}
