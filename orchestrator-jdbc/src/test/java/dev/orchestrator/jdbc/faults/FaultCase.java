package dev.orchestrator.jdbc.faults;

import dev.orchestrator.Orchestrator;
import dev.orchestrator.RunInfo;
import dev.orchestrator.RunStatus;
import dev.orchestrator.jdbc.JdbcStore;
import dev.orchestrator.jdbc.JdbcStoreOptions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One PostgreSQL fault case: a fresh schema, a client orchestrator that is never started (it
 * registers, triggers and reads), the task processes' records, and the node JVMs to stop after.
 */
abstract class FaultCase {

    static final long LEASE_MS = 2000;
    static final long HEARTBEAT_MS = 200;

    @TempDir
    Path dir;

    String schema;
    JdbcStore clientStore;
    Orchestrator client;
    ProcessRecords records;
    final List<AutoCloseable> closeAfter = new ArrayList<>();

    @BeforeEach
    void setUpCase() throws Exception {
        Faults.requirePostgres();
        schema = Faults.newSchema(getClass().getSimpleName().toLowerCase().replace("faulttest", ""));
        clientStore = JdbcStore.open(Faults.PG_URL, JdbcStoreOptions.builder().schema(schema).poolSize(2).build());
        client = clientBuilder().store(clientStore).build();
        records = new ProcessRecords(dir);
    }

    /** The client's builder; cases add the executor types their workflows name. */
    dev.orchestrator.OrchestratorBuilder clientBuilder() {
        return Orchestrator.builder();
    }

    @AfterEach
    void tearDownCase() throws Exception {
        for (AutoCloseable c : closeAfter.reversed()) {
            try {
                c.close();
            } catch (Exception e) {
                System.out.println("[faults] closing " + c + ": " + e);
            }
        }
        if (records != null) {
            records.close();
        }
        if (client != null) {
            client.close();
            clientStore.close();
            Faults.dropSchema(schema);
        }
    }

    /** Starts a node JVM on this case's schema, at {@code url} (the server, or a proxy). */
    Faults.Node node(String id, String url, String... more) throws Exception {
        List<String> args = new ArrayList<>(List.of("url=" + url, "schema=" + schema, "leaseMs=" + LEASE_MS,
                "heartbeatMs=" + HEARTBEAT_MS, "logs=" + dir.resolve("logs-" + id)));
        args.addAll(List.of(more));
        Faults.Node n = new Faults.Node(dir, id, args.toArray(String[]::new));
        closeAfter.add(n);
        return n;
    }

    String table(String name) {
        return "\"" + schema + "\".orc_" + name;
    }

    /** Waits for each run to end and checks it SUCCEEDED. */
    void awaitSucceeded(List<Long> runs, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        for (long id : runs) {
            RunInfo info = client.run(id).orElseThrow().await(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
            if (info.status() != RunStatus.SUCCEEDED) {
                Faults.figure("run " + id + " is " + info.status() + "; its tasks not SUCCEEDED and their attempts: "
                        + Faults.query("SELECT t.task_index, t.status, a.attempt, a.node, a.outcome, a.error FROM "
                        + table("tasks") + " t JOIN " + table("attempts") + " a ON a.task_id = t.id WHERE t.run_id = " + id
                        + " AND t.status <> 'SUCCEEDED' ORDER BY 1, 3").stream().limit(12).toList());
            }
            assertThat(info.status()).as("run " + id).isEqualTo(RunStatus.SUCCEEDED);
        }
    }

    long count(String sqlAfterFrom) {
        return Faults.count("SELECT count(*) FROM " + sqlAfterFrom);
    }
}
