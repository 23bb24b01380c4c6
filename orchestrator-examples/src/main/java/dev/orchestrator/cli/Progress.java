package dev.orchestrator.cli;

import dev.orchestrator.Orchestrator;
import dev.orchestrator.RunInfo;
import dev.orchestrator.TaskInfo;
import dev.orchestrator.TaskStatus;

import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

/**
 * The live progress of {@code run watch}: a bar, done / failed / running of the total, the rate
 * and an ETA. On a terminal one line is redrawn with {@code \r}; otherwise a plain line is
 * printed whenever the counts change.
 */
final class Progress {

    private static final int BAR_WIDTH = 24;

    private final PrintWriter out;
    private final boolean interactive;
    private int lastWidth;

    Progress(PrintWriter out, boolean interactive) {
        this.out = out;
        this.interactive = interactive;
    }

    /** Re-reads the run every {@code interval} until it ends; returns its final snapshot. */
    RunInfo follow(Orchestrator o, long runId, Duration interval) throws InterruptedException {
        long watchStart = System.nanoTime();
        int firstFinished = -1;
        String lastCounts = null;
        while (true) {
            RunInfo r = RunCommand.find(o, runId);
            int running = r.status().isTerminal() ? 0 : running(o.tasks(runId));
            if (firstFinished < 0) {
                firstFinished = r.finished();
            }
            double rate = rate(r, firstFinished, System.nanoTime() - watchStart);
            String counts = r.status() + " " + r.finished() + " " + r.failed() + " " + running;
            String line = line(r, running, rate);
            if (interactive) {
                out.print("\r" + line + " ".repeat(Math.max(0, lastWidth - line.length())));
                lastWidth = line.length();
                if (r.status().isTerminal()) {
                    out.println();
                }
                out.flush();
            } else if (!counts.equals(lastCounts)) {
                out.println(line);
                out.flush();
            }
            lastCounts = counts;
            if (r.status().isTerminal()) {
                return r;
            }
            Thread.sleep(interval.toMillis());
        }
    }

    private static int running(List<TaskInfo> tasks) {
        int n = 0;
        for (TaskInfo t : tasks) {
            if (t.status() == TaskStatus.RUNNING || t.status() == TaskStatus.DISPATCHED) {
                n++;
            }
        }
        return n;
    }

    /** Tasks ended per second: observed while watching once there is something to observe, else since the run started. */
    static double rate(RunInfo r, int firstFinished, long watchedNanos) {
        if (watchedNanos >= 2_000_000_000L && r.finished() > firstFinished) {
            return (r.finished() - firstFinished) / (watchedNanos / 1e9);
        }
        if (r.startedAt() == null || r.finished() == 0) {
            return 0;
        }
        Instant end = r.finishedAt() != null ? r.finishedAt() : Instant.now();
        long ms = Math.max(1, Duration.between(r.startedAt(), end).toMillis());
        return r.finished() * 1000.0 / ms;
    }

    static String line(RunInfo r, int running, double rate) {
        int total = Math.max(1, r.taskCount());
        int filled = (int) Math.round(BAR_WIDTH * (double) r.finished() / total);
        int done = r.succeeded();
        int other = r.finished() - r.succeeded() - r.failed();
        StringBuilder sb = new StringBuilder();
        sb.append("run ").append(r.id()).append(' ').append(String.format(Locale.ROOT, "%-9s", r.status()))
                .append(" [").append("#".repeat(filled)).append("-".repeat(BAR_WIDTH - filled)).append("] ")
                .append(done).append(" done, ").append(r.failed()).append(" failed, ");
        if (other > 0) {
            sb.append(other).append(" skipped/cancelled, ");
        }
        sb.append(running).append(" running of ").append(r.taskCount());
        sb.append(String.format(Locale.ROOT, "  %.1f/s", rate));
        if (!r.status().isTerminal()) {
            int left = r.taskCount() - r.finished();
            sb.append("  ETA ").append(rate > 0 ? Durations.human(Duration.ofMillis((long) (left / rate * 1000))) : "?");
        } else {
            sb.append("  took ").append(Output.between(r.startedAt(), r.finishedAt()));
        }
        return sb.toString();
    }
}
