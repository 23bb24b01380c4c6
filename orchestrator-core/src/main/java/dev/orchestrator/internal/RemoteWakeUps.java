package dev.orchestrator.internal;

import dev.orchestrator.spi.WakeListener;

import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicReference;

/**
 * What the store hears from other processes ({@link dev.orchestrator.spi.Store#listen}): work ready
 * now asks the loop to claim at once; work ready later (a retry queued elsewhere) is remembered and
 * claimed when due; changed schedules are read again at the next tick. Store threads call
 * {@link #wake} and {@link #schedulesChanged}; the loop calls the rest.
 */
final class RemoteWakeUps implements WakeListener {

    private final Clock clock;
    private final Runnable claimNow;
    private final Runnable cancelCheck;
    private final Runnable wakeLoop;
    private final Runnable schedulesChanged;
    /** The earliest ready time heard of and not yet claimed for, or null. */
    private final AtomicReference<Instant> readyAt = new AtomicReference<>();

    /**
     * @param claimNow    asks the loop to claim now
     * @param cancelCheck asks the loop to look for cancel requests now
     */
    RemoteWakeUps(Clock clock, Runnable claimNow, Runnable cancelCheck, Runnable wakeLoop, Runnable schedulesChanged) {
        this.clock = clock;
        this.claimNow = claimNow;
        this.cancelCheck = cancelCheck;
        this.wakeLoop = wakeLoop;
        this.schedulesChanged = schedulesChanged;
    }

    @Override
    public void wake(Instant at) {
        if (at == null || !at.isAfter(clock.instant())) {
            claimNow.run();
            return;
        }
        readyAt.accumulateAndGet(at, (a, b) -> a == null || b.isBefore(a) ? b : a);
        wakeLoop.run();
    }

    /** A cancel elsewhere: look for cancel requests (a trigger's wake-up does not, so it costs no read per run). */
    @Override
    public void cancelRequested() {
        cancelCheck.run();
        claimNow.run();
    }

    @Override
    public void schedulesChanged() {
        schedulesChanged.run();
        wakeLoop.run();
    }

    /** Loop: whether work heard of is due at {@code now} (and forgets it). */
    boolean claimDue(Instant now) {
        Instant at = readyAt.get();
        return at != null && !now.isBefore(at) && readyAt.compareAndSet(at, null);
    }

    /** When work heard of is due, or {@link Instant#MAX}. */
    Instant nextWake() {
        Instant at = readyAt.get();
        return at == null ? Instant.MAX : at;
    }
}
