package dev.orchestrator.jdbc.faults;

import dev.orchestrator.StepSpec;
import dev.orchestrator.WorkflowSpec;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** A node JVM frozen with SIGSTOP for twice its lease, then thawed with SIGCONT. */
class FreezeFaultTest extends FaultCase {

    @Test
    void aNodeFrozenForTwiceItsLeaseFencesItself() throws Exception {
        long t0 = System.nanoTime();
        String[] cmd = records.command(0, "6:0.2");
        client.register(WorkflowSpec.of("frozen", StepSpec.process("work", cmd[0], cmd[1], cmd[2], cmd[3]).tasks(16)));
        Faults.Node a = node("a", Faults.PG_URL, "concurrency=8");
        Faults.Node b = node("b", Faults.PG_URL, "concurrency=16");
        a.awaitReady();
        b.awaitReady();
        long run = client.trigger("frozen").id();
        Faults.await("16 tasks running", Duration.ofSeconds(30),
                () -> records.live().size() == 16 && records.live().stream().allMatch(r -> r.pids.size() == 2));
        Faults.await("a runs 8 of them", Duration.ofSeconds(10),
                () -> count(table("tasks") + " WHERE owner = 'a' AND status = 'RUNNING'") == 8);
        List<Long> aPids = new ArrayList<>();
        Faults.query("SELECT t.task_index FROM " + table("tasks") + " t WHERE t.owner = 'a'").forEach(row -> {
            int index = Integer.parseInt(row.getFirst());
            records.live().stream().filter(r -> r.index == index).forEach(r -> aPids.addAll(r.pids));
        });
        assertThat(aPids).hasSize(16);
        long stoppedAt = System.nanoTime();
        a.signal("STOP");
        Faults.await("a's task processes stopped by its watchdog", Duration.ofMillis(2 * LEASE_MS),
                () -> aPids.stream().noneMatch(ProcessRecords::ours));
        long goneMs = Faults.millisSince(stoppedAt);
        Faults.await("b takes a's tasks over", Duration.ofMillis(2 * LEASE_MS),
                () -> count(table("tasks") + " WHERE owner = 'a'") == 0);
        long takenMs = Faults.millisSince(stoppedAt);
        // The fault is the freeze itself: hold it for twice the lease, measured, not slept.
        Faults.await("twice the lease frozen", Duration.ofMillis(3 * LEASE_MS),
                () -> Faults.millisSince(stoppedAt) >= 2 * LEASE_MS);
        a.signal("CONT");
        long contAt = System.nanoTime();
        Faults.await("a fences itself", Duration.ofMillis(2 * LEASE_MS), () -> a.logText().contains("fenced itself")
                || a.logText().contains("declared dead"));
        long fencedMs = Faults.millisSince(contAt);
        awaitSucceeded(List.of(run), Duration.ofSeconds(30));
        String incarnations = Faults.query("SELECT string_agg(id, ',') FROM " + table("nodes")).getFirst().getFirst();
        Faults.figure("case 3 (SIGSTOP for " + 2 * LEASE_MS + " ms): a's processes gone " + goneMs
                + " ms after the stop, its tasks taken over after " + takenMs + " ms, fenced " + fencedMs
                + " ms after SIGCONT; nodes now " + incarnations + "; wall " + Faults.millisSince(t0) + " ms");
        assertThat(count(table("attempts") + " WHERE node LIKE 'a%' AND outcome = 'SUCCEEDED'"))
                .as("no attempt of the fenced node succeeded after it was taken over").isZero();
        records.assertNoOverlap("case 3");
        records.assertStatesMatch(schema);
    }
}
