package dev.orchestrator.jdbc.internal;

import dev.orchestrator.spi.ScheduleRow;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

import static dev.orchestrator.jdbc.internal.Args.requireText;

/**
 * The store's schedule calls: checks the arguments, runs {@link ScheduleQueries}' statements in
 * a transaction on the right pool (the host's for its edits, the scheduler's for firing), and
 * tells other nodes when the schedules changed. Apart from {@link JdbcEngine} to keep it small.
 */
final class ScheduleStore {

    /** The host's calls. */
    private final Database db;
    /** The scheduler's calls. */
    private final Database sched;
    private final ScheduleQueries schedules;
    private final WakeNotifier notifier;

    ScheduleStore(Database db, Database sched, ScheduleQueries schedules, WakeNotifier notifier) {
        this.db = db;
        this.sched = sched;
        this.schedules = schedules;
        this.notifier = notifier;
    }

    ScheduleRow createSchedule(ScheduleRow schedule) {
        Objects.requireNonNull(schedule, "schedule must not be null");
        requireText(schedule.name(), "schedule.name");
        requireText(schedule.workflow(), "schedule.workflow");
        Objects.requireNonNull(schedule.specJson(), "schedule.specJson must not be null");
        try {
            return db.write("createSchedule", (ctx, c) -> {
                ScheduleRow row = schedules.create(ctx, schedule);
                notifier.schedulesChanged(c);
                return row;
            });
        } catch (IllegalStateException e) {
            if (Database.isUniqueViolation(e)) {
                throw new IllegalArgumentException("schedule '" + schedule.name() + "' already exists", e);
            }
            throw e;
        }
    }

    Optional<ScheduleRow> findSchedule(String name) {
        requireText(name, "name");
        return db.read("findSchedule", (ctx, c) -> schedules.find(ctx, name));
    }

    List<ScheduleRow> listSchedules() {
        return db.read("listSchedules", (ctx, c) -> schedules.list(ctx));
    }

    boolean deleteSchedule(String name) {
        requireText(name, "name");
        return db.write("deleteSchedule", (ctx, c) -> {
            boolean deleted = schedules.delete(ctx, name);
            notifier.schedulesChanged(c);
            return deleted;
        });
    }

    boolean setSchedulePaused(String name, boolean paused, Instant nextFireAt) {
        requireText(name, "name");
        return db.write("setSchedulePaused", (ctx, c) -> {
            boolean found = schedules.setPaused(ctx, name, paused, Millis.of(nextFireAt));
            notifier.schedulesChanged(c);
            return found;
        });
    }

    List<ScheduleRow> dueSchedules(Instant now, int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be at least 1, got " + limit);
        }
        long at = Millis.required(now, "now");
        return sched.read("dueSchedules", (ctx, c) -> schedules.due(ctx, at, limit));
    }

    boolean advanceSchedule(String name, Instant expectedNextFire, Instant newNextFire, Instant lastFireAt,
                            Long lastRunId) {
        requireText(name, "name");
        return sched.write("advanceSchedule", (ctx, c) -> schedules.advance(ctx, name, Millis.of(expectedNextFire),
                Millis.of(newNextFire), Millis.of(lastFireAt), lastRunId));
    }

    Optional<Instant> nextScheduleFire() {
        return sched.read("nextScheduleFire", (ctx, c) -> schedules.nextFire(ctx));
    }
}
