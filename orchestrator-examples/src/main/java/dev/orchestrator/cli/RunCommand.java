package dev.orchestrator.cli;

import dev.orchestrator.Orchestrator;
import dev.orchestrator.RunHandle;
import dev.orchestrator.RunInfo;
import dev.orchestrator.RunQuery;
import dev.orchestrator.RunStatus;
import dev.orchestrator.TaskInfo;
import dev.orchestrator.TaskStatus;
import dev.orchestrator.TriggerOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeoutException;

/** {@code orchestrator run trigger|list|show|watch}. */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = "Trigger, list, show and watch runs.",
        footer = ExitCodes.HELP_FOOTER)
final class RunCommand implements Callable<Integer> {

    /** Failed tasks listed by {@code run show} unless {@code --failures} says otherwise. */
    static final int DEFAULT_FAILURES_SHOWN = 5;
    /** Output lines shown per failed task. */
    static final int TAIL_LINES = 10;

    @ParentCommand
    OrchestratorCli root;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        throw new ParameterException(spec.commandLine(), "missing command: choose one of "
                + String.join(", ", spec.subcommands().keySet()));
    }

    /** Exit code for a run's final status. */
    static int exitCode(RunStatus status) {
        return switch (status) {
            case SUCCEEDED -> ExitCodes.OK;
            case FAILED, CANCELLED -> ExitCodes.RUN_FAILED;
            default -> ExitCodes.TIMED_OUT;
        };
    }

    @Command(name = "trigger", mixinStandardHelpOptions = true,
            description = {
                    "Start a run of a workflow's latest version.",
                    "Without --wait the run is only recorded; a running 'orchestrator serve' executes it.",
                    "With --wait this command runs the scheduler itself until the run ends and exits",
                    "0 if it SUCCEEDED, 2 if it FAILED (it also executes other runs waiting in the database meanwhile)."
            },
            footer = ExitCodes.HELP_FOOTER)
    @SuppressWarnings("try") // the shutdown hook is only held for the duration of the wait
    int trigger(
            @Parameters(paramLabel = "<workflow>", description = "Workflow name.") String workflow,
            @Option(names = {"-p", "--param"}, paramLabel = "<key=value>",
                    description = "Run parameter handed to every task (as environment); repeatable.") Map<String, String> params,
            @Option(names = {"-k", "--key"}, paramLabel = "<idempotency-key>",
                    description = "Idempotency key: a second trigger with the same key returns the first run.") String key,
            @Option(names = {"-w", "--wait"}, description = "Execute the run in this process and wait until it ends.") boolean wait,
            @Option(names = "--timeout", paramLabel = "<duration>", converter = Durations.class, defaultValue = "10m",
                    description = "With --wait: longest wait, then exit 5 (the run goes on). Default: ${DEFAULT-VALUE}.") Duration timeout,
            @Option(names = "--max-concurrency", paramLabel = "<n>", defaultValue = "64",
                    description = "With --wait: most tasks running at once. Default: ${DEFAULT-VALUE}.") int maxConcurrency,
            @Option(names = "--json", description = "Print the run as JSON.") boolean json) throws InterruptedException {
        TriggerOptions options;
        try {
            TriggerOptions.Builder b = TriggerOptions.builder().params(params == null ? Map.of() : params)
                    .triggeredBy("manual");
            options = (key == null ? b : b.idempotencyKey(key)).build(); // the builder refuses a null key
        } catch (IllegalArgumentException e) {
            throw CliException.badInput(Errors.message(e));
        }
        PrintWriter out = root.out();
        try (Orchestrator o = root.open(b -> {
            if (wait) {
                b.maxConcurrency(maxConcurrency).pollInterval(Duration.ofSeconds(1));
            }
        })) {
            if (o.workflow(workflow).isEmpty()) {
                throw CliException.notFound("workflow '" + workflow + "' not found");
            }
            if (!wait) {
                RunHandle run = o.trigger(workflow, options);
                RunInfo info = run.info();
                if (json) {
                    Output.json(out, info);
                } else {
                    out.printf("%s run %d of workflow '%s' (%d task%s)%n", run.created() ? "triggered" : "existing",
                            info.id(), info.workflow(), info.taskCount(), info.taskCount() == 1 ? "" : "s");
                    out.printf("it runs when 'orchestrator serve' is running; follow it with: orchestrator run watch %d%n",
                            info.id());
                }
                out.flush();
                return ExitCodes.OK;
            }
            try (Shutdown ignored = Shutdown.closeOnExit(o)) {
                // trigger first: the scheduler's first claim at start() picks the run up at once
                RunHandle run = o.trigger(workflow, options);
                o.start();
                if (!json) {
                    out.printf("%s run %d of workflow '%s'; waiting up to %s%n", run.created() ? "triggered" : "existing",
                            run.id(), workflow, Durations.format(timeout));
                    out.flush();
                }
                RunInfo done;
                try {
                    done = run.await(timeout);
                } catch (TimeoutException e) {
                    throw new CliException(ExitCodes.TIMED_OUT, Errors.message(e)
                            + "; the run goes on: follow it with 'orchestrator run watch " + run.id() + "'", e);
                }
                if (json) {
                    Output.json(out, RunView.of(done, o.tasks(done.id()), DEFAULT_FAILURES_SHOWN));
                } else {
                    printRun(out, done, o.tasks(done.id()), DEFAULT_FAILURES_SHOWN);
                }
                return exitCode(done.status());
            }
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List runs, newest first.")
    int list(@Option(names = "--workflow", paramLabel = "<name>", description = "Only runs of this workflow.") String workflow,
             @Option(names = {"-s", "--status"}, paramLabel = "<status>",
                     description = "Only runs in this status: ${COMPLETION-CANDIDATES}.") RunStatus status,
             @Option(names = {"-l", "--limit"}, paramLabel = "<n>", defaultValue = "20",
                     description = "Most runs listed. Default: ${DEFAULT-VALUE}.") int limit,
             @Option(names = "--json", description = "Print JSON.") boolean json) {
        if (limit < 1 || limit > RunQuery.MAX_LIMIT) {
            throw CliException.badInput("--limit must be between 1 and " + RunQuery.MAX_LIMIT + ", got " + limit);
        }
        try (Orchestrator o = root.client()) {
            List<RunInfo> runs = o.runs(RunQuery.builder().workflow(workflow).status(status).limit(limit).build()).runs();
            PrintWriter out = root.out();
            if (json) {
                Output.json(out, runs);
                return ExitCodes.OK;
            }
            if (runs.isEmpty()) {
                out.println("no runs");
                out.flush();
                return ExitCodes.OK;
            }
            Output.Table t = new Output.Table("ID", "WORKFLOW", "VERSION", "STATUS", "DONE", "FAILED", "TRIGGERED", "CREATED",
                    "DURATION");
            for (RunInfo r : runs) {
                t.row(r.id(), r.workflow(), r.workflowVersion(), r.status(), r.finished() + "/" + r.taskCount(), r.failed(),
                        r.triggeredBy(), Output.time(r.createdAt()), Output.between(r.startedAt(), r.finishedAt()));
            }
            t.print(out);
            return ExitCodes.OK;
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true,
            description = "Show a run: status, counters, durations, steps, and failed tasks with their error and output tail.",
            footer = ExitCodes.HELP_FOOTER)
    int show(@Parameters(paramLabel = "<run-id>", description = "Run id.") long id,
             @Option(names = "--failures", paramLabel = "<n>", defaultValue = "" + DEFAULT_FAILURES_SHOWN,
                     description = "Most failed tasks shown. Default: ${DEFAULT-VALUE}.") int failures,
             @Option(names = "--json", description = "Print JSON.") boolean json) {
        try (Orchestrator o = root.client()) {
            RunInfo info = find(o, id);
            List<TaskInfo> tasks = o.tasks(id);
            if (json) {
                Output.json(root.out(), RunView.of(info, tasks, Math.max(0, failures)));
            } else {
                printRun(root.out(), info, tasks, Math.max(0, failures));
            }
            return ExitCodes.OK;
        }
    }

    @Command(name = "watch", mixinStandardHelpOptions = true,
            description = {
                    "Follow a run until it ends: done, failed and running tasks of the total, rate and ETA.",
                    "Redraws one line on a terminal, prints a line per change otherwise.",
                    "Exits 0 if the run SUCCEEDED, 2 if it FAILED or was CANCELLED."
            },
            footer = ExitCodes.HELP_FOOTER)
    int watch(@Parameters(paramLabel = "<run-id>", description = "Run id.") long id,
              @Option(names = {"-i", "--interval"}, paramLabel = "<duration>", converter = Durations.class, defaultValue = "1s",
                      description = "How often to refresh. Default: ${DEFAULT-VALUE}.") Duration interval)
            throws InterruptedException {
        if (interval.toMillis() < 50) {
            throw CliException.badInput("--interval must be at least 50ms, got " + Durations.format(interval));
        }
        try (Orchestrator o = root.client()) {
            find(o, id);
            RunInfo end = new Progress(root.out(), Terminal.isInteractive()).follow(o, id, interval);
            printRun(root.out(), end, o.tasks(id), DEFAULT_FAILURES_SHOWN);
            return exitCode(end.status());
        }
    }

    static RunInfo find(Orchestrator o, long id) {
        return o.run(id).orElseThrow(() -> CliException.notFound("run " + id + " not found")).info();
    }

    /** What {@code run show --json} prints. */
    record RunView(RunInfo run, Duration queued, Duration duration, Map<String, Map<TaskStatus, Integer>> steps,
                   int failedTasks, List<TaskInfo> failures) {
        static RunView of(RunInfo r, List<TaskInfo> tasks, int maxFailures) {
            List<TaskInfo> failed = tasks.stream().filter(t -> t.status() == TaskStatus.FAILED).toList();
            return new RunView(r, r.startedAt() == null ? null : Duration.between(r.createdAt(), r.startedAt()),
                    r.startedAt() == null ? null
                            : Duration.between(r.startedAt(), r.finishedAt() != null ? r.finishedAt() : Instant.now()),
                    stepCounts(tasks), failed.size(), failed.subList(0, Math.min(maxFailures, failed.size())));
        }
    }

    static Map<String, Map<TaskStatus, Integer>> stepCounts(List<TaskInfo> tasks) {
        Map<String, Map<TaskStatus, Integer>> steps = new LinkedHashMap<>();
        for (TaskInfo t : tasks) {
            steps.computeIfAbsent(t.stepName(), k -> new LinkedHashMap<>()).merge(t.status(), 1, Integer::sum);
        }
        return steps;
    }

    static void printRun(PrintWriter out, RunInfo r, List<TaskInfo> tasks, int maxFailures) {
        out.printf("run %d  workflow %s (version %d)  %s%n", r.id(), r.workflow(), r.workflowVersion(), r.status());
        out.printf("  triggered:  %s by %s%s%n", Output.time(r.createdAt()), r.triggeredBy(),
                r.idempotencyKey() == null ? "" : " (key " + r.idempotencyKey() + ")");
        if (!r.parameters().isEmpty()) {
            out.printf("  parameters: %s%n", new java.util.TreeMap<>(r.parameters()));
        }
        out.printf("  tasks:      %d total, %d succeeded, %d failed, %d ended%n", r.taskCount(), r.succeeded(), r.failed(),
                r.finished());
        out.printf("  started:    %s (queued %s)%n", Output.time(r.startedAt()), Output.between(r.createdAt(), r.startedAt()));
        out.printf("  finished:   %s (ran %s)%n", Output.time(r.finishedAt()), Output.between(r.startedAt(), r.finishedAt()));
        Map<String, Map<TaskStatus, Integer>> steps = stepCounts(tasks);
        if (steps.size() > 1) {
            out.println("  steps:");
            steps.forEach((name, counts) -> {
                List<String> parts = new ArrayList<>();
                counts.forEach((s, n) -> parts.add(n + " " + s.name().toLowerCase(java.util.Locale.ROOT)));
                out.printf("    %-20s %s%n", name, String.join(", ", parts));
            });
        }
        List<TaskInfo> failed = tasks.stream().filter(t -> t.status() == TaskStatus.FAILED).toList();
        if (!failed.isEmpty() && maxFailures > 0) {
            out.printf("  failed tasks (%d%s):%n", failed.size(),
                    failed.size() > maxFailures ? ", first " + maxFailures : "");
            for (TaskInfo t : failed.subList(0, Math.min(maxFailures, failed.size()))) {
                out.printf("    %s[%d] attempt %d, exit code %s: %s%n", t.stepName(), t.taskIndex(), t.attempt(),
                        Output.orDash(t.exitCode()), Output.orDash(t.error()));
                List<String> tail = Output.lastLines(t.outputTail(), TAIL_LINES);
                if (!tail.isEmpty()) {
                    out.println("      output (last lines):");
                    tail.forEach(line -> out.println("      | " + line));
                }
            }
            out.printf("  logs: orchestrator task logs %d <index>%s%n", r.id(), steps.size() > 1 ? " --step <name>" : "");
        }
        out.flush();
    }
}
