package dev.orchestrator.process;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Starts each task process as the leader of a new session and process group ({@code setsid}),
 * and signals whole groups ({@code kill -- -pgid}), so a child that ignores SIGTERM, runs in
 * the background or double-forks is stopped with its task. Where {@code setsid} is missing
 * (not Linux), processes run in the node's group and only their descendants are signalled.
 */
final class ProcessGroups {

    private static final Logger log = LoggerFactory.getLogger(ProcessGroups.class);
    private static final Path SETSID = find("setsid");
    private static final Path KILL = find("kill");

    private ProcessGroups() {
    }

    /** Whether task processes get groups of their own here. */
    static boolean supported() {
        return SETSID != null && KILL != null;
    }

    /** The command that runs {@code command} as a new group's leader (the same pid), or {@code command}. */
    static List<String> leaderCommand(List<String> command) {
        if (!supported()) {
            return command;
        }
        List<String> c = new ArrayList<>(command.size() + 1);
        c.add(SETSID.toString());
        c.addAll(command);
        return c;
    }

    /** Sends {@code signal} (TERM or KILL) to the groups led by {@code leaders}, with one {@code kill} per 200 groups. */
    static void signalAll(List<ProcessHandle> leaders, String signal) {
        if (!supported()) {
            leaders.forEach(p -> signal(p, signal));
            return;
        }
        for (int from = 0; from < leaders.size(); from += 200) {
            List<String> command = new ArrayList<>(List.of(KILL.toString(), "-s", signal, "--"));
            for (ProcessHandle p : leaders.subList(from, Math.min(leaders.size(), from + 200))) {
                command.add("-" + p.pid());
            }
            run(command, signal);
        }
    }

    /** Sends {@code signal} (TERM or KILL) to every process of the group led by {@code p}. */
    static void signal(ProcessHandle p, String signal) {
        if (!supported()) {
            p.descendants().forEach(signal.equals("KILL") ? ProcessHandle::destroyForcibly : ProcessHandle::destroy);
            if (signal.equals("KILL")) {
                p.destroyForcibly();
            } else {
                p.destroy();
            }
            return;
        }
        run(List.of(KILL.toString(), "-s", signal, "--", "-" + p.pid()), signal);
    }

    /** Runs a {@code kill} command; groups that are gone already make it fail harmlessly. */
    private static void run(List<String> command, String signal) {
        try {
            Process kill = new ProcessBuilder(command)
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (!kill.waitFor(5, TimeUnit.SECONDS)) {
                kill.destroyForcibly();
            }
        } catch (IOException e) {
            log.warn("could not send SIG{} to process groups {}: {}", signal, command.subList(4, command.size()), e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static Path find(String program) {
        for (String dir : List.of("/usr/bin", "/bin", "/usr/sbin", "/sbin")) {
            Path p = Path.of(dir, program);
            if (Files.isExecutable(p)) {
                return p;
            }
        }
        return null;
    }
}
