package dev.orchestrator.internal;

import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What another process's wake-ups ask of the loop: work ready now asks for a claim only (a trigger
 * elsewhere must not make this node read cancel requests), a cancel asks for a look at cancel
 * requests too, and work ready later is remembered until due.
 */
class RemoteWakeUpsTest {

    private static final Instant NOW = Instant.parse("2026-03-08T07:00:00Z");

    private final AtomicInteger claims = new AtomicInteger();
    private final AtomicInteger cancelChecks = new AtomicInteger();
    private final AtomicInteger wakes = new AtomicInteger();
    private final RemoteWakeUps remote = new RemoteWakeUps(Clock.fixed(NOW, ZoneOffset.UTC), claims::incrementAndGet,
            cancelChecks::incrementAndGet, wakes::incrementAndGet, () -> { });

    @Test
    void workReadyNowAsksForAClaimButNoCancelCheck() {
        remote.wake(null);
        assertThat(claims).hasValue(1);
        assertThat(cancelChecks).hasValue(0);
    }

    @Test
    void aCancelAsksForACancelCheckAndAClaim() {
        remote.cancelRequested();
        assertThat(cancelChecks).hasValue(1);
        assertThat(claims).hasValue(1);
    }

    @Test
    void workReadyLaterIsClaimedWhenDue() {
        remote.wake(NOW.plusSeconds(5));
        assertThat(claims).hasValue(0);
        assertThat(wakes).hasValue(1);
        assertThat(remote.nextWake()).isEqualTo(NOW.plusSeconds(5));
        assertThat(remote.claimDue(NOW.plusSeconds(4))).isFalse();
        assertThat(remote.claimDue(NOW.plusSeconds(5))).isTrue();
        assertThat(remote.nextWake()).isEqualTo(Instant.MAX);
    }
}
