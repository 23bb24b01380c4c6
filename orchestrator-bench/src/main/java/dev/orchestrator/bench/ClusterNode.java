package dev.orchestrator.bench;

import dev.orchestrator.Orchestrator;
import dev.orchestrator.jdbc.JdbcStore;
import dev.orchestrator.jdbc.JdbcStoreOptions;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.time.Duration;

/**
 * One node of the {@code cluster} workload, run by the harness in its own JVM: an orchestrator
 * with the noop executor on a shared PostgreSQL schema. Prints {@code READY} once started and
 * stops when its standard input ends. It polls every 100 ms ({@code -Dbench.pollMillis}), since
 * runs triggered by another process reach it only by polling.
 *
 * <p>Usage: {@code ClusterNode <jdbc-url> <schema> <maxConcurrency> <batchSize>}
 */
public final class ClusterNode {

    private ClusterNode() {
    }

    public static void main(String[] args) throws Exception {
        String url = args[0];
        String schema = args[1];
        int slots = Integer.parseInt(args[2]);
        int batch = Integer.parseInt(args[3]);
        var b = Orchestrator.builder();
        // The store has no cross-process wake-up (no LISTEN/NOTIFY), so a node learns of runs
        // triggered elsewhere by polling: a short, fixed poll keeps the wait out of the figure.
        Duration poll = Duration.ofMillis(Workloads.POLL_MILLIS != null ? Long.parseLong(Workloads.POLL_MILLIS) : 100);
        b.pollInterval(poll).maxPollInterval(poll);
        try (JdbcStore store = JdbcStore.open(url, JdbcStoreOptions.builder().schema(schema).build());
             Orchestrator o = b.store(store).executor(new NoopExecutor()).maxConcurrency(slots).batchSize(batch)
                     .shutdownTimeout(Duration.ofSeconds(10)).build()) {
            o.start();
            System.out.println("READY");
            System.out.flush();
            try (BufferedReader in = new BufferedReader(new InputStreamReader(System.in))) {
                while (in.readLine() != null) {
                    // wait for the harness to close our input
                }
            }
        }
        System.exit(0);
    }
}
