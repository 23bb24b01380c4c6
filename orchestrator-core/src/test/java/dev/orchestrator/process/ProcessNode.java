package dev.orchestrator.process;

import dev.orchestrator.JobSpec;
import dev.orchestrator.spi.StatusUpdate;
import dev.orchestrator.spi.TaskContext;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * A stand-in node for {@link ProcessGroupTest}: runs {@code args[1]} tasks of {@code sleep 30}
 * through a process executor, prints {@code PID <pid>} for each, and waits to be killed.
 */
public final class ProcessNode {

    private ProcessNode() {
    }

    public static void main(String[] args) throws InterruptedException {
        ProcessExecutor ex = ProcessExecutor.builder().logDirectory(Path.of(args[0])).tailBytes(1024).killGrace(java.time.Duration.ofSeconds(1)).build();
        int n = Integer.parseInt(args[1]);
        for (int i = 0; i < n; i++) {
            TaskContext t = new TaskContext(i, 1, "wf", "s", 0, i, n, 1, Map.of(), JobSpec.command("/bin/sleep", "30"),
                    null, null);
            ex.start(t, u -> {
                if (u.kind() == StatusUpdate.Kind.RUNNING) {
                    System.out.println("PID " + u.executionName().substring(4));
                    System.out.flush();
                }
            });
        }
        new CountDownLatch(1).await();
    }
}
