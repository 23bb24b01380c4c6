package dev.orchestrator.bench;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Heap per in-flight task and RSS of an orchestrator at -Xmx64m, measured in a fresh JVM ({@link MemoryProbe}). */
final class MemoryWorkload {

    private final Settings s;

    MemoryWorkload(Settings settings) {
        this.s = settings;
    }

    Result run(String storeName) throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        // The flags the CLI launcher gives `orchestrator serve` (orchestrator-examples/orchestrator), at -Xmx64m.
        List<String> cmd = List.of(java, "-Xmx64m", "-XX:+UseSerialGC", "-XX:-UsePerfData",
                "--enable-native-access=ALL-UNNAMED", "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
                "-cp", System.getProperty("java.class.path"), MemoryProbe.class.getName(), storeName,
                Integer.toString(s.memoryTasks()));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        Map<String, String> figures = new HashMap<>();
        StringBuilder output = new StringBuilder();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream()))) {
            String line;
            while ((line = r.readLine()) != null) {
                output.append(line).append('\n');
                if (line.startsWith("MEMORY ")) {
                    for (String kv : line.substring(7).trim().split(" ")) {
                        int eq = kv.indexOf('=');
                        figures.put(kv.substring(0, eq), kv.substring(eq + 1));
                    }
                }
            }
        }
        int code = p.waitFor();
        if (code != 0 || figures.isEmpty()) {
            throw new IllegalStateException("memory probe (-Xmx64m) failed with exit code " + code + ":\n" + output);
        }
        int n = Integer.parseInt(figures.get("tasks"));
        double idleHeap = Double.parseDouble(figures.get("idle_heap_bytes"));
        double busyHeap = Double.parseDouble(figures.get("inflight_heap_bytes"));
        double perTask = (busyHeap - idleHeap) / n;
        double idleRss = Double.parseDouble(figures.get("idle_rss_kb")) / 1024;
        double rss = Double.parseDouble(figures.get("inflight_rss_kb")) / 1024;
        Map<String, Object> extra = new LinkedHashMap<>();
        extra.put("heap_bytes_per_task", perTask);
        extra.put("rss_mb", rss);
        extra.put("idle_rss_mb", idleRss);
        extra.put("idle_heap_mb", idleHeap / (1 << 20));
        extra.put("inflight_heap_mb", busyHeap / (1 << 20));
        extra.put("jvm_flags", "-Xmx64m -XX:+UseSerialGC -XX:-UsePerfData (the launcher's serve flags)");
        return new Result("memory", storeName, n, Double.parseDouble(figures.get("seconds")), null, null, null,
                "same JVM idle, orchestrator started (RSS MB)", idleRss, rss / idleRss,
                "RSS with tasks in flight / idle RSS", "<= 2 KiB heap per in-flight task, RSS <= 96 MB at -Xmx64m",
                perTask <= 2048 && rss <= 96, extra);
    }
}
