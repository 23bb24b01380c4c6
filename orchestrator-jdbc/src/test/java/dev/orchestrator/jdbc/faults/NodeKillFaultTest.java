package dev.orchestrator.jdbc.faults;

import dev.orchestrator.StepSpec;
import dev.orchestrator.WorkflowSpec;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Node JVMs killed with SIGKILL while they run process tasks on a shared PostgreSQL. */
class NodeKillFaultTest extends FaultCase {

    /**
     * Case: three node JVMs, 3,000 short process tasks, {@code kill -9} of one mid-run (after
     * 1,000 ended, or a minute if the nodes are slower than that here).
     */
    @Test
    void killNineOfOneOfThreeNodesMidRun() throws Exception {
        killOneOfThree(10, 1000, Duration.ofSeconds(60), Duration.ofSeconds(240));
    }

    private void killOneOfThree(int runCount, int killAfter, Duration killBy, Duration finishWithin) throws Exception {
        long t0 = System.nanoTime();
        int total = runCount * 300;
        client.register(WorkflowSpec.of("short", StepSpec.process("work", records.command(0, "0.05")[0],
                records.command(0, "0")[1], "0", "0").tasks(300)));
        List<Faults.Node> nodes = List.of(node("a", Faults.PG_URL, "concurrency=4"),
                node("b", Faults.PG_URL, "concurrency=4"), node("c", Faults.PG_URL, "concurrency=4"));
        for (Faults.Node n : nodes) {
            n.awaitReady();
        }
        List<Long> runs = new ArrayList<>();
        for (int i = 0; i < runCount; i++) {
            runs.add(client.trigger("short").id());
        }
        // Mid-run: after killAfter tasks ended, or after killBy if the nodes are slower than that here.
        long startedAt = System.nanoTime();
        Faults.await(killAfter + " tasks ended or " + killBy, killBy.plusSeconds(10),
                () -> records.ended() >= killAfter || Faults.millisSince(startedAt) >= killBy.toMillis());
        long ownedByC = count(table("tasks") + " WHERE owner LIKE 'c%'");
        long endedAtKill = records.ended();
        long killedAt = System.nanoTime();
        nodes.get(2).kill9();
        long owned = ownedByC;
        Faults.await("take-over of c's tasks", Duration.ofSeconds(30),
                () -> count(table("tasks") + " WHERE owner LIKE 'c%'") < owned);
        long recoveryMs = Faults.millisSince(killedAt);
        awaitSucceeded(runs, finishWithin);
        long lost = count(table("attempts") + " WHERE outcome = 'LOST'");
        long rerun = count(table("attempts") + " a WHERE a.attempt > 1");
        Faults.figure("case 1 (3 nodes, " + total + " tasks, kill -9 of one): killed after " + endedAtKill
                + " ended, owning " + ownedByC + "; recovery started " + recoveryMs + " ms after the kill (lease "
                + LEASE_MS + " ms); " + lost + " LOST attempts, " + rerun + " attempts after the first; wall "
                + Faults.millisSince(t0) + " ms");
        assertThat(count(table("tasks") + " WHERE status = 'SUCCEEDED'")).isEqualTo(total);
        records.assertNoOverlap("case 1");
        records.assertStatesMatch(schema);
        // The lease runs from c's last heartbeat (at most one interval before the kill); a
        // survivor sees it at its next heartbeat.
        assertThat(recoveryMs).as("recovery starts within the lease").isLessThanOrEqualTo(LEASE_MS + 2 * HEARTBEAT_MS + 300);
    }

    /** Case: {@code kill -9} of a node JVM that runs 20 {@code sleep 30} process tasks. */
    @Test
    void killNineOfANodeRunningTwentySleeps() throws Exception {
        long t0 = System.nanoTime();
        String[] cmd = records.command(0, "30:0.2");
        client.register(WorkflowSpec.of("sleepy", StepSpec.process("sleep", cmd[0], cmd[1], cmd[2], cmd[3]).tasks(20)));
        Faults.Node a = node("a", Faults.PG_URL, "concurrency=20").awaitReady();
        Faults.figure("case 2: node a ready " + Faults.millisSince(t0) + " ms into the case");
        long run = client.trigger("sleepy").id();
        Faults.await("20 sleeps running on a", Duration.ofSeconds(30),
                () -> records.live().size() == 20 && records.live().stream().allMatch(r -> r.pids.size() == 2));
        Faults.figure("case 2: 20 sleeps running " + Faults.millisSince(t0) + " ms into the case");
        List<Long> pids = new ArrayList<>();
        records.live().forEach(r -> pids.addAll(r.pids));
        Faults.Node b = node("b", Faults.PG_URL, "concurrency=20").awaitReady();
        Faults.figure("case 2: node b ready " + Faults.millisSince(t0) + " ms into the case");
        long killedAt = System.nanoTime();
        a.kill9();
        Faults.await("a's task processes gone", Duration.ofSeconds(5),
                () -> pids.stream().noneMatch(ProcessRecords::ours));
        long goneMs = Faults.millisSince(killedAt);
        awaitSucceeded(List.of(run), Duration.ofSeconds(30));
        long recoveredMs = Faults.millisSince(killedAt);
        Faults.figure("case 2 attempts by node and outcome: " + Faults.query("SELECT node, outcome, count(*) FROM "
                + table("attempts") + " GROUP BY node, outcome"));
        long onB = count(table("attempts") + " WHERE node LIKE 'b%' AND outcome = 'SUCCEEDED'");
        Faults.figure("case 2 (kill -9 of a node running 20 sleep 30): its " + pids.size() + " processes gone "
                + goneMs + " ms after the kill; run done " + recoveredMs + " ms after; " + onB
                + " tasks succeeded on the other node; wall " + Faults.millisSince(t0) + " ms");
        assertThat(onB).isEqualTo(20);
        records.assertNoOverlap("case 2");
        records.assertStatesMatch(schema);
        b.close();
        Faults.figure("case 2: b stopped " + Faults.millisSince(t0) + " ms into the case");
    }
}
