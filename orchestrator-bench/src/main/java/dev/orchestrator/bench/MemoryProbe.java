package dev.orchestrator.bench;

import dev.orchestrator.Orchestrator;
import dev.orchestrator.RunHandle;
import dev.orchestrator.RunStatus;
import dev.orchestrator.StepSpec;
import dev.orchestrator.WorkflowSpec;
import dev.orchestrator.jdbc.JdbcStore;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;

/**
 * The memory workload, run by the harness in a child JVM started with {@code -Xmx64m}: puts
 * {@code tasks} attempts in flight at once (held open by {@link HoldingExecutor}) and prints
 * one line {@code MEMORY key=value ...} with the heap after GC idle and with them in flight,
 * and the process RSS both times.
 *
 * <p>Usage: {@code MemoryProbe sqlite|postgres tasks}
 */
public final class MemoryProbe {

    private MemoryProbe() {
    }

    public static void main(String[] args) throws Exception {
        String storeName = args[0];
        int tasks = Integer.parseInt(args[1]);
        long start = System.nanoTime();
        HoldingExecutor hold = new HoldingExecutor();
        try (BenchDatabase db = BenchDatabase.fresh(storeName, "memory"); JdbcStore store = Stores.open(db);
             Orchestrator o = Orchestrator.builder().store(store).executor(hold).maxConcurrency(Math.max(64, tasks * 2))
                     .shutdownTimeout(Duration.ofSeconds(10)).build()) {
            o.start();
            o.register(WorkflowSpec.of("hold", StepSpec.builder("work", HoldingExecutor.TYPE).tasks(tasks)));
            // Warm-up: one full round, so classes, caches, pool connections and JIT are in the idle figure.
            round(o, hold, tasks, false);
            round(o, hold, tasks, false);
            long idleHeap = heapAfterGc();
            long idleRss = rssKb();
            long[] busy = round(o, hold, tasks, true);
            System.out.printf("MEMORY tasks=%d idle_heap_bytes=%d inflight_heap_bytes=%d idle_rss_kb=%d inflight_rss_kb=%d"
                    + " seconds=%.3f%n", tasks, idleHeap, busy[0], idleRss, busy[1], (System.nanoTime() - start) / 1e9);
        }
        System.exit(0);
    }

    /** One run of {@code tasks} held tasks; when {@code measure}, returns heap after GC and RSS while all are in flight. */
    private static long[] round(Orchestrator o, HoldingExecutor hold, int tasks, boolean measure) throws Exception {
        RunHandle h = o.trigger("hold");
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        while (hold.held() < tasks) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("only " + hold.held() + " of " + tasks + " tasks in flight");
            }
            Thread.sleep(10);
        }
        Thread.sleep(300); // let the RUNNING updates be written
        long[] figures = measure ? new long[]{heapAfterGc(), rssKb()} : null;
        hold.releaseAll();
        var info = h.await(Duration.ofMinutes(2));
        if (info.status() != RunStatus.SUCCEEDED) {
            throw new IllegalStateException("held run ended " + info.status());
        }
        return figures;
    }

    /** Median of three readings of the used heap, each right after a full GC. */
    static long heapAfterGc() throws InterruptedException {
        long[] r = new long[3];
        for (int i = 0; i < r.length; i++) {
            System.gc();
            Thread.sleep(100);
            r[i] = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
        }
        Arrays.sort(r);
        return r[1];
    }

    /** VmRSS of this process from /proc/self/status, in KiB, or -1. */
    static long rssKb() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
        return -1;
    }
}
