package dev.orchestrator.jdbc.internal;

import dev.orchestrator.spi.ClaimedTask;
import dev.orchestrator.spi.TaskUpdate;
import dev.orchestrator.spi.WriteAndClaim;

import java.sql.Connection;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Set;

import static dev.orchestrator.jdbc.internal.Args.requireText;

/**
 * The scheduler loop's claim and write calls, on the scheduler's pool: claiming ready tasks,
 * applying a batch of task updates, or both in one transaction, and sending the wake-ups they
 * cause. Owns the look-ahead that lets an idle node's poll cost one read. Apart from
 * {@link JdbcEngine} to keep it small.
 */
final class ClaimStore {

    /** Whether the last claim found nothing; only the scheduler loop claims, so no race matters. */
    private volatile boolean lastClaimEmpty;
    /** The scheduler's calls. */
    private final Database sched;
    private final ClaimQueries claims;
    private final UpdateApplier updates;
    private final WakeNotifier notifier;

    ClaimStore(Database sched, ClaimQueries claims, UpdateApplier updates, WakeNotifier notifier) {
        this.sched = sched;
        this.claims = claims;
        this.updates = updates;
        this.notifier = notifier;
    }

    /** A run was created: the next claim finds work, so it needs no look-ahead read before it. */
    void workAdded() {
        lastClaimEmpty = false;
    }

    List<ClaimedTask> claimReady(String nodeId, Set<String> executorTypes, int limit, Instant now) {
        return claimReady(nodeId, executorTypes, limit, limit, now);
    }

    private List<ClaimedTask> claimReady(String nodeId, Set<String> executorTypes, int limit, int startable,
                                         Instant now) {
        List<String> types = ClaimQueries.typeKey(executorTypes);
        requireText(nodeId, "nodeId");
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be at least 1, got " + limit);
        }
        long at = Millis.required(now, "now");
        // After an empty claim (an idle node polling), look with one read before opening a write
        // transaction: an idle poll then costs one statement.
        if (lastClaimEmpty && !sched.read("claimReady", (ctx, c) -> claims.anyReady(c, types, at))) {
            return List.of();
        }
        List<ClaimedTask> claimed = sched.write("claimReady", (ctx, c) -> {
            List<ClaimedTask> got = claims.claim(ctx, c, nodeId, types, limit, startable, at);
            notifier.flush(ctx, c);
            return got;
        });
        lastClaimEmpty = claimed.isEmpty();
        return claimed;
    }

    /** Both in one transaction: one commit for the scheduler's write and its next claim. */
    WriteAndClaim applyUpdatesAndClaim(List<TaskUpdate> batch, String nodeId, Set<String> executorTypes,
                                       int limit, int startable, Instant now) {
        Objects.requireNonNull(batch, "updates must not be null");
        if (batch.isEmpty() || limit < 1) {
            List<Long> ended = batch.isEmpty() ? List.of() : applyUpdates(batch, now);
            List<ClaimedTask> claimed = limit < 1 ? List.of()
                    : claimReady(nodeId, executorTypes, limit, Math.max(0, startable), now);
            return new WriteAndClaim(ended, claimed);
        }
        List<String> types = ClaimQueries.typeKey(executorTypes);
        requireText(nodeId, "nodeId");
        long at = Millis.required(now, "now");
        WriteAndClaim result = sched.write("applyUpdatesAndClaim", (ctx, c) -> {
            WriteAndClaim r = new WriteAndClaim(updates.apply(ctx, c, batch, at), claims.claim(ctx, c, nodeId, types, limit,
                    Math.max(0, startable), at));
            notifyRetries(ctx, c, batch);
            return r;
        });
        claims.limits().written(batch);
        lastClaimEmpty = result.claimed().isEmpty();
        return result;
    }

    List<Long> applyUpdates(List<TaskUpdate> batch, Instant now) {
        Objects.requireNonNull(batch, "updates must not be null");
        long at = Millis.required(now, "now");
        if (batch.isEmpty()) {
            return List.of();
        }
        List<Long> ended = sched.write("applyUpdates", (ctx, c) -> {
            List<Long> e = updates.apply(ctx, c, batch, at);
            notifyRetries(ctx, c, batch);
            return e;
        });
        claims.limits().written(batch);
        return ended;
    }

    /**
     * Sends the transaction's one wake-up, if it made work ready: a step released its dependents
     * (marked by the cascade) or a retry was queued (its time is the payload).
     */
    private void notifyRetries(org.jooq.DSLContext ctx, Connection c, List<TaskUpdate> batch) throws java.sql.SQLException {
        for (TaskUpdate u : batch) {
            if (u.kind() == TaskUpdate.Kind.ENDED && u.retryAt() != null) {
                WakeNotifier.readyAt(ctx, u.retryAt().toEpochMilli());
            } else if (u.kind() == TaskUpdate.Kind.RELEASED) {
                WakeNotifier.readyNow(ctx); // a handed-back task is ready for another node at once
            }
        }
        notifier.flush(ctx, c);
    }
}
