package dev.orchestrator;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TaskQueryTest {

    private static TaskInfo task(int step, int index) {
        return new TaskInfo(1, 7, step, "s" + step, index, TaskStatus.PENDING, 0, Instant.EPOCH, null, null, null,
                null, null, null, null);
    }

    @Test
    void aFullPageCarriesTheCursorOfItsLastTask() {
        TaskQuery q = TaskQuery.of(7).withLimit(2);
        TaskPage full = TaskPage.of(List.of(task(0, 9), task(1, 0)), q);
        assertThat(full.nextCursor()).isEqualTo("1.0");
        assertThat(q.after(full.nextCursor()).cursorPosition()).containsExactly(1, 0);
        assertThat(TaskPage.of(List.of(task(0, 0)), q).nextCursor()).isNull();
        assertThat(TaskPage.of(List.of(), q).nextCursor()).isNull();
    }

    @Test
    void withersKeepTheOtherValues() {
        TaskQuery q = TaskQuery.of(7).withStep(2).withStatus(TaskStatus.FAILED).after("2.5").withLimit(10);
        assertThat(q).isEqualTo(new TaskQuery(7, 2, TaskStatus.FAILED, "2.5", 10));
        assertThat(TaskQuery.of(7).limit()).isEqualTo(TaskQuery.DEFAULT_LIMIT);
    }

    @Test
    void badValuesAreRefusedWithTheRule() {
        assertThatThrownBy(() -> TaskQuery.of(7).withLimit(0))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("limit must be between 1 and 1000, got 0");
        assertThatThrownBy(() -> TaskQuery.of(7).withStep(-1))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("step must be 0 or more, got -1");
        for (String bad : List.of("", "x", "1", "1.", ".1", "-1.2", "1.-2", "1.2.3")) {
            assertThatThrownBy(() -> TaskQuery.of(7).after(bad)).as(bad)
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("cursor must be");
        }
    }

    @Test
    void stepInfoDerivesSkippedAndPending() {
        StepInfo s = new StepInfo(7, 0, "a", 10, 3, 1, 5, 2, "READY", List.of());
        assertThat(s.skipped()).isEqualTo(1);
        assertThat(s.pending()).isEqualTo(3);
    }
}
