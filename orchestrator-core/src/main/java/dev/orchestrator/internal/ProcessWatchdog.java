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
 * SIGKILL after the grace period, but never later than the lease's end: once the lease has run
 * out other nodes may start the tasks again, so a group is killed at once then. So a task process
 * never outlives the lease that lets its node own it, and no other node starts a second attempt
 * while it runs.
 *
 * <p>The lease's end counts from when the node sent the renewal, not from when this process
 * read it: a watchdog that reads late (its JVM still starting, the machine loaded) must not
 * stretch the lease past the moment other nodes may take the tasks over. Both ends read the
 * same monotonic clock ({@link System#nanoTime()} is {@code CLOCK_MONOTONIC} on Linux, the only
 * platform with process groups here); a send time that cannot be from that clock (ahead of
 * this process's, or older than an hour) falls back to counting from the reading.
 *
 * <p>Once the lease ran out the watchdog stays: a group added while it has run out (a task the
 * node started just before it noticed) is stopped at once, and a later renewal (the node
 * rejoined under a new identity) guards new groups again. It exits when its input ends, after
 * stopping every group.
 *
 * <p>The process executor starts it with {@code java -cp <dir> dev.orchestrator.internal.ProcessWatchdog
 * <graceMillis>}; it uses only the JDK, in this one class file. It prints {@code ready} once it
 * reads its input. Commands on standard input, one a line: {@code lease <millis> <sentNanos>}
 * (the node holds its lease for that long from {@code sentNanos}, its {@code System.nanoTime()}
 * when it sent the line; {@code lease <millis>} counts from the reading), {@code add <pgid>},
 * {@code remove <pgid>}.
 */
public final class ProcessWatchdog {

    /** A send time older than this cannot be a renewal in flight: the clocks differ. */
    private static final long MAX_LINE_AGE_NANOS = TimeUnit.HOURS.toNanos(1);
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
        System.out.println("ready");
        System.out.flush();
        while (!inputEnded) {
            // Groups first, then the lease: a group added after a renewal is never taken for one
            // of the lapsed lease (the reader records the renewal before later groups).
            List<Long> groups = new ArrayList<>(GROUPS);
            if (leased && System.nanoTime() - leaseEndNanos >= 0 && !groups.isEmpty()) {
                System.err.println("the lease ran out unrenewed: killing " + groups.size() + " process group(s) "
                        + groups);
                stop(groups, 0); // also groups added since it ran out; no grace: others may run them now
            }
            Thread.sleep(20);
        }
        // The node is gone: its groups get the grace period, as far as the lease still allows.
        long leaseLeftMillis = leased ? Math.max(0, TimeUnit.NANOSECONDS.toMillis(leaseEndNanos - System.nanoTime()))
                : graceMillis;
        List<Long> left = new ArrayList<>(GROUPS);
        if (!left.isEmpty()) {
            System.err.println("the node is gone: stopping " + left.size() + " process group(s) " + left);
        }
        stop(left, Math.min(graceMillis, leaseLeftMillis));
        System.exit(0);
    }

    /** When a lease of {@code millis} sent at {@code sentNanos} ends, read at {@code now}. */
    static long leaseEnd(long millis, long sentNanos, long now) {
        long age = now - sentNanos;
        long from = age >= 0 && age < MAX_LINE_AGE_NANOS ? sentNanos : now;
        return from + TimeUnit.MILLISECONDS.toNanos(millis);
    }

    /**
     * SIGTERM to the groups, SIGKILL after the grace period (or once their leaders are gone);
     * forgets them. Without a grace period the lease has run out and others may run the tasks
     * now: the processes the watchdog can see (each leader and its descendants) get SIGKILL at
     * once, by system call, before the one {@code kill} command that reaches the rest of each group.
     */
    private static void stop(List<Long> targets, long graceMillis) throws InterruptedException {
        if (targets.isEmpty()) {
            return;
        }
        if (graceMillis <= 0) {
            for (long pgid : targets) {
                ProcessHandle.of(pgid).ifPresent(leader -> {
                    leader.descendants().forEach(ProcessHandle::destroyForcibly);
                    leader.destroyForcibly();
                });
            }
        } else {
            signal(targets, "TERM");
            long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(graceMillis);
            while (System.nanoTime() - end < 0 && anyLeaderAlive(targets)) {
                Thread.sleep(20);
            }
        }
        signal(targets, "KILL"); // members that ignore SIGTERM, outlived their leader, or left its tree
        GROUPS.removeAll(targets);
    }

    private static void readCommands() {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                String[] words = line.trim().split(" ");
                if (words.length < 2) {
                    continue;
                }
                long value = Long.parseLong(words[1]);
                switch (words[0]) {
                    case "lease" -> {
                        long now = System.nanoTime();
                        leaseEndNanos = words.length > 2 ? leaseEnd(value, Long.parseLong(words[2]), now)
                                : now + TimeUnit.MILLISECONDS.toNanos(value);
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

    /** One {@code kill} command for all the groups: one process to start, however many groups. */
    private static void signal(List<Long> groups, String signal) {
        List<String> command = new ArrayList<>(List.of("kill", "-s", signal, "--"));
        for (long pgid : groups) {
            command.add("-" + pgid);
        }
        try {
            // A group already gone makes kill exit non-zero; the others are signalled all the same.
            new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start().waitFor(5, TimeUnit.SECONDS);
        } catch (IOException e) {
            System.err.println("watchdog: could not signal process groups " + groups + ": " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
