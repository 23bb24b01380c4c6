package dev.orchestrator.internal;

import org.junit.jupiter.api.Test;

import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** Where the watchdog counts a renewal's lease from: the renewal's send time, unless that cannot be on its clock. */
class ProcessWatchdogLeaseEndTest {

    private static final long S = TimeUnit.SECONDS.toNanos(1);
    private static final long NOW = 5_000 * S;

    @Test
    void aRenewalReadLateEndsWhenItWouldHaveOnTime() {
        // Sent 1.5 s before the watchdog read it (still starting), valid 1.6 s: 0.1 s left, not 1.6 s.
        assertThat(ProcessWatchdog.leaseEnd(1600, NOW - 3 * S / 2, NOW)).isEqualTo(NOW + S / 10);
        // Read so late that the lease has ended: it ended in the past, so the groups stop at once.
        assertThat(ProcessWatchdog.leaseEnd(1600, NOW - 2 * S, NOW)).isLessThan(NOW);
    }

    @Test
    void aSendTimeThatCannotBeOnTheSameClockCountsFromTheReading() {
        assertThat(ProcessWatchdog.leaseEnd(1600, NOW + S, NOW)).as("sent in the future").isEqualTo(NOW + 16 * S / 10);
        assertThat(ProcessWatchdog.leaseEnd(1600, NOW - 3_601 * S, NOW)).as("sent over an hour ago")
                .isEqualTo(NOW + 16 * S / 10);
    }
}
