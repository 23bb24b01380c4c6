package dev.orchestrator.jdbc.faults;

import dev.orchestrator.Orchestrator;
import dev.orchestrator.StepSpec;
import dev.orchestrator.WorkflowSpec;
import dev.orchestrator.jdbc.JdbcStore;
import dev.orchestrator.jdbc.JdbcStoreOptions;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * PostgreSQL unreachable for one node: a TCP proxy between that node and the server is cut or
 * black-holed, and its sessions are terminated. Another node reaches the server directly.
 */
class DatabaseOutageFaultTest extends FaultCase {

    /** The lease of the half-lease case: half of it is a long enough cut to be a real outage. */
    private static final long HALF_CASE_LEASE_MS = 8_000;

    private Orchestrator node(String id, JdbcStore store) {
        return node(id, store, LEASE_MS);
    }

    private Orchestrator node(String id, JdbcStore store, long leaseMs) {
        Orchestrator o = Orchestrator.builder().store(store).nodeId(id).maxConcurrency(8)
                .nodeLease(Duration.ofMillis(leaseMs)).heartbeatInterval(Duration.ofMillis(HEARTBEAT_MS))
                .pollInterval(Duration.ofMillis(200)).shutdownTimeout(Duration.ofSeconds(2))
                .executorConfig("process", Map.of("logDirectory", dir.resolve("logs-" + id).toString())).build();
        closeAfter.add(o);
        return o;
    }

    private JdbcStore store(String url) {
        JdbcStore s = JdbcStore.open(url, JdbcStoreOptions.builder().schema(schema).poolSize(4).build());
        closeAfter.add(s);
        return s;
    }

    private TcpProxy proxy() throws Exception {
        TcpProxy p = new TcpProxy(5432);
        closeAfter.add(p);
        return p;
    }

    /** Holds a fault for {@code millis}, measured against a deadline (the fault's length is the point). */
    private static void hold(long millis) {
        long from = System.nanoTime();
        Faults.await("the outage's length", Duration.ofMillis(millis + 5000), () -> Faults.millisSince(from) >= millis);
    }

    private int terminateSessions(TcpProxy proxy) {
        String ports = proxy.upstreamPorts.stream().map(String::valueOf).collect(Collectors.joining(","));
        return ports.isEmpty() ? 0 : Faults.query("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE client_port IN ("
                + ports + ")").size();
    }

    /** Case: PostgreSQL unreachable for half a lease (cut, black hole, terminated sessions). */
    @Test
    void anOutageOfHalfALeaseLosesNothingAndRerunsNothing() throws Exception {
        long t0 = System.nanoTime();
        // Work enough that both nodes still run tasks after the second fault (tasks of 1 s, 16 slots).
        String[] cmd = records.command(0, "1");
        client.register(WorkflowSpec.of("steady", StepSpec.process("work", cmd[0], cmd[1], cmd[2], cmd[3]).tasks(60)));
        TcpProxy proxy = proxy();
        Orchestrator a = node("a", store(proxy.jdbcUrl()), HALF_CASE_LEASE_MS);
        Orchestrator b = node("b", store(Faults.PG_URL), HALF_CASE_LEASE_MS);
        a.start();
        b.start();
        List<Long> runs = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            runs.add(client.trigger("steady").id());
        }
        long half = HALF_CASE_LEASE_MS / 2;
        Faults.await("work under way", Duration.ofSeconds(30), () -> records.ended() >= 20);
        proxy.cut();
        hold(half);
        proxy.restore();
        long afterCut = records.ended();
        Faults.await("progress after the cut", Duration.ofSeconds(30), () -> records.ended() >= afterCut + 16);
        proxy.blackHole();
        hold(half);
        proxy.restore();
        long afterHole = records.ended();
        try {
            Faults.await("progress after the black hole", Duration.ofSeconds(30), () -> records.ended() >= afterHole + 16);
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "; ended " + records.ended() + "; tasks by owner and status "
                    + Faults.query("SELECT owner, status, count(*) FROM " + table("tasks") + " GROUP BY 1, 2") + "; a "
                    + a.nodeStatus() + "; b " + b.nodeStatus(), e);
        }
        int terminated = terminateSessions(proxy);
        awaitSucceeded(runs, Duration.ofSeconds(60));
        long lost = count(table("attempts") + " WHERE outcome = 'LOST'");
        long again = count(table("attempts") + " WHERE attempt > 1");
        String nodes = Faults.query("SELECT string_agg(id, ',') FROM " + table("nodes")).getFirst().getFirst();
        Faults.figure("case 4 (PostgreSQL unreachable for " + half + " ms: cut, then black hole, then " + terminated
                + " sessions terminated): " + lost + " LOST attempts, " + again + " attempts after the first; nodes "
                + nodes + "; wall " + Faults.millisSince(t0) + " ms");
        int rerun = records.assertNoOverlap("case 4");
        records.assertStatesMatch(schema);
        assertThat(lost).as("LOST attempts").isZero();
        assertThat(again).as("attempts after the first").isZero();
        assertThat(rerun).as("tasks whose process ran twice").isZero();
    }

    /** Whether {@code node} was followed by a later incarnation of itself: it fenced itself. */
    private static boolean fenced(String node, List<String> seen) {
        String base = node.contains("~") ? node.substring(0, node.indexOf('~')) : node;
        int incarnation = node.contains("~") ? Integer.parseInt(node.substring(node.indexOf('~') + 1)) : 0;
        return seen.stream().anyMatch(n -> n.startsWith(base + "~")
                && Integer.parseInt(n.substring(n.indexOf('~') + 1)) > incarnation);
    }

    /** Case: PostgreSQL unreachable for twice a lease: the cut-off node fences itself. */
    @Test
    void anOutageOfTwiceALeaseRerunsOnlyTheFencedNodesAttempts() throws Exception {
        long t0 = System.nanoTime();
        String[] cmd = records.command(0, "3");
        client.register(WorkflowSpec.of("long", StepSpec.process("work", cmd[0], cmd[1], cmd[2], cmd[3]).tasks(16)));
        TcpProxy proxy = proxy();
        Orchestrator a = node("a", store(proxy.jdbcUrl()));
        Orchestrator b = node("b", store(Faults.PG_URL));
        // a first, holding its lease: otherwise b (not behind the proxy) may claim all 16 before a can.
        a.start();
        Faults.await("a holds its lease", Duration.ofSeconds(30), () -> a.nodeStatus().leaseHeld());
        long run = client.trigger("long").id();
        Faults.await("a claims", Duration.ofSeconds(30), () -> count(table("tasks") + " WHERE owner LIKE 'a%'") > 0);
        b.start();
        try {
            Faults.await("a runs tasks", Duration.ofSeconds(30),
                    () -> count(table("tasks") + " WHERE owner LIKE 'a%' AND status = 'RUNNING'") >= 4);
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "; tasks by owner and status " + Faults.query("SELECT owner, status, "
                    + "count(*) FROM " + table("tasks") + " GROUP BY 1, 2") + "; a " + a.nodeStatus() + "; b "
                    + b.nodeStatus(), e);
        }
        List<Integer> onA = Faults.query("SELECT task_index FROM " + table("tasks") + " WHERE owner LIKE 'a%'").stream()
                .map(r -> Integer.parseInt(r.getFirst())).toList();
        long cutAt = System.nanoTime();
        proxy.cut();
        hold(2 * LEASE_MS);
        proxy.restore();
        awaitSucceeded(List.of(run), Duration.ofSeconds(60));
        long doneMs = Faults.millisSince(cutAt);
        List<Integer> rerunIndexes = Faults.query("SELECT t.task_index FROM " + table("tasks") + " t WHERE t.attempt > 1")
                .stream().map(r -> Integer.parseInt(r.getFirst())).toList();
        String nodes = Faults.query("SELECT string_agg(id, ',') FROM " + table("nodes")).getFirst().getFirst();
        Faults.figure("case 5 (PostgreSQL unreachable for " + 2 * LEASE_MS + " ms for node a): a ran " + onA.size()
                + " tasks at the cut; " + rerunIndexes.size() + " tasks re-ran; run done " + doneMs
                + " ms after the cut; attempts " + Faults.query("SELECT node, outcome, count(*) FROM " + table("attempts")
                + " GROUP BY 1, 2 ORDER BY 1, 2") + "; nodes " + nodes + "; wall " + Faults.millisSince(t0) + " ms");
        records.assertNoOverlap("case 5");
        records.assertStatesMatch(schema);
        // Every attempt that was followed by another ran on a node that fenced itself afterwards.
        List<String> seen = Faults.query("SELECT node FROM " + table("attempts") + " UNION SELECT id FROM " + table("nodes"))
                .stream().map(List::getFirst).toList();
        List<List<String>> superseded = Faults.query("SELECT a.node, a.outcome FROM " + table("attempts") + " a JOIN "
                + table("tasks") + " t ON t.id = a.task_id WHERE a.attempt < t.attempt");
        for (List<String> row : superseded) {
            assertThat(fenced(row.getFirst(), seen)).as("attempt on " + row.getFirst() + " (" + row.get(1)
                    + ") re-ran, so its node must have fenced itself").isTrue();
        }
        assertThat(superseded).as("a's attempts ran again").isNotEmpty();
    }
}
