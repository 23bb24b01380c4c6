package dev.orchestrator.testkit;

import dev.orchestrator.ConcurrencyPolicy;
import dev.orchestrator.MisfirePolicy;
import dev.orchestrator.Orchestrator;
import dev.orchestrator.OrchestratorBuilder;
import dev.orchestrator.RunInfo;
import dev.orchestrator.RunQuery;
import dev.orchestrator.ScheduleInfo;
import dev.orchestrator.ScheduleSpec;
import dev.orchestrator.StepSpec;
import dev.orchestrator.TriggerOptions;
import dev.orchestrator.WorkflowSpec;
import dev.orchestrator.spi.Store;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeoutException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Schedules end to end over a real store: fires with a controlled clock (one schedule pass on
 * demand with {@link Orchestrator#fireDueSchedules()}), misfires, pause and resume, bad input, and
 * with real time the scheduler loop firing on its own. Subclasses supply the store; those whose
 * database several nodes share also supply a second store on it, for the exactly-once tests.
 */
public abstract class ScheduleContractTest {

    /** A whole second, so a per-second schedule's fires are T0 + 1 s, T0 + 2 s, ... */
    protected static final Instant T0 = Instant.parse("2026-03-08T06:59:50Z");

    /** A fresh, empty store only this test sees. */
    protected abstract Store newStore() throws Exception;

    /** Another store on the same database as the last {@link #newStore()}, or {@code null} if it cannot be shared. */
    protected abstract Store sameDatabase() throws Exception;

    /** A short name of the database, printed with figures. */
    protected abstract String storeName();

    protected Store store;
    protected final NoopExecutor noop = new NoopExecutor();
    protected final MutableClock clock = new MutableClock(T0);
    private final List<AutoCloseable> opened = new ArrayList<>();

    @BeforeEach
    void openStore() throws Exception {
        store = newStore();
    }

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable c : opened.reversed()) {
            c.close();
        }
        store.close();
    }

    protected OrchestratorBuilder builder(Store on) {
        return Orchestrator.builder().store(on).executor(noop).maxConcurrency(8).pollInterval(Duration.ofMillis(200))
                .shutdownTimeout(Duration.ofSeconds(10));
    }

    /** A client (not started) on the controlled clock. */
    protected Orchestrator client(Store on) {
        Orchestrator o = builder(on).clock(clock).build();
        opened.add(o);
        return o;
    }

    protected Orchestrator withWorkflow(Orchestrator o) {
        o.register(WorkflowSpec.of("wf", StepSpec.builder("s", "noop")));
        return o;
    }

    protected static List<RunInfo> runsOf(Orchestrator o, String schedule) {
        return o.runs(RunQuery.builder().triggeredBy("schedule:" + schedule).limit(1000).build()).runs();
    }

    @Test
    void aPerSecondScheduleFiresTenTimesInTenSimulatedSeconds() {
        Orchestrator o = withWorkflow(client(store));
        ScheduleInfo created = o.createSchedule(ScheduleSpec.builder("tick", "wf", "*/1 * * * * *")
                .param("k", "v").build());
        assertThat(created.nextFireAt()).isEqualTo(T0.plusSeconds(1));

        int fired = 0;
        for (int s = 1; s <= 10; s++) {
            clock.set(T0.plusSeconds(s).plusMillis(3));
            fired += o.fireDueSchedules();
        }

        assertThat(fired).isEqualTo(10);
        List<RunInfo> runs = runsOf(o, "tick");
        assertThat(runs).hasSize(10).allSatisfy(r -> assertThat(r.parameters()).isEqualTo(Map.of("k", "v")));
        assertThat(runs.stream().map(RunInfo::idempotencyKey).sorted().toList()).isEqualTo(
                java.util.stream.IntStream.rangeClosed(1, 10).mapToObj(s -> "schedule:tick@" + T0.plusSeconds(s))
                        .sorted().toList());
        ScheduleInfo after = o.schedule("tick").orElseThrow();
        assertThat(after.lastFireAt()).isEqualTo(T0.plusSeconds(10));
        assertThat(after.lastRunId()).isEqualTo(runs.getFirst().id());
        assertThat(after.nextFireAt()).isEqualTo(T0.plusSeconds(11));
        assertThat(o.fireDueSchedules()).isZero();
    }

    @Test
    void twoOrchestratorsOnOneDatabaseMakeExactlyOneRunPerFire() throws Exception {
        Orchestrator a = withWorkflow(client(store));
        Store other = sameDatabase();
        Assumptions.assumeTrue(other != null, storeName() + " is used by one node at a time");
        opened.add(other);
        Orchestrator b = client(other);
        a.createSchedule(ScheduleSpec.builder("tick", "wf", "*/1 * * * * *").build());

        int fired = 0;
        for (int s = 1; s <= 10; s++) {
            clock.set(T0.plusSeconds(s));
            fired += Concurrently.run(4, i -> () -> (i % 2 == 0 ? a : b).fireDueSchedules()).stream()
                    .mapToInt(Integer::intValue).sum();
        }

        List<RunInfo> runs = runsOf(b, "tick");
        System.out.printf("[%s] two orchestrators, 4 threads, 10 fires: %d runs%n", storeName(), runs.size());
        assertThat(runs).hasSize(10);
        assertThat(runs.stream().map(RunInfo::idempotencyKey).distinct()).hasSize(10);
        assertThat(fired).isEqualTo(10);
    }

    @Test
    void firesAcrossDaylightSavingChangesLandWhereTheZoneRulesSay() {
        Orchestrator o = withWorkflow(client(store));
        // spring forward: 02:30 does not exist that day; fall back: 01:30 exists twice
        record Case(String zone, String cron, java.time.LocalDate changeDay) {
        }
        List<Case> cases = List.of(new Case("Europe/Berlin", "30 2 * * *", java.time.LocalDate.of(2026, 3, 29)),
                new Case("Europe/Berlin", "30 1 * * *", java.time.LocalDate.of(2026, 10, 25)),
                new Case("America/New_York", "30 2 * * *", java.time.LocalDate.of(2026, 3, 8)),
                new Case("America/New_York", "30 1 * * *", java.time.LocalDate.of(2026, 11, 1)));
        int n = 0;
        for (Case c : cases) {
            ZoneId zone = ZoneId.of(c.zone());
            java.time.LocalDate first = c.changeDay().minusDays(1);
            clock.set(first.atStartOfDay(zone).toInstant());
            String name = "dst-" + n++;
            o.createSchedule(ScheduleSpec.builder(name, "wf", c.cron()).zone(zone).build());
            for (int i = 0; i < 3; i++) { // the next three fires, each at its instant
                clock.set(o.schedule(name).orElseThrow().nextFireAt());
                assertThat(o.fireDueSchedules()).isEqualTo(1);
            }
            java.time.LocalTime time = java.time.LocalTime.of(c.cron().startsWith("30 2") ? 2 : 1, 30);
            List<String> expected = new ArrayList<>();
            for (java.time.LocalDate d = first; expected.size() < 3; d = d.plusDays(1)) {
                var offsets = zone.getRules().getValidOffsets(d.atTime(time));
                if (!offsets.isEmpty()) { // a local time in the gap does not fire; in the overlap, the first one
                    expected.add("schedule:" + name + "@" + d.atTime(time).atOffset(offsets.getFirst()).toInstant());
                }
            }
            assertThat(runsOf(o, name).reversed()).as(c.toString()).extracting(RunInfo::idempotencyKey)
                    .containsExactlyElementsOf(expected);
        }
    }

    @Test
    void aFireRecordedByANodeThatDiedBeforeCreatingItsRunGetsExactlyOneRun() {
        Orchestrator o = withWorkflow(client(store));
        o.createSchedule(ScheduleSpec.builder("crash", "wf", "*/1 * * * * *").build());
        // what a node does first, before it died: the fire at T0+1s is recorded, its run not created
        assertThat(store.advanceSchedule("crash", T0.plusSeconds(1), T0.plusSeconds(2), T0.plusSeconds(1), null)).isTrue();

        clock.set(T0.plusSeconds(1).plusMillis(500));
        assertThat(o.fireDueSchedules()).isEqualTo(1);
        assertThat(o.fireDueSchedules()).isZero();

        assertThat(runsOf(o, "crash")).singleElement().satisfies(r ->
                assertThat(r.idempotencyKey()).isEqualTo("schedule:crash@" + T0.plusSeconds(1)));
        ScheduleInfo s = o.schedule("crash").orElseThrow();
        assertThat(s.lastRunId()).isEqualTo(runsOf(o, "crash").getFirst().id());
        assertThat(s.nextFireAt()).isEqualTo(T0.plusSeconds(2));
    }

    @Test
    void aPausedScheduleDoesNotFireAndResumesAtTheNextDueFire() {
        Orchestrator o = withWorkflow(client(store));
        o.createSchedule(ScheduleSpec.builder("tick", "wf", "*/1 * * * * *").build());
        clock.set(T0.plusSeconds(1));
        assertThat(o.fireDueSchedules()).isEqualTo(1);

        assertThat(o.pauseSchedule("tick")).isTrue();
        for (int s = 2; s <= 5; s++) {
            clock.set(T0.plusSeconds(s));
            assertThat(o.fireDueSchedules()).isZero();
        }
        assertThat(o.schedule("tick").orElseThrow().paused()).isTrue();

        clock.set(T0.plusSeconds(5).plusMillis(500));
        assertThat(o.resumeSchedule("tick")).isTrue();
        assertThat(o.schedule("tick").orElseThrow()).satisfies(s -> {
            assertThat(s.paused()).isFalse();
            assertThat(s.nextFireAt()).isEqualTo(T0.plusSeconds(6));
        });
        assertThat(o.fireDueSchedules()).isZero();
        clock.set(T0.plusSeconds(6));
        assertThat(o.fireDueSchedules()).isEqualTo(1);
        assertThat(runsOf(o, "tick")).extracting(RunInfo::idempotencyKey)
                .containsExactly("schedule:tick@" + T0.plusSeconds(6), "schedule:tick@" + T0.plusSeconds(1));
        assertThat(o.pauseSchedule("nope")).isFalse();
        assertThat(o.resumeSchedule("nope")).isFalse();
    }

    @Test
    void aFireOverAWorkflowsRefuseLimitIsDroppedAndTheScheduleMovesOn() {
        Orchestrator o = client(store);
        o.register(WorkflowSpec.builder("one").step(StepSpec.builder("s", "noop"))
                .maxConcurrentRuns(1, ConcurrencyPolicy.REFUSE).build());
        o.createSchedule(ScheduleSpec.builder("tick", "one", "*/1 * * * * *").build());
        clock.set(T0.plusSeconds(1));
        assertThat(o.fireDueSchedules()).isEqualTo(1);

        clock.set(T0.plusSeconds(2));
        assertThat(o.fireDueSchedules()).as("refused: the first run (nobody runs it here) has not ended").isZero();
        assertThat(runsOf(o, "tick")).extracting(RunInfo::idempotencyKey)
                .containsExactly("schedule:tick@" + T0.plusSeconds(1));
        ScheduleInfo after = o.schedule("tick").orElseThrow();
        assertThat(after.nextFireAt()).as("the dropped fire is not fired again").isEqualTo(T0.plusSeconds(3));
        assertThat(after.lastFireAt()).as("the last fire that made a run").isEqualTo(T0.plusSeconds(1));
        assertThat(o.fireDueSchedules()).isZero();
    }

    @Test
    void afterFiveMinutesStoppedSkipMakesNoRunForTheMissedFires() {
        assertThat(missedFiveMinutes(MisfirePolicy.SKIP)).isEmpty();
    }

    @Test
    void afterFiveMinutesStoppedRunOnceMakesOneRunAtTheLatestMissedFire() {
        List<RunInfo> missed = missedFiveMinutes(MisfirePolicy.RUN_ONCE);
        assertThat(missed).singleElement().satisfies(r ->
                assertThat(r.idempotencyKey()).isEqualTo("schedule:m@" + T0.plusSeconds(310)));
    }

    /** Fires once, "stops the node" for five minutes, starts another: returns the runs made for the missed fires. */
    private List<RunInfo> missedFiveMinutes(MisfirePolicy policy) {
        Orchestrator first = withWorkflow(client(store));
        first.createSchedule(ScheduleSpec.builder("m", "wf", "*/10 * * * * *").misfire(policy).build());
        clock.set(T0.plusSeconds(10));
        assertThat(first.fireDueSchedules()).isEqualTo(1);
        first.close();

        clock.set(T0.plusSeconds(10).plus(Duration.ofMinutes(5)).plusSeconds(3)); // 30 fires missed
        Orchestrator second = client(store);
        int made = second.fireDueSchedules();
        ScheduleInfo s = second.schedule("m").orElseThrow();
        assertThat(s.nextFireAt()).isEqualTo(T0.plusSeconds(320));
        assertThat(second.fireDueSchedules()).isZero();
        List<RunInfo> missed = runsOf(second, "m").stream()
                .filter(r -> !r.idempotencyKey().equals("schedule:m@" + T0.plusSeconds(10))).toList();
        assertThat(made).isEqualTo(missed.size());
        return missed;
    }

    @Test
    void badInputIsRefusedQuotingTheTextAndNothingIsWritten() {
        Orchestrator o = withWorkflow(client(store));
        o.createSchedule(ScheduleSpec.builder("taken", "wf", "0 3 * * *").build());

        assertThatThrownBy(() -> ScheduleSpec.builder("s", "wf", "61 * * * *"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'61 * * * *'");
        assertThatThrownBy(() -> ScheduleSpec.builder("s", "wf", "0 3 * *"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'0 3 * *'");
        assertThatThrownBy(() -> ScheduleSpec.builder("s", "wf", "0 3 * * *").zone("Mars/Olympus_Mons"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'Mars/Olympus_Mons'");
        assertThatThrownBy(() -> o.createSchedule(ScheduleSpec.builder("s", "no-such-wf", "0 3 * * *").build()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'no-such-wf'")
                .hasMessageContaining("not registered");
        assertThatThrownBy(() -> ScheduleSpec.builder("s", "wf", "0 3 * * *").startAt(T0)
                .endAt(T0.minusSeconds(1)).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(T0.minusSeconds(1).toString());
        assertThatThrownBy(() -> o.createSchedule(ScheduleSpec.builder("taken", "wf", "0 4 * * *").build()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'taken'")
                .hasMessageContaining("already exists");
        String big = "x".repeat(TriggerOptions.MAX_PARAMETER_BYTES + 1);
        assertThatThrownBy(() -> ScheduleSpec.builder("s", "wf", "0 3 * * *").param("huge", big))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("huge");

        assertThat(o.schedules()).singleElement().satisfies(s -> {
            assertThat(s.spec().name()).isEqualTo("taken");
            assertThat(s.spec().cron()).isEqualTo("0 3 * * *");
        });
    }

    @Test
    void aScheduleRoundTripsAndListsItsUpcomingFires() {
        Orchestrator o = withWorkflow(client(store));
        ScheduleSpec spec = ScheduleSpec.builder("berlin", "wf", "30 2 * * *").zone("Europe/Berlin")
                .param("it's", "\"q\" Grüße").misfire(MisfirePolicy.RUN_ONCE)
                .startAt(T0).endAt(T0.plus(Duration.ofDays(30))).build();
        o.createSchedule(spec);

        ScheduleInfo info = o.schedule("berlin").orElseThrow();
        assertThat(info.spec()).isEqualTo(spec);
        assertThat(info.createdAt()).isEqualTo(T0);
        assertThat(info.lastFireAt()).isNull();
        List<Instant> upcoming = o.upcomingFires("berlin", 3);
        assertThat(upcoming).containsExactly(Instant.parse("2026-03-09T01:30:00Z"), Instant.parse("2026-03-10T01:30:00Z"),
                Instant.parse("2026-03-11T01:30:00Z"));
        assertThat(info.nextFireAt()).isEqualTo(upcoming.getFirst());
        assertThat(o.schedules()).extracting(s -> s.spec().name()).containsExactly("berlin");
        assertThatThrownBy(() -> o.upcomingFires("nope", 3)).hasMessageContaining("'nope'");
        assertThat(o.deleteSchedule("berlin")).isTrue();
        assertThat(o.deleteSchedule("berlin")).isFalse();
        assertThat(o.schedule("berlin")).isEmpty();
    }

    @Test
    void startedNodesFireOnTheirOwnOnTimeAndExactlyOnce() throws Exception {
        List<Orchestrator> nodes = new ArrayList<>();
        Orchestrator first = builder(store).pollInterval(Duration.ofSeconds(30)).maxPollInterval(Duration.ofSeconds(60))
                .build();
        opened.add(first);
        nodes.add(first);
        Store other = sameDatabase();
        if (other != null) {
            opened.add(other);
            Orchestrator second = builder(other).pollInterval(Duration.ofSeconds(30))
                    .maxPollInterval(Duration.ofSeconds(60)).build();
            opened.add(second);
            nodes.add(second);
        }
        withWorkflow(first);
        nodes.forEach(Orchestrator::start);
        first.createSchedule(ScheduleSpec.builder("live", "wf", "*/1 * * * * *").build());

        List<RunInfo> runs = await(Duration.ofSeconds(20), () -> {
            List<RunInfo> r = runsOf(first, "live");
            return r.size() >= 4 ? r : null;
        });
        first.pauseSchedule("live");

        List<Long> lateMillis = new ArrayList<>();
        for (RunInfo r : runs) {
            Instant fireAt = Instant.parse(r.idempotencyKey().substring("schedule:live@".length()));
            lateMillis.add(Duration.between(fireAt, r.createdAt()).toMillis());
        }
        System.out.printf("[%s] %d started node(s), poll 30-60 s: %d fires, late by %s ms%n", storeName(), nodes.size(),
                runs.size(), lateMillis);
        assertThat(runs.stream().map(RunInfo::idempotencyKey).distinct()).hasSize(runs.size());
        // far below the 30 s poll: the loop slept until each fire (a loaded machine adds its own delay)
        assertThat(lateMillis).allSatisfy(ms -> assertThat(ms).isBetween(0L, 5_000L));
        List<Instant> fires = runs.stream().map(r -> Instant.parse(r.idempotencyKey().substring("schedule:live@".length())))
                .sorted().toList();
        for (int i = 1; i < fires.size(); i++) {
            assertThat(Duration.between(fires.get(i - 1), fires.get(i))).as("no fire skipped").isEqualTo(Duration.ofSeconds(1));
        }
    }

    protected static <T> T await(Duration deadline, Callable<T> condition) throws Exception {
        long end = System.nanoTime() + deadline.toNanos();
        while (System.nanoTime() < end) {
            T v = condition.call();
            if (v != null) {
                return v;
            }
            Thread.sleep(20); // polling a condition with a deadline, not sleeping as synchronisation
        }
        throw new TimeoutException("condition not met within " + deadline);
    }

    /** A clock the test sets. */
    public static final class MutableClock extends Clock {
        private volatile Instant now;

        public MutableClock(Instant now) {
            this.now = now;
        }

        public void set(Instant now) {
            this.now = now;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
