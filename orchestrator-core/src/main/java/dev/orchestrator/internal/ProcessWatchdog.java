package dev.orchestrator.internal;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * A small process beside a node that stops the process groups of the node's tasks once the
 * node can no longer vouch for them: when its JVM dies (standard input reaches its end, as
 * after {@code kill -9}) or when it stops renewing its lease (no {@code lease} line in time: the
 * JVM is frozen, or it cannot reach the database). Then every guarded group gets SIGTERM, and
 * SIGKILL after the grace period, and the watchdog exits. So a task process never outlives the
 * lease that lets its node own it, and no other node starts a second attempt while it runs.
 *
 * <p>The process executor starts it with {@code java -cp <dir> dev.orchestrator.internal.ProcessWatchdog
 * <graceMillis>}; it uses only the JDK, in this one class file. Commands on standard input, one a
 * line: {@code lease <millis>} (the node holds its lease for that long from now), {@code add
 * <pgid>}, {@code remove <pgid>}.
 */
public final class ProcessWatchdog {

    private static final Set<Long> GROUPS = ConcurrentHashMap.newKeySet();
    private static volatile boolean inputEnded;
    private static volatile boolean leased;
    private static volatile long leaseEndNanos;

    private ProcessWatchdog() {
    }

    /** Runs the watchdog; {@code args[0]} is the grace period between SIGTERM and SIGKILL, in milliseconds. */
    public static void main(String[] args) throws InterruptedException {
        long graceMillis = Long.parseLong(args[0]);
        Thread reader = new Thread(ProcessWatchdog::readCommands, "watchdog-input");
        reader.setDaemon(true);
        reader.start();
        while (!inputEnded && !(leased && System.nanoTime() - leaseEndNanos >= 0)) {
            Thread.sleep(20);
        }
        List<Long> targets = new ArrayList<>(GROUPS);
        if (!targets.isEmpty()) {
            signal(targets, "TERM");
            long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(graceMillis);
            while (System.nanoTime() - end < 0 && anyLeaderAlive(targets)) {
                Thread.sleep(20);
            }
            signal(targets, "KILL"); // members that ignore SIGTERM or outlived their leader
        }
        System.exit(0);
    }

    private static void readCommands() {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                int space = line.indexOf(' ');
                if (space < 0) {
                    continue;
                }
                long value = Long.parseLong(line.substring(space + 1).trim());
                switch (line.substring(0, space)) {
                    case "lease" -> {
                        leaseEndNanos = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(value);
                        leased = true;
                    }
                    case "add" -> GROUPS.add(value);
                    case "remove" -> GROUPS.remove(value);
                    default -> { }
                }
            }
        } catch (IOException | RuntimeException e) {
            // An unreadable input is as good as a closed one: the node cannot be heard.
        }
        inputEnded = true;
    }

    private static boolean anyLeaderAlive(List<Long> groups) {
        for (long pgid : groups) {
            if (ProcessHandle.of(pgid).map(ProcessHandle::isAlive).orElse(false)) {
                return true;
            }
        }
        return false;
    }

    private static void signal(List<Long> groups, String signal) {
        for (long pgid : groups) {
            try {
                new ProcessBuilder("kill", "-s", signal, "--", "-" + pgid)
                        .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                        .start().waitFor(5, TimeUnit.SECONDS);
            } catch (IOException e) {
                System.err.println("watchdog: could not signal process group " + pgid + ": " + e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
