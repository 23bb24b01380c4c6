package dev.orchestrator;

import dev.orchestrator.internal.Crons;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A cron schedule that triggers runs of a workflow. Each fire creates one run, triggered by
 * {@code schedule:<name>}, with an idempotency key made of the schedule's name and the fire
 * instant: a fire happens exactly once however many nodes run.
 *
 * <pre>{@code
 * orchestrator.createSchedule(ScheduleSpec.builder("nightly-report", "report", "30 2 * * *")
 *         .zone("Europe/Berlin").param("format", "pdf").build());
 * }</pre>
 *
 * @param name       unique among schedules; not blank, at most 200 characters
 * @param workflow   the workflow it triggers
 * @param cron       five fields ({@code minute hour day month weekday}) or six (seconds first)
 * @param zone       the time zone the expression is read in
 * @param parameters handed to every run, as {@link TriggerOptions#parameters()}
 * @param misfire    what to do with fires missed while no node ran
 * @param startAt    no fire before this instant, or {@code null}
 * @param endAt      no fire after this instant, or {@code null}
 */
public record ScheduleSpec(String name, String workflow, String cron, ZoneId zone, Map<String, String> parameters,
                           MisfirePolicy misfire, Instant startAt, Instant endAt) {

    /** Validates every value; messages quote the offending text. */
    public ScheduleSpec {
        Names.check("schedule name", name);
        Names.check("workflow", workflow);
        Crons.check(cron);
        Objects.requireNonNull(zone, "zone");
        parameters = TriggerOptions.parameters(parameters == null ? Map.of() : parameters).parameters();
        misfire = misfire == null ? MisfirePolicy.SKIP : misfire;
        checkWindow(startAt, endAt);
    }

    /** A builder for a schedule {@code name} that triggers {@code workflow} at {@code cron}, in UTC. */
    public static Builder builder(String name, String workflow, String cron) {
        return new Builder(name, workflow, cron);
    }

    /**
     * Its next {@code count} fire instants strictly after {@code after}, within its start and
     * end; fewer when it ends sooner.
     *
     * @throws IllegalArgumentException if {@code count} is not between 1 and 1000
     */
    public List<Instant> firesAfter(Instant after, int count) {
        if (count < 1 || count > 1000) {
            throw new IllegalArgumentException("count must be between 1 and 1000, got " + count);
        }
        List<Instant> fires = new ArrayList<>(count);
        Instant t = startAt != null && startAt.isAfter(after) ? startAt.minusNanos(1) : after;
        while (fires.size() < count) {
            Optional<Instant> next = Crons.nextAfter(cron, zone, t);
            if (next.isEmpty() || (endAt != null && next.get().isAfter(endAt))) {
                break;
            }
            fires.add(next.get());
            t = next.get();
        }
        return fires;
    }

    /** Its first fire strictly after {@code after} within its start and end, or {@code null} if none is left. */
    public Instant nextFireAfter(Instant after) {
        List<Instant> next = firesAfter(after, 1);
        return next.isEmpty() ? null : next.getFirst();
    }

    /** The options of the runs it triggers at {@code fireAt}. */
    public TriggerOptions triggerOptions(Instant fireAt) {
        return TriggerOptions.builder().params(parameters).triggeredBy("schedule:" + name)
                .idempotencyKey("schedule:" + name + "@" + fireAt).build();
    }

    private static void checkWindow(Instant startAt, Instant endAt) {
        if (startAt != null && endAt != null && !endAt.isAfter(startAt)) {
            throw new IllegalArgumentException("endAt (" + endAt + ") must be after startAt (" + startAt + ")");
        }
    }

    /** Builds a {@link ScheduleSpec}; each setter checks its value at once. Not thread-safe. */
    public static final class Builder {
        private final String name;
        private final String workflow;
        private final String cron;
        private ZoneId zone = ZoneOffset.UTC;
        private final Map<String, String> parameters = new LinkedHashMap<>();
        private MisfirePolicy misfire = MisfirePolicy.SKIP;
        private Instant startAt;
        private Instant endAt;

        private Builder(String name, String workflow, String cron) {
            Names.check("schedule name", name);
            Names.check("workflow", workflow);
            Crons.check(cron);
            this.name = name;
            this.workflow = workflow;
            this.cron = cron;
        }

        /**
         * The time zone, by id such as {@code Europe/Berlin}. Default UTC.
         *
         * @throws IllegalArgumentException quoting an unknown zone
         */
        public Builder zone(String zoneId) {
            try {
                this.zone = ZoneId.of(Objects.requireNonNull(zoneId, "zone"));
            } catch (DateTimeException e) {
                throw new IllegalArgumentException("zone '" + zoneId + "' is not a known time zone: " + e.getMessage(), e);
            }
            return this;
        }

        /** The time zone. Default UTC. */
        public Builder zone(ZoneId zone) {
            this.zone = Objects.requireNonNull(zone, "zone");
            return this;
        }

        /** Adds one run parameter; the rules of {@link TriggerOptions.Builder#param} apply. */
        public Builder param(String key, String value) {
            Map<String, String> next = new LinkedHashMap<>(parameters);
            next.put(key, value);
            try {
                TriggerOptions.parameters(next); // checks the key, the value and the total size
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("parameter '" + key + "': " + e.getMessage(), e);
            }
            parameters.put(key, value);
            return this;
        }

        /** What to do with fires missed while no node ran. Default {@link MisfirePolicy#SKIP}. */
        public Builder misfire(MisfirePolicy misfire) {
            this.misfire = Objects.requireNonNull(misfire, "misfire");
            return this;
        }

        /** No fire before this instant. Default: none. */
        public Builder startAt(Instant startAt) {
            this.startAt = startAt;
            return this;
        }

        /** No fire after this instant. Default: none. */
        public Builder endAt(Instant endAt) {
            this.endAt = endAt;
            return this;
        }

        /**
         * The schedule.
         *
         * @throws IllegalArgumentException if {@code endAt} is not after {@code startAt}
         */
        public ScheduleSpec build() {
            return new ScheduleSpec(name, workflow, cron, zone, parameters, misfire, startAt, endAt);
        }
    }
}
