package dev.orchestrator;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Schedule specs refuse bad input quoting it; fires follow the zone rules across daylight-saving changes. */
class ScheduleSpecTest {

    private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");
    private static final ZoneId NEW_YORK = ZoneId.of("America/New_York");

    @Test
    void badInputIsRefusedQuotingIt() {
        assertThatThrownBy(() -> ScheduleSpec.builder("s", "wf", "61 * * * *"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("cron '61 * * * *' is invalid: ");
        assertThatThrownBy(() -> ScheduleSpec.builder("s", "wf", "* * *"))
                .hasMessage("cron '* * *' must have 5 fields (minute hour day month weekday) or 6 (second first), got 3");
        assertThatThrownBy(() -> ScheduleSpec.builder("s", "wf", "* * * * *").zone("Mars/Olympus"))
                .hasMessageStartingWith("zone 'Mars/Olympus' is not a known time zone");
        Instant t = Instant.parse("2026-01-01T00:00:00Z");
        assertThatThrownBy(() -> ScheduleSpec.builder("s", "wf", "* * * * *").startAt(t).endAt(t.minusSeconds(1)).build())
                .hasMessage("endAt (2025-12-31T23:59:59Z) must be after startAt (2026-01-01T00:00:00Z)");
        assertThatThrownBy(() -> ScheduleSpec.builder("s", "wf", "* * * * *").param("big", "x".repeat(70_000)))
                .hasMessageStartingWith("parameter 'big': parameters must be at most 65536 bytes");
        assertThatThrownBy(() -> ScheduleSpec.builder(" ", "wf", "* * * * *")).hasMessage("schedule name must not be blank");
    }

    @Test
    void aScheduleTriggersAsItselfWithAKeyPerFire() {
        ScheduleSpec s = ScheduleSpec.builder("nightly", "report", "0 3 * * *").param("format", "pdf").build();
        TriggerOptions o = s.triggerOptions(Instant.parse("2026-05-01T03:00:00Z"));
        assertThat(o.triggeredBy()).isEqualTo("schedule:nightly");
        assertThat(o.idempotencyKey()).isEqualTo("schedule:nightly@2026-05-01T03:00:00Z");
        assertThat(o.parameters()).isEqualTo(Map.of("format", "pdf"));
        assertThat(s.misfire()).isEqualTo(MisfirePolicy.SKIP);
    }

    @Test
    void aTimeThatDoesNotExistOnASpringForwardDayIsSkipped() {
        // 2026-03-29 in Berlin and 2026-03-08 in New York jump from 02:00 to 03:00.
        assertThat(fires("30 2 * * *", BERLIN, at(2026, 3, 28, 12, BERLIN), 2)).containsExactly(
                local(2026, 3, 30, 2, 30, BERLIN), local(2026, 3, 31, 2, 30, BERLIN));
        assertThat(fires("30 2 * * *", NEW_YORK, at(2026, 3, 7, 12, NEW_YORK), 1))
                .containsExactly(local(2026, 3, 9, 2, 30, NEW_YORK));
    }

    @Test
    void aTimeThatExistsTwiceOnAFallBackDayFiresOnceAtItsFirstOccurrence() {
        // 2026-10-25 in Berlin and 2026-11-01 in New York go back from 03:00 to 02:00 (02:00 to 01:00).
        ZonedDateTime berlin = ZonedDateTime.of(2026, 10, 25, 1, 30, 0, 0, BERLIN).withEarlierOffsetAtOverlap();
        assertThat(fires("30 1 * * *", BERLIN, at(2026, 10, 24, 12, BERLIN), 2))
                .containsExactly(berlin.toInstant(), local(2026, 10, 26, 1, 30, BERLIN));
        ZonedDateTime ny = ZonedDateTime.of(2026, 11, 1, 1, 30, 0, 0, NEW_YORK).withEarlierOffsetAtOverlap();
        assertThat(fires("30 1 * * *", NEW_YORK, at(2026, 10, 31, 12, NEW_YORK), 2))
                .containsExactly(ny.toInstant(), local(2026, 11, 2, 1, 30, NEW_YORK));
        assertThat(ny.getOffset().getTotalSeconds()).isEqualTo(-4 * 3600); // the daylight-saving 01:30
    }

    @Test
    void firesStayWithinStartAndEnd() {
        Instant start = Instant.parse("2026-01-01T00:00:10Z");
        ScheduleSpec s = ScheduleSpec.builder("s", "wf", "*/5 * * * * *").startAt(start)
                .endAt(start.plusSeconds(10)).build();
        assertThat(s.firesAfter(Instant.parse("2026-01-01T00:00:00Z"), 10))
                .containsExactly(start, start.plusSeconds(5), start.plusSeconds(10));
        assertThat(s.nextFireAfter(start.plusSeconds(10))).isNull();
    }

    @Test
    void sixFieldsCountSeconds() {
        Instant t = Instant.parse("2026-01-01T00:00:00Z");
        assertThat(fires("*/1 * * * * *", ZoneId.of("UTC"), t, 3))
                .containsExactly(t.plusSeconds(1), t.plusSeconds(2), t.plusSeconds(3));
    }

    private static java.util.List<Instant> fires(String cron, ZoneId zone, Instant from, int n) {
        return ScheduleSpec.builder("s", "wf", cron).zone(zone).build().firesAfter(from, n);
    }

    private static Instant at(int y, int m, int d, int h, ZoneId zone) {
        return ZonedDateTime.of(y, m, d, h, 0, 0, 0, zone).toInstant();
    }

    private static Instant local(int y, int m, int d, int h, int min, ZoneId zone) {
        return ZonedDateTime.of(y, m, d, h, min, 0, 0, zone).toInstant();
    }
}
