package dev.orchestrator.jdbc.faults;

import dev.orchestrator.Orchestrator;
import dev.orchestrator.OrchestratorBuilder;
import dev.orchestrator.jdbc.JdbcStore;
import dev.orchestrator.jdbc.JdbcStoreOptions;
import dev.orchestrator.spi.Executor;
import dev.orchestrator.spi.StatusSink;
import dev.orchestrator.spi.StatusUpdate;
import dev.orchestrator.spi.TaskContext;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * A node JVM of the fault suite. Arguments are {@code key=value}: {@code url} and {@code schema}
 * (PostgreSQL) or {@code sqlite} (a file), {@code node}, {@code leaseMs}, {@code heartbeatMs},
 * {@code concurrency}, {@code logs}, and {@code halt=true} to add an executor of type
 * {@code halt} that halts this JVM once its attempt runs. Prints {@code READY <node>} once
 * started; stops cleanly when its standard input closes.
 */
public final class FaultNode {

    private FaultNode() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> a = new HashMap<>();
        for (String arg : args) {
            int eq = arg.indexOf('=');
            a.put(arg.substring(0, eq), arg.substring(eq + 1));
        }
        JdbcStore store = a.containsKey("sqlite") ? JdbcStore.sqlite(Path.of(a.get("sqlite")))
                : JdbcStore.open(a.get("url"), JdbcStoreOptions.builder().schema(a.get("schema")).poolSize(4).build());
        OrchestratorBuilder b = Orchestrator.builder()
                .store(store)
                .nodeId(a.get("node"))
                .nodeLease(Duration.ofMillis(Long.parseLong(a.getOrDefault("leaseMs", "2000"))))
                .heartbeatInterval(Duration.ofMillis(Long.parseLong(a.getOrDefault("heartbeatMs", "200"))))
                .pollInterval(Duration.ofMillis(500))
                .maxConcurrency(Integer.parseInt(a.getOrDefault("concurrency", "8")))
                .shutdownTimeout(Duration.ofSeconds(2))
                .executorConfig("process", Map.of("logDirectory", a.get("logs")));
        if (Boolean.parseBoolean(a.get("halt"))) {
            b.executor(new HaltExecutor());
        }
        Orchestrator o = b.build();
        o.start();
        System.out.println("READY " + a.get("node"));
        System.out.flush();
        while (System.in.read() >= 0) {
            // until the test closes our standard input
        }
        o.close();
        store.close();
        System.exit(0);
    }

    /** Reports its attempt running, then halts the JVM: a task that kills its node every time. */
    static final class HaltExecutor implements Executor {
        @Override
        public String type() {
            return "halt";
        }

        @Override
        public void start(TaskContext task, StatusSink sink) {
            sink.report(StatusUpdate.running("halt-" + task.taskId() + "-" + task.attempt(), null));
            Thread.ofPlatform().start(() -> {
                try {
                    Thread.sleep(700); // the RUNNING report is written first: the attempt is started
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                System.err.println("halting the node from task " + task.taskId() + " attempt " + task.attempt());
                System.err.flush();
                Runtime.getRuntime().halt(137);
            });
        }
    }
}
