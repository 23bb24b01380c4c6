package dev.orchestrator.cloudrun;

import dev.orchestrator.JobSpec;
import dev.orchestrator.spi.Dispatch;
import dev.orchestrator.spi.TaskContext;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class BatchingTest {

    static final JobSpec JOB = JobSpec.options(Map.of("job", "projects/p/locations/l/jobs/j"));

    static Dispatch d(long run, int step, int attempt, int index) {
        return new Dispatch(new TaskContext(index, run, "w", "s", step, index, 100, attempt, Map.of(), JOB, null, null),
                u -> { });
    }

    static List<List<Integer>> indexes(List<List<Dispatch>> groups) {
        return groups.stream().map(g -> g.stream().map(x -> x.task().taskIndex()).toList()).toList();
    }

    @Test
    void groupsContiguousIndexesOfOneRunStepAndAttempt() {
        var batch = new ArrayList<>(List.of(d(1, 0, 1, 3), d(1, 0, 1, 1), d(1, 0, 1, 2), d(1, 0, 1, 7),
                d(1, 0, 2, 4), d(1, 1, 1, 5), d(2, 0, 1, 6)));
        assertThat(indexes(Batching.group(batch, 10_000)))
                .containsExactly(List.of(1, 2, 3), List.of(7), List.of(4), List.of(5), List.of(6));
    }

    @Test
    void capsTheGroupSize() {
        var batch = new ArrayList<Dispatch>();
        for (int i = 0; i < 7; i++) {
            batch.add(d(1, 0, 1, i));
        }
        assertThat(indexes(Batching.group(batch, 3)))
                .containsExactly(List.of(0, 1, 2), List.of(3, 4, 5), List.of(6));
        assertThat(Batching.group(batch, 1)).hasSize(7);
    }
}
