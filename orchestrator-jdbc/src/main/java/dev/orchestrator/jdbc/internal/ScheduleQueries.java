package dev.orchestrator.jdbc.internal;

import dev.orchestrator.spi.ScheduleRow;
import org.jooq.DSLContext;
import org.jooq.Record;
import org.jooq.SelectField;
import org.jooq.impl.DSL;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

import static dev.orchestrator.jdbc.internal.Col.CREATED_AT;
import static dev.orchestrator.jdbc.internal.Col.LAST_FIRE_AT;
import static dev.orchestrator.jdbc.internal.Col.LAST_RUN_ID;
import static dev.orchestrator.jdbc.internal.Col.NAME;
import static dev.orchestrator.jdbc.internal.Col.NEXT_FIRE_AT;
import static dev.orchestrator.jdbc.internal.Col.PAUSED;
import static dev.orchestrator.jdbc.internal.Col.SPEC_JSON;
import static dev.orchestrator.jdbc.internal.Col.WORKFLOW_NAME;

/** Statements on {@code schedules}: one row per schedule, with its next and last fire. */
final class ScheduleQueries {

    private static final SelectField<?>[] COLUMNS = {NAME, WORKFLOW_NAME, SPEC_JSON, PAUSED, NEXT_FIRE_AT, LAST_FIRE_AT,
            LAST_RUN_ID, CREATED_AT};

    private final Tables t;

    /** Statements on {@code tables.schedules}. */
    public ScheduleQueries(Tables tables) {
        this.t = tables;
    }

    /** Inserts the row; a duplicate name fails with a unique violation. */
    public ScheduleRow create(DSLContext ctx, ScheduleRow s) {
        ctx.insertInto(t.schedules, NAME, WORKFLOW_NAME, SPEC_JSON, PAUSED, NEXT_FIRE_AT, CREATED_AT)
                .values(s.name(), s.workflow(), s.specJson(), s.paused(), Millis.of(s.nextFireAt()),
                        Millis.required(s.createdAt(), "createdAt"))
                .execute();
        return new ScheduleRow(s.name(), s.workflow(), s.specJson(), s.paused(), s.nextFireAt(), null, null,
                Millis.at(Millis.of(s.createdAt())));
    }

    /** One schedule. */
    public Optional<ScheduleRow> find(DSLContext ctx, String name) {
        return ctx.select(COLUMNS).from(t.schedules).where(NAME.eq(name)).fetchOptional().map(ScheduleQueries::row);
    }

    /** Every schedule, by name. */
    public List<ScheduleRow> list(DSLContext ctx) {
        return ctx.select(COLUMNS).from(t.schedules).orderBy(NAME).fetch(ScheduleQueries::row);
    }

    /** Deletes one; whether it existed. */
    public boolean delete(DSLContext ctx, String name) {
        return ctx.deleteFrom(t.schedules).where(NAME.eq(name)).execute() > 0;
    }

    /** Pauses, or resumes with a new next fire; whether it exists. */
    public boolean setPaused(DSLContext ctx, String name, boolean paused, Long nextFireAt) {
        var update = ctx.update(t.schedules).set(PAUSED, paused);
        if (!paused) {
            update = update.set(NEXT_FIRE_AT, nextFireAt);
        }
        return update.where(NAME.eq(name)).execute() > 0;
    }

    /** Schedules due at {@code now} and fires without a run, earliest first. */
    public List<ScheduleRow> due(DSLContext ctx, long now, int limit) {
        return ctx.select(COLUMNS).from(t.schedules)
                .where(PAUSED.isFalse().and(NEXT_FIRE_AT.le(now)))
                .or(LAST_FIRE_AT.isNotNull().and(LAST_RUN_ID.isNull()))
                .orderBy(NEXT_FIRE_AT.asc().nullsFirst(), NAME).limit(limit)
                .fetch(ScheduleQueries::row);
    }

    /** The compare-and-set on {@code next_fire_at}; whether it matched. */
    public boolean advance(DSLContext ctx, String name, Long expected, Long next, Long lastFire, Long lastRun) {
        return ctx.update(t.schedules).set(NEXT_FIRE_AT, next).set(LAST_FIRE_AT, lastFire).set(LAST_RUN_ID, lastRun)
                .where(NAME.eq(name)).and(NEXT_FIRE_AT.isNotDistinctFrom(expected == null ? DSL.castNull(NEXT_FIRE_AT)
                        : DSL.val(expected)))
                .execute() > 0;
    }

    /** The earliest next fire of the schedules not paused. */
    public Optional<Instant> nextFire(DSLContext ctx) {
        Long next = ctx.select(DSL.min(NEXT_FIRE_AT)).from(t.schedules).where(PAUSED.isFalse())
                .and(NEXT_FIRE_AT.isNotNull()).fetchOne(0, Long.class);
        return Optional.ofNullable(Millis.at(next));
    }

    private static ScheduleRow row(Record r) {
        return new ScheduleRow(r.get(NAME), r.get(WORKFLOW_NAME), r.get(SPEC_JSON), r.get(PAUSED),
                Millis.at(r.get(NEXT_FIRE_AT)), Millis.at(r.get(LAST_FIRE_AT)), r.get(LAST_RUN_ID),
                Millis.at(r.get(CREATED_AT)));
    }
}
