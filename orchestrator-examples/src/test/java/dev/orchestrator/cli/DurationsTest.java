package dev.orchestrator.cli;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DurationsTest {

    @Test
    void parsesUnitsAndCombinations() {
        assertThat(Durations.parse("250ms")).isEqualTo(Duration.ofMillis(250));
        assertThat(Durations.parse("30s")).isEqualTo(Duration.ofSeconds(30));
        assertThat(Durations.parse("5m")).isEqualTo(Duration.ofMinutes(5));
        assertThat(Durations.parse("1h")).isEqualTo(Duration.ofHours(1));
        assertThat(Durations.parse("2d")).isEqualTo(Duration.ofDays(2));
        assertThat(Durations.parse("1h30m")).isEqualTo(Duration.ofMinutes(90));
        assertThat(Durations.parse(" 10S ")).isEqualTo(Duration.ofSeconds(10));
        assertThat(Durations.parse("PT2M")).isEqualTo(Duration.ofMinutes(2));
    }

    @Test
    void rejectsWhatItCannotRead() {
        for (String bad : new String[] {"", "5", "5x", "s", "-5s", "1.5s", "PTxx", "99999999999999999999d"}) {
            assertThatThrownBy(() -> Durations.parse(bad)).as(bad).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageNotContaining("Exception");
        }
        assertThatThrownBy(() -> Durations.parse("5x")).hasMessageContaining("invalid duration '5x'")
                .hasMessageContaining("250ms, 30s, 5m, 1h");
    }

    @Test
    void formatsBackToTheSameNotation() {
        for (String s : new String[] {"250ms", "30s", "5m", "1h", "1h30m", "2d", "1m5s"}) {
            assertThat(Durations.format(Durations.parse(s))).isEqualTo(s);
        }
        assertThat(Durations.human(Duration.ofMillis(12_345))).isEqualTo("12.3s");
        assertThat(Durations.human(Duration.ofSeconds(245))).isEqualTo("4m05s");
    }
}
