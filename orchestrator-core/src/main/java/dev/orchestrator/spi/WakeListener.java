package dev.orchestrator.spi;

import java.time.Instant;

/**
 * Told by a {@link Store} that another process may have made work ready (a run was triggered, a
 * step released its dependents, a retry was queued) or changed schedules. Called on a thread of
 * the store; it must return quickly (the scheduler only sets a flag and wakes its loop).
 */
@FunctionalInterface
public interface WakeListener {

    /**
     * Work may be ready at {@code readyAt}, or now when it is {@code null}. Also called with
     * {@code null} after the store lost and regained its way of hearing about work, so the
     * listener looks once for what it may have missed.
     */
    void wake(Instant readyAt);

    /**
     * Another process created, paused, resumed or deleted a schedule: read the schedules again.
     * Also called after the store regained its way of hearing. The default does nothing.
     */
    default void schedulesChanged() {
    }

    /**
     * Another process asked to cancel a run or task: owners of its running tasks look for cancel
     * requests. Also called after the store regained its way of hearing. The default treats it as
     * work ready now ({@code wake(null)}).
     */
    default void cancelRequested() {
        wake(null);
    }
}
