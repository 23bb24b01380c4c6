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
 * LoadHarness [--store sqlite|postgres|both] [--quick] [--workloads single,noop,latency,...]
 *             [--repeats N] [--process-concurrency N] [--out target/bench-results.json]
 * </pre>
 *
 * <p>Each workload runs once at the quick sizes as a warm-up pass (not reported), then
 * {@code --repeats} times (default 3); each row of the JSON keeps the median of the passes and,
 * for its headline figures, the minimum and maximum ({@link Repeats}). {@code history} and
 * {@code cli} do their own warm-up and repeats; {@code memory} and {@code idle} have no warm-up
 * pass (memory runs in a fresh JVM; idle measures a started, quiet node).
 */
public final class LoadHarness {

    static final List<String> ALL = List.of("single", "noop", "latency", "cluster", "cli", "process", "memory", "idle",
            "history");
    /** Workloads that repeat themselves (or are measured in a fresh JVM): no warm-up pass from the harness. */
    static final List<String> SELF_REPEATING = List.of("history", "cli");
    static final List<String> NO_WARM_UP = List.of("memory", "idle");

    private LoadHarness() {
    }

    public static void main(String[] args) throws Exception {
        String stores = "both";
        boolean quick = false;
        List<String> workloads = ALL;
        int concurrency = 8;
        Integer repeats = null;
        Path out = Path.of("orchestrator-bench/target/bench-results.json");
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--store" -> stores = args[++i];
                case "--quick" -> quick = true;
                case "--workloads" -> workloads = Arrays.asList(args[++i].split(","));
                case "--process-concurrency" -> concurrency = Integer.parseInt(args[++i]);
                case "--repeats" -> repeats = Integer.parseInt(args[++i]);
                case "--out" -> out = Path.of(args[++i]);
                default -> {
                    System.err.println("unknown argument " + args[i] + "; usage: LoadHarness [--store sqlite|postgres|both]"
                            + " [--quick] [--workloads " + String.join(",", ALL) + "] [--repeats N] [--process-concurrency N]"
                            + " [--out file]");
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
        if (repeats != null) {
            Settings t = settings;
            settings = new Settings(t.noopRuns(), t.noopPerRun(), t.processTasks(), t.processConcurrency(),
                    t.latencySeconds(), t.latencyRate(), t.latencyBareSeconds(), t.memoryTasks(), t.idleSeconds(),
                    t.idleBaseSeconds(), t.historyTasks(), t.singleRuns(), t.smallRuns(), t.smallPerRun(), t.cliRuns(),
                    repeats);
        }
        System.err.printf("orchestrator load harness: stores=%s quick=%s workloads=%s%n  settings=%s%n  java %s, %d cpus, poll interval %s%n",
                storeList, quick, workloads, settings, Runtime.version(), Runtime.getRuntime().availableProcessors(),
                Workloads.POLL_MILLIS == null ? "default (5 s)" : Workloads.POLL_MILLIS + " ms");
        Settings warm = settings.warmUp();
        List<Result> results = new ArrayList<>();
        long t0 = System.nanoTime();
        for (String store : storeList) {
            for (String workload : workloads) {
                System.err.printf("[%s/%s] ...%n", workload, store);
                long w0 = System.nanoTime();
                List<Result> rows;
                try {
                    if (SELF_REPEATING.contains(workload)) {
                        rows = run(settings, workload, store);
                    } else {
                        if (!NO_WARM_UP.contains(workload)) {
                            System.err.printf("[%s/%s] warm-up pass%n", workload, store);
                            run(warm, workload, store);
                        }
                        List<List<Result>> passes = new ArrayList<>();
                        for (int i = 0; i < settings.repeats(); i++) {
                            System.err.printf("[%s/%s] pass %d of %d%n", workload, store, i + 1, settings.repeats());
                            passes.add(run(settings, workload, store));
                        }
                        rows = new ArrayList<>();
                        for (int row = 0; row < passes.getFirst().size(); row++) {
                            int k = row;
                            rows.add(Repeats.combine(passes.stream().map(p -> p.get(k)).toList()));
                        }
                    }
                } catch (Exception e) {
                    System.err.printf("[%s/%s] FAILED: %s%n", workload, store, e);
                    e.printStackTrace();
                    String msg = String.valueOf(e.getMessage());
                    rows = List.of(new Result(workload, store, 0, 0, null, null, null, "FAILED (see log)", null, null,
                            null, null, false, java.util.Map.of("error", e.getClass().getSimpleName() + ": "
                                    + (msg.length() > 300 ? msg.substring(0, 300) + "..." : msg))));
                }
                results.addAll(rows);
                for (Result r : rows) {
                    System.err.printf("[%s/%s] done in %.1f s: %s%n", workload, store, (System.nanoTime() - w0) / 1e9,
                            Table.brief(r));
                }
                // Written after every workload, so a long run that is stopped keeps what it measured.
                Files.createDirectories(out.toAbsolutePath().getParent());
                Files.writeString(out, JsonOut.array(results.stream().map(Result::toJson).toList()));
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

    /** Runs {@code workload} once on {@code store} at the sizes of {@code s}; each workload is a class of its own. */
    private static List<Result> run(Settings s, String workload, String store) throws Exception {
        return switch (workload) {
            case "single" -> new SingleWorkload(s).run(store);
            case "noop" -> new NoopWorkload(s).run(store);
            case "latency" -> List.of(new LatencyWorkload(s).run(store));
            case "cluster" -> new ClusterWorkload(s).run(store);
            case "cli" -> new CliWorkload(s).run(store);
            case "process" -> List.of(new ProcessWorkload(s).run(store));
            case "memory" -> List.of(new MemoryWorkload(s).run(store));
            case "idle" -> List.of(new IdleWorkload(s).run(store));
            case "history" -> List.of(new HistoryWorkload(s).run(store));
            default -> throw new IllegalStateException(workload);
        };
    }
}
