package dev.orchestrator.internal;

import dev.orchestrator.ConcurrencyLimitException;
import dev.orchestrator.MisfirePolicy;
import dev.orchestrator.RunHandle;
import dev.orchestrator.ScheduleSpec;
import dev.orchestrator.TriggerOptions;
import dev.orchestrator.spi.ScheduleRow;
import dev.orchestrator.spi.Store;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiFunction;

/**
 * Fires due schedules: one pass reads the due rows and, for each fire, first moves the schedule's
 * next fire with a compare-and-set (so of several nodes exactly one wins the fire), then creates the
 * run with the schedule's {@link ScheduleSpec#triggerOptions(Instant) trigger options} (whose
 * idempotency key names the fire), then records the run on the schedule. A node that dies between
 * the two steps leaves a fire without a run ({@link ScheduleRow#firePending()}), which the next pass
 * of any node completes; the idempotency key makes a second attempt return the first run.
 *
 * <p>A fire more than {@link #MISFIRE_THRESHOLD} old is missed: {@link MisfirePolicy#SKIP} moves on
 * to the first fire after now without a run, {@link MisfirePolicy#RUN_ONCE} fires once at the
 * latest missed fire and then moves on.
 *
 * <p>The loop runs a pass only when the earliest next fire is due, when schedules changed (through
 * this orchestrator, or as the store reports), or at the safety-net interval; it never polls for
 * fires. Thread-safe: passes are serialized; {@link #changed()} and {@link #nextWake()} from any thread.
 */
final class ScheduleFirer {

    private static final Logger log = LoggerFactory.getLogger(ScheduleFirer.class);
    /** A due fire older than this is missed (see {@link MisfirePolicy}). */
    static final Duration MISFIRE_THRESHOLD = Duration.ofMinutes(1);
    private static final int BATCH = 100;
    /** Most fires in one pass, so a backlog never holds the loop for long. */
    private static final int MAX_FIRES_PER_PASS = 1_000;
    private static final Duration RETRY = Duration.ofSeconds(1);

    private final Store store;
    private final BiFunction<String, TriggerOptions, RunHandle> trigger;
    private final Duration refreshInterval;
    private volatile boolean changed = true;
    /** The earliest next fire as last read, or null if none. */
    private volatile Instant nextFire;
    /** The safety net: read the next fire again then, whatever happened. */
    private volatile Instant nextRefresh = Instant.MIN;

    /**
     * @param trigger         creates a run of a workflow (the orchestrator's {@code trigger})
     * @param refreshInterval how often the next fire is read again without being told of a change
     *                        (schedules created by a process that does not wake this one)
     */
    ScheduleFirer(Store store, BiFunction<String, TriggerOptions, RunHandle> trigger, Duration refreshInterval) {
        this.store = store;
        this.trigger = trigger;
        this.refreshInterval = refreshInterval;
    }

    /** Any thread: schedules changed; the next pass reads them again. */
    void changed() {
        changed = true;
    }

    /** When the loop should next run a pass. */
    Instant nextWake() {
        Instant fire = nextFire;
        Instant refresh = nextRefresh;
        return changed ? Instant.MIN : fire != null && fire.isBefore(refresh) ? fire : refresh;
    }

    /** Runs a pass if one is due at {@code now}; returns the runs created. */
    int runIfDue(Instant now) {
        return now.isBefore(nextWake()) ? 0 : pass(now);
    }

    /**
     * Fires everything due at {@code now} and reads the next fire. Never throws: a store failure is
     * logged and the pass is tried again a second later.
     *
     * @return the runs created
     */
    synchronized int pass(Instant now) {
        changed = false;
        int created = 0;
        try {
            created = fireDue(now);
            nextFire = store.nextScheduleFire().orElse(null);
            nextRefresh = now.plus(refreshInterval);
        } catch (RuntimeException e) {
            log.warn("firing schedules failed; retrying in {}: {}", RETRY, e.toString());
            nextRefresh = now.plus(RETRY);
        }
        return created;
    }

    private int fireDue(Instant now) {
        int created = 0;
        int fires = 0;
        Set<String> failed = new HashSet<>();
        Set<ScheduleRow> seen = new HashSet<>(); // a row seen unchanged is not tried twice in a pass
        while (fires < MAX_FIRES_PER_PASS) {
            List<ScheduleRow> due = store.dueSchedules(now, BATCH).stream()
                    .filter(r -> !failed.contains(r.name()) && seen.add(r)).toList();
            if (due.isEmpty()) {
                break;
            }
            for (ScheduleRow row : due) {
                fires++;
                try {
                    created += fire(row, now);
                } catch (RuntimeException e) {
                    failed.add(row.name());
                    log.warn("schedule '{}' could not fire; trying again at the next pass: {}", row.name(), e.toString());
                }
            }
        }
        if (fires >= MAX_FIRES_PER_PASS) {
            changed = true; // more to do: the next tick goes on
        }
        return created;
    }

    /** One due row: completes a pending fire, then fires or skips the due one. Returns the runs created. */
    private int fire(ScheduleRow row, Instant now) {
        ScheduleSpec spec = ScheduleCodec.fromJson(row.specJson());
        int created = 0;
        if (row.firePending()) {
            created += createRun(spec, row.nextFireAt(), row.lastFireAt(), null, null) ? 1 : 0;
        }
        Instant due = row.nextFireAt();
        if (row.paused() || due == null || due.isAfter(now)) {
            return created;
        }
        Instant next = spec.nextFireAfter(now.isAfter(due) && isMissed(due, now) ? now : due);
        if (isMissed(due, now) && spec.misfire() == MisfirePolicy.SKIP) {
            if (store.advanceSchedule(spec.name(), due, next, row.lastFireAt(), row.lastRunId())) {
                log.info("schedule '{}' missed its fire at {} (now {}): skipped (misfire SKIP); next fire {}", spec.name(),
                        due, now, next);
            }
            return created;
        }
        Instant fireAt = isMissed(due, now) ? latestFire(spec, due, now) : due;
        if (!store.advanceSchedule(spec.name(), due, next, fireAt, null)) {
            return created; // another node fired it
        }
        if (isMissed(due, now)) {
            log.info("schedule '{}' missed fires from {} to {} (now {}): one run (misfire RUN_ONCE); next fire {}",
                    spec.name(), due, fireAt, now, next);
        }
        return created + (createRun(spec, next, fireAt, row.lastFireAt(), row.lastRunId()) ? 1 : 0);
    }

    private static boolean isMissed(Instant due, Instant now) {
        return Duration.between(due, now).compareTo(MISFIRE_THRESHOLD) > 0;
    }

    /**
     * Creates the run of the fire at {@code fireAt} (recorded, with next fire {@code next}) and
     * records it on the schedule. If the workflow is gone, drops the fire, putting back the previous
     * last fire and run. Returns whether a run was created (not found).
     */
    private boolean createRun(ScheduleSpec spec, Instant next, Instant fireAt, Instant previousFire, Long previousRun) {
        RunHandle run;
        try {
            run = trigger.apply(spec.workflow(), spec.triggerOptions(fireAt));
        } catch (IllegalArgumentException | ConcurrencyLimitException e) {
            // the workflow was deleted, or its REFUSE limit is reached: this fire cannot run
            log.warn("schedule '{}' fire at {} dropped: {}", spec.name(), fireAt, e.getMessage());
            store.advanceSchedule(spec.name(), next, next, previousFire, previousRun);
            return false;
        }
        store.advanceSchedule(spec.name(), next, next, fireAt, run.id());
        log.debug("schedule '{}' fired at {}: run {}", spec.name(), fireAt, run.id());
        return run.created();
    }

    /** The latest fire at or before {@code now}, not before {@code due}. */
    private static Instant latestFire(ScheduleSpec spec, Instant due, Instant now) {
        Instant until = spec.endAt() != null && spec.endAt().isBefore(now) ? spec.endAt() : now;
        Optional<Instant> last = Crons.lastBefore(spec.cron(), spec.zone(), until.plusMillis(1));
        Instant t = last.filter(l -> !l.isBefore(due) && !l.isAfter(until)).orElse(due);
        for (int i = 0; i < 10_000; i++) { // cron-utils' answer, checked: no fire between it and now
            Instant n = spec.nextFireAfter(t);
            if (n == null || n.isAfter(until)) {
                break;
            }
            t = n;
        }
        return t;
    }
}
