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

    /** The pids of live task processes whose attempts {@code node} (any incarnation) owns. */
    List<Long> livePidsOf(String node) {
        List<Long> pids = new ArrayList<>();
        for (List<String> row : Faults.query("SELECT task_index, attempt FROM " + table("tasks")
                + " WHERE status = 'RUNNING' AND owner LIKE '" + node + "%'")) {
            int index = Integer.parseInt(row.get(0));
            int attempt = Integer.parseInt(row.get(1));
            records.live().stream().filter(r -> r.index == index && r.attempt == attempt && r.pids.size() == 2)
                    .forEach(r -> pids.addAll(r.pids));
        }
        return pids;
    }

    @Test
    void aNodeFrozenForTwiceItsLeaseFencesItself() throws Exception {
        long t0 = System.nanoTime();
        String[] cmd = records.command(0, "4");
        client.register(WorkflowSpec.of("frozen", StepSpec.process("work", cmd[0], cmd[1], cmd[2], cmd[3]).tasks(16)));
        // a claims first (b, started beside it, could claim all 16 before a holds its lease), and runs
        // them 4 at a time, so it still runs tasks once b has started.
        Faults.Node a = node("a", Faults.PG_URL, "concurrency=4").awaitReady();
        long run = client.trigger("frozen").id();
        Faults.await("a claims", Duration.ofSeconds(30), () -> count(table("tasks") + " WHERE owner LIKE 'a%'") > 0);
        Faults.Node b = node("b", Faults.PG_URL, "concurrency=16").awaitReady();
        List<Long> aPids = new ArrayList<>();
        Faults.await("a runs at least 4 task processes", Duration.ofSeconds(30), () -> {
            aPids.clear();
            aPids.addAll(livePidsOf("a"));
            return aPids.size() >= 8; // 4 tasks, two pids each
        });
        long stoppedAt = System.nanoTime();
        a.signal("STOP");
        Faults.await("a's task processes stopped by its watchdog", Duration.ofMillis(2 * LEASE_MS),
                () -> aPids.stream().noneMatch(ProcessRecords::ours));
        long goneMs = Faults.millisSince(stoppedAt);
        Faults.await("b takes a's tasks over", Duration.ofMillis(2 * LEASE_MS),
                () -> count(table("tasks") + " WHERE owner LIKE 'a%'") == 0);
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
