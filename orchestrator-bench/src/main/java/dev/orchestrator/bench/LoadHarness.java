package dev.orchestrator.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The end-to-end load harness behind {@code bench.sh}: runs each workload through the public
 * API on a fresh database, prints a table with each figure beside its baseline and target, and
 * writes the results as JSON.
 *
 * <pre>
 * LoadHarness [--store sqlite|postgres|both] [--quick] [--workloads noop,process,latency,memory,idle,history]
 *             [--process-concurrency N] [--out target/bench-results.json]
 * </pre>
 */
public final class LoadHarness {

    static final List<String> ALL = List.of("noop", "process", "latency", "memory", "idle", "history");

    private LoadHarness() {
    }

    public static void main(String[] args) throws Exception {
        String stores = "both";
        boolean quick = false;
        List<String> workloads = ALL;
        int concurrency = 8;
        Path out = Path.of("orchestrator-bench/target/bench-results.json");
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--store" -> stores = args[++i];
                case "--quick" -> quick = true;
                case "--workloads" -> workloads = Arrays.asList(args[++i].split(","));
                case "--process-concurrency" -> concurrency = Integer.parseInt(args[++i]);
                case "--out" -> out = Path.of(args[++i]);
                default -> {
                    System.err.println("unknown argument " + args[i] + "; usage: LoadHarness [--store sqlite|postgres|both]"
                            + " [--quick] [--workloads " + String.join(",", ALL) + "] [--process-concurrency N] [--out file]");
                    System.exit(2);
                }
            }
        }
        for (String w : workloads) {
            if (!ALL.contains(w)) {
                throw new IllegalArgumentException("unknown workload " + w + "; known: " + ALL);
            }
        }
        List<String> storeList = switch (stores) {
            case "both" -> List.of("sqlite", "postgres");
            case "sqlite", "postgres" -> List.of(stores);
            default -> throw new IllegalArgumentException("--store must be sqlite, postgres or both, got " + stores);
        };
        Settings settings = quick ? Settings.quick(concurrency) : Settings.full(concurrency);
        System.err.printf("orchestrator load harness: stores=%s quick=%s workloads=%s%n  settings=%s%n  java %s, %d cpus, poll interval %s%n",
                storeList, quick, workloads, settings, Runtime.version(), Runtime.getRuntime().availableProcessors(),
                Workloads.POLL_MILLIS == null ? "default (5 s)" : Workloads.POLL_MILLIS + " ms");
        Workloads w = new Workloads(settings);
        List<Result> results = new ArrayList<>();
        long t0 = System.nanoTime();
        for (String store : storeList) {
            for (String workload : workloads) {
                System.err.printf("[%s/%s] ...%n", workload, store);
                long w0 = System.nanoTime();
                Result r;
                try {
                    r = switch (workload) {
                        case "noop" -> w.noop(store);
                        case "process" -> w.process(store);
                        case "latency" -> w.latency(store);
                        case "memory" -> w.memory(store);
                        case "idle" -> w.idle(store);
                        case "history" -> w.history(store);
                        default -> throw new IllegalStateException(workload);
                    };
                } catch (Exception e) {
                    System.err.printf("[%s/%s] FAILED: %s%n", workload, store, e);
                    e.printStackTrace();
                    String msg = String.valueOf(e.getMessage());
                    r = new Result(workload, store, 0, 0, null, null, null, "FAILED (see log)", null, null, null,
                            null, false, java.util.Map.of("error", e.getClass().getSimpleName() + ": "
                                    + (msg.length() > 300 ? msg.substring(0, 300) + "..." : msg)));
                }
                results.add(r);
                System.err.printf("[%s/%s] done in %.1f s: %s%n", workload, store, (System.nanoTime() - w0) / 1e9,
                        Table.brief(r));
            }
        }
        System.out.println();
        System.out.print(Table.render(results));
        System.out.printf(Locale.ROOT, "%nTotal %.0f s. 2 cores here: compare ratios measured in the same run.%n",
                (System.nanoTime() - t0) / 1e9);
        Files.createDirectories(out.toAbsolutePath().getParent());
        Files.writeString(out, JsonOut.array(results.stream().map(Result::toJson).toList()));
        System.out.println("Wrote " + out);
        System.exit(0);
    }
}
