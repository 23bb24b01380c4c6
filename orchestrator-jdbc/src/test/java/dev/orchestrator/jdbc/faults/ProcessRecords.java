package dev.orchestrator.jdbc.faults;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the task processes themselves recorded: the generated task script writes one file per
 * attempt, {@code r<run>-s<step>-t<index>-a<attempt>-p<pid>}, with its start time and pid, the
 * pid of its {@code sleep}, and its end time when it ends by itself. A watcher notes when each
 * process that did not end by itself was last seen alive and then seen gone (or a zombie), so
 * that killed attempts have an end too: between those two sightings. The attempts table is what is being tested, so the checks start from these files.
 */
final class ProcessRecords implements AutoCloseable {

    /** One attempt's process. Times in microseconds of the epoch. */
    static final class Rec {
        final String key;
        final long run;
        final int step;
        final int index;
        final int attempt;
        volatile long start;
        volatile long end;      // 0: did not end by itself (yet)
        volatile long goneAt;   // 0: not seen gone
        volatile long seenAlive; // the last time the watcher saw one of its processes alive; 0: never
        final List<Long> pids = new ArrayList<>();

        Rec(String name) {
            String[] p = name.split("-");
            run = Long.parseLong(p[0].substring(1));
            step = Integer.parseInt(p[1].substring(1));
            index = Integer.parseInt(p[2].substring(1));
            attempt = Integer.parseInt(p[3].substring(1));
            key = run + "/" + step + "/" + index;
        }

        boolean ended() {
            return end != 0;
        }

        /** When it stopped living at the latest: its own end, or when it was seen gone; {@code Long.MAX_VALUE} if alive. */
        long until() {
            return end != 0 ? end : goneAt != 0 ? goneAt : Long.MAX_VALUE;
        }

        /**
         * Until when it certainly lived: its own end, or when a killed one was last seen alive
         * (it died between then and {@link #goneAt}; a watcher that fell behind widens that gap,
         * it must not make an overlap out of it); {@code Long.MAX_VALUE} if alive.
         */
        long aliveUntil() {
            return end != 0 ? end : goneAt != 0 ? Math.max(seenAlive, start) : Long.MAX_VALUE;
        }
    }

    final Path dir;
    final Path script;
    private final Map<String, Rec> recs = new ConcurrentHashMap<>();
    private final Thread watcher;
    private volatile boolean closed;

    ProcessRecords(Path base) throws IOException {
        this.dir = Files.createDirectories(base.resolve("records"));
        this.script = Faults.executable(base.resolve("task.sh"), """
                #!/bin/bash
                # task.sh <records dir> <step> <seconds>: records start, pid, sleep's pid and end
                f="$1/r${ORCHESTRATOR_RUN_ID}-s$2-t${ORCHESTRATOR_TASK_INDEX}-a${ORCHESTRATOR_ATTEMPT}-p$$"
                printf 'start %s %s\\n' "$EPOCHREALTIME" "$$" > "$f.tmp" && mv "$f.tmp" "$f"
                # <seconds> is one time, or <first attempt>:<later attempts>
                s="${3%%:*}"
                if [ "$ORCHESTRATOR_ATTEMPT" != 1 ]; then s="${3##*:}"; fi
                if [ "$s" != 0 ]; then
                  /bin/sleep "$s" &
                  printf 'child %s\\n' "$!" >> "$f"
                  wait $!
                fi
                printf 'end %s\\n' "$EPOCHREALTIME" >> "$f"
                """);
        watcher = Thread.ofPlatform().daemon().name("records-watcher").start(this::watch);
    }

    /** The step's command: this script with the records folder, the step index and the sleep. */
    String[] command(int step, String seconds) {
        return new String[] {script.toString(), dir.toString(), Integer.toString(step), seconds};
    }

    private void watch() {
        while (!closed) {
            scan();
            try {
                Thread.sleep(25); // the watcher's sampling period, not synchronisation
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** Reads new and unfinished records; notes those whose processes are all gone. */
    synchronized void scan() {
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "r*-p*")) {
            for (Path f : files) {
                if (f.getFileName().toString().endsWith(".tmp")) {
                    continue;
                }
                Rec r = recs.computeIfAbsent(f.getFileName().toString(), Rec::new);
                if (r.ended() || r.goneAt != 0) {
                    continue;
                }
                long now = System.currentTimeMillis() * 1000;
                List<String> lines;
                try {
                    lines = Files.readAllLines(f);
                } catch (IOException e) {
                    continue;
                }
                List<Long> pids = new ArrayList<>();
                for (String line : lines) {
                    String[] w = line.trim().split(" ");
                    switch (w[0]) {
                        case "start" -> {
                            r.start = micros(w[1]);
                            pids.add(Long.parseLong(w[2]));
                        }
                        case "child" -> pids.add(Long.parseLong(w[1]));
                        case "end" -> r.end = micros(w[1]);
                        default -> { }
                    }
                }
                synchronized (r.pids) {
                    r.pids.clear();
                    r.pids.addAll(pids);
                }
                if (!r.ended() && r.start != 0 && pids.stream().anyMatch(ProcessRecords::ours)) {
                    r.seenAlive = now;
                } else if (!r.ended() && r.start != 0) {
                    // It may have written its end between the read and the check: read again.
                    try {
                        for (String line : Files.readAllLines(f)) {
                            if (line.startsWith("end ")) {
                                r.end = micros(line.trim().split(" ")[1]);
                            }
                        }
                    } catch (IOException e) {
                        // keep what we have
                    }
                    if (!r.ended()) {
                        r.goneAt = System.currentTimeMillis() * 1000; // after the check: a bound on its death
                    }
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A live task process: alive, and its command line is our script or its sleep (not a reused pid). */
    static boolean ours(long pid) {
        if (!Faults.alive(pid)) {
            return false;
        }
        try {
            String cmd = Files.readString(Path.of("/proc/" + pid + "/cmdline"));
            return cmd.contains("task.sh") || cmd.contains("sleep");
        } catch (IOException e) {
            return false;
        }
    }

    private static long micros(String epochRealtime) {
        String[] p = epochRealtime.split("[.,]");
        return Long.parseLong(p[0]) * 1_000_000 + Long.parseLong((p[1] + "000000").substring(0, 6));
    }

    List<Rec> all() {
        scan();
        return new ArrayList<>(recs.values());
    }

    /** Live task processes now. */
    List<Rec> live() {
        return all().stream().filter(r -> !r.ended() && r.goneAt == 0).toList();
    }

    long ended() {
        return recs.values().stream().filter(Rec::ended).count();
    }

    /**
     * Checks that no task ever had two live attempts at once, judged from the processes' own
     * times and the watcher's sightings: an attempt that started before the one before it ended
     * by itself, or while the watcher still saw it alive. Returns the number of tasks with more
     * than one attempt process. The figure also counts the attempts that started between a
     * killed one's last sighting and the first scan that found it gone: the watcher cannot tell
     * those apart, so they are reported, not failed.
     */
    int assertNoOverlap(String label) {
        Map<String, List<Rec>> byTask = new HashMap<>();
        for (Rec r : all()) {
            byTask.computeIfAbsent(r.key, k -> new ArrayList<>()).add(r);
        }
        int overlapping = 0;
        int undecided = 0;
        long worst = 0;
        int rerun = 0;
        List<String> examples = new ArrayList<>();
        for (List<Rec> list : byTask.values()) {
            if (list.size() > 1) {
                rerun++;
            }
            list.sort(Comparator.comparingLong(r -> r.start));
            for (int i = 1; i < list.size(); i++) {
                Rec prev = list.get(i - 1);
                Rec next = list.get(i);
                if (next.start < prev.aliveUntil()) {
                    overlapping++;
                    long by = Math.min(prev.aliveUntil(), next.until()) - next.start;
                    worst = Math.max(worst, by);
                    if (examples.size() < 5) {
                        examples.add(next.key + " attempts " + prev.attempt + " and " + next.attempt + " overlap by "
                                + (prev.aliveUntil() == Long.MAX_VALUE ? "(still alive)" : by / 1000 + " ms")
                                + " [" + describe(prev) + "; " + describe(next) + "]");
                    }
                } else if (next.start < prev.until()) {
                    undecided++;
                }
            }
        }
        Faults.figure(label + ": " + recs.size() + " attempt processes for " + byTask.size() + " tasks, " + rerun
                + " tasks ran more than once, " + overlapping + " overlapping attempts (worst " + worst / 1000 + " ms), "
                + undecided + " started while the watcher had not yet seen the one before gone");
        assertThat(examples).as("tasks with two live attempts at once").isEmpty();
        return rerun;
    }

    /** One record's times (epoch milliseconds modulo 100 s, to read beside the logs) and pids. */
    private static String describe(Rec r) {
        java.util.function.LongFunction<String> t = micros -> micros == 0 ? "-"
                : String.format("%.3f", (micros / 1000 % 100_000) / 1000.0);
        synchronized (r.pids) {
            return "a" + r.attempt + " start " + t.apply(r.start) + " end " + t.apply(r.end) + " seen alive "
                    + t.apply(r.seenAlive) + " gone " + t.apply(r.goneAt) + " pids " + r.pids;
        }
    }

    /**
     * Checks every task of the schema against the records: each one SUCCEEDED, by an attempt
     * whose process ran to its end, and no task process is still alive.
     */
    void assertStatesMatch(String schema) {
        Map<String, List<Rec>> ended = new HashMap<>();
        for (Rec r : all()) {
            if (r.ended()) {
                ended.computeIfAbsent(r.key + "/" + r.attempt, k -> new ArrayList<>()).add(r);
            }
        }
        List<List<String>> rows = Faults.query("SELECT t.run_id, t.step_index, t.task_index, t.status, "
                + "(SELECT max(a.attempt) FROM \"" + schema + "\".orc_attempts a WHERE a.task_id = t.id AND a.outcome = 'SUCCEEDED') "
                + "FROM \"" + schema + "\".orc_tasks t WHERE t.executor = 'process' OR t.executor IS NULL");
        List<String> wrong = new ArrayList<>();
        for (List<String> row : rows) {
            String key = row.get(0) + "/" + row.get(1) + "/" + row.get(2);
            if (!"SUCCEEDED".equals(row.get(3)) || row.get(4) == null) {
                wrong.add(key + " is " + row.get(3));
            } else if (!ended.containsKey(key + "/" + row.get(4))) {
                wrong.add(key + " SUCCEEDED by attempt " + row.get(4) + " whose process never ran to its end");
            }
        }
        if (wrong.size() > 10) {
            wrong = wrong.subList(0, 10);
        }
        assertThat(wrong).as("tasks whose final state does not match what their processes did").isEmpty();
        List<Rec> live = live();
        assertThat(live).as("task processes still alive after the runs ended").isEmpty();
    }

    @Override
    public void close() throws InterruptedException {
        closed = true;
        watcher.interrupt();
        watcher.join();
    }
}
