package dev.orchestrator.cli;

import dev.orchestrator.Orchestrator;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/**
 * {@code orchestrator serve}: runs the scheduler in the foreground until Ctrl-C (SIGINT or
 * SIGTERM), then stops claiming, waits for running tasks up to {@code --shutdown-timeout} and
 * writes every pending update.
 */
@Command(name = "serve", mixinStandardHelpOptions = true,
        description = {
                "Run the scheduler in the foreground: execute triggered runs until Ctrl-C.",
                "On Ctrl-C it stops claiming, waits for running tasks (up to --shutdown-timeout), and exits."
        },
        footer = ExitCodes.HELP_FOOTER)
final class ServeCommand implements Callable<Integer> {

    @ParentCommand
    OrchestratorCli root;

    @Option(names = "--max-concurrency", paramLabel = "<n>", defaultValue = "64",
            description = "Most tasks running at once on this node. Default: ${DEFAULT-VALUE}.")
    int maxConcurrency;

    @Option(names = "--poll", paramLabel = "<duration>", converter = Durations.class, defaultValue = "1s",
            description = {"How often to look for work triggered by other processes (local triggers",
                    "and completions wake the scheduler at once). Default: ${DEFAULT-VALUE}."})
    Duration poll;

    @Option(names = "--shutdown-timeout", paramLabel = "<duration>", converter = Durations.class, defaultValue = "30s",
            description = "Longest wait for running tasks on Ctrl-C. Default: ${DEFAULT-VALUE}.")
    Duration shutdownTimeout;

    @Override
    @SuppressWarnings("try") // the shutdown hook is only held while serving
    public Integer call() {
        Orchestrator o = root.open(b -> b.maxConcurrency(maxConcurrency).pollInterval(poll).maxPollInterval(poll)
                .shutdownTimeout(shutdownTimeout));
        CountDownLatch stopped = new CountDownLatch(1);
        try (Shutdown ignored = Shutdown.closeOnExit(o, stopped::countDown)) {
            o.start();
            PrintWriter out = root.out();
            out.printf("serving %s (max concurrency %d, poll %s); press Ctrl-C to stop%n", root.redactedDb(),
                    maxConcurrency, Durations.format(poll));
            out.flush();
            stopped.await();
        } catch (InterruptedException e) {
            // stopped in-process (tests, embedding): fall through to a graceful close
        } finally {
            o.close();
        }
        root.out().println("stopped");
        root.out().flush();
        return ExitCodes.OK;
    }
}
