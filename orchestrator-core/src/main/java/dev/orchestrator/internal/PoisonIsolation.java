package dev.orchestrator.internal;

import dev.orchestrator.spi.Store;
import dev.orchestrator.spi.TaskUpdate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes a batch that the database rejected as a whole: by halves, down to the one update it
 * rejects, which is written sanitised, or as a failure of its attempt that says why, or left
 * out as a last resort. Everything else in the batch is written. A transient error (the
 * database went away meanwhile) stops the search; what was not written yet is kept. Loop
 * thread only.
 */
final class PoisonIsolation {

    private static final Logger log = LoggerFactory.getLogger(PoisonIsolation.class);

    /**
     * What the search did.
     *
     * @param handled     the updates written (as they were, sanitised, or as a failure) or left out
     * @param endedRuns   runs that ended in the writes
     * @param interrupted whether a transient error stopped the search (the rest is to be kept)
     */
    record Outcome(List<TaskUpdate> handled, List<Long> endedRuns, boolean interrupted) {
    }

    private static final class Interrupted extends RuntimeException {
        Interrupted(RuntimeException cause) {
            super(cause);
        }
    }

    private final Store store;

    PoisonIsolation(Store store) {
        this.store = store;
    }

    Outcome isolate(List<TaskUpdate> batch, Instant now) {
        List<TaskUpdate> handled = new ArrayList<>();
        List<Long> ended = new ArrayList<>();
        try {
            split(batch, now, handled, ended);
        } catch (Interrupted e) {
            log.warn("store unavailable while isolating a rejected update; keeping {} updates: {}",
                    batch.size() - handled.size(), e.getCause().toString());
            return new Outcome(handled, ended, true);
        }
        return new Outcome(handled, ended, false);
    }

    private void split(List<TaskUpdate> part, Instant now, List<TaskUpdate> handled, List<Long> ended) {
        if (part.size() == 1) {
            single(part.getFirst(), now, handled, ended);
            return;
        }
        int mid = part.size() / 2;
        for (List<TaskUpdate> half : List.of(part.subList(0, mid), part.subList(mid, part.size()))) {
            try {
                ended.addAll(store.applyUpdates(half, now));
                handled.addAll(half);
            } catch (RuntimeException e) {
                stopIfTransient(e);
                split(half, now, handled, ended);
            }
        }
    }

    private void single(TaskUpdate u, Instant now, List<TaskUpdate> handled, List<Long> ended) {
        RuntimeException rejection;
        try {
            ended.addAll(store.applyUpdates(List.of(u), now));
            handled.add(u); // it passed alone: the batch failed for another reason
            return;
        } catch (RuntimeException e) {
            stopIfTransient(e);
            rejection = e;
        }
        TaskUpdate clean = UpdateSanitizer.sanitize(u);
        if (clean != u && tryWrite(clean, now, ended)) {
            log.warn("task {} attempt {}: the database rejected its {} update ({}); wrote it sanitised", u.taskId(),
                    u.attempt(), u.kind(), rejection.toString());
            handled.add(u);
            return;
        }
        TaskUpdate failure = UpdateSanitizer.unwritable(u, rejection);
        if (failure != null && tryWrite(failure, now, ended)) {
            log.error("task {} attempt {}: the database rejected its {} update even sanitised; recorded the attempt as "
                    + "failed: {}", u.taskId(), u.attempt(), u.kind(), rejection.toString());
        } else {
            log.error("task {} attempt {}: the database rejected its {} update; left out: {}", u.taskId(), u.attempt(),
                    u.kind(), rejection.toString());
        }
        handled.add(u);
    }

    private boolean tryWrite(TaskUpdate u, Instant now, List<Long> ended) {
        try {
            ended.addAll(store.applyUpdates(List.of(u), now));
            return true;
        } catch (RuntimeException e) {
            stopIfTransient(e);
            return false;
        }
    }

    private static void stopIfTransient(RuntimeException e) {
        if (StoreErrors.isTransient(e)) {
            throw new Interrupted(e);
        }
    }
}
