package dev.orchestrator.cli;

import dev.orchestrator.ConcurrencyPolicy;
import dev.orchestrator.JobSpec;
import dev.orchestrator.Orchestrator;
import dev.orchestrator.StepSpec;
import dev.orchestrator.WorkflowInfo;
import dev.orchestrator.WorkflowSpec;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code orchestrator workflow create|list|show|delete|pause|resume}. */
@Command(name = "workflow", mixinStandardHelpOptions = true,
        description = "Register, list, show, delete, pause and resume workflows.",
        footer = ExitCodes.HELP_FOOTER)
final class WorkflowCommand implements Callable<Integer> {

    @ParentCommand
    OrchestratorCli root;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        throw new ParameterException(spec.commandLine(), "missing command: choose one of "
                + String.join(", ", spec.subcommands().keySet()));
    }

    /**
     * What {@code workflow list/show --json} prints for one workflow version; {@code maxConcurrentRuns}
     * and {@code concurrencyPolicy} are null without a limit on runs.
     */
    record WorkflowView(String name, int version, Instant createdAt, int totalTasks, Integer maxConcurrentRuns,
                        ConcurrencyPolicy concurrencyPolicy, List<WorkflowFile.FileStep> steps) {
        static WorkflowView of(WorkflowInfo w) {
            Integer runs = w.spec().maxConcurrentRuns();
            return new WorkflowView(w.name(), w.version(), w.createdAt(), w.spec().totalTasks(), runs,
                    runs == null ? null : w.spec().concurrencyPolicy(), WorkflowFile.toFile(w.spec()));
        }
    }

    @Command(name = "create", mixinStandardHelpOptions = true,
            description = {
                    "Register a workflow, or a new version of it if its spec changed.",
                    "One step from flags:  workflow create <name> [options] -- <command> [args...]",
                    "Several steps:        workflow create --file wf.yaml  (or wf.json)"
            },
            footer = ExitCodes.HELP_FOOTER)
    int create(
            @Parameters(index = "0", arity = "0..1", paramLabel = "<name>",
                    description = "Workflow name (with --file: overrides the file's name).") String name,
            @Parameters(index = "1..*", arity = "0..*", paramLabel = "<command>",
                    description = "Program and arguments of a one-step workflow; put them after --.") List<String> command,
            @Option(names = {"-f", "--file"}, paramLabel = "<file>",
                    description = "Workflow file, JSON (.json) or YAML (.yaml, .yml).") Path file,
            @Option(names = "--step", paramLabel = "<name>", defaultValue = "main",
                    description = "Step name of a one-step workflow. Default: ${DEFAULT-VALUE}.") String stepName,
            @Option(names = {"-e", "--executor"}, paramLabel = "<type>", defaultValue = "process",
                    description = "Executor type. Default: ${DEFAULT-VALUE}.") String executor,
            @Option(names = {"-n", "--tasks"}, paramLabel = "<n>", defaultValue = "1",
                    description = "Number of tasks (fan-out), 1 to " + StepSpec.MAX_TASKS + ". Default: ${DEFAULT-VALUE}.") int tasks,
            @Option(names = {"-r", "--retries"}, paramLabel = "<n>", defaultValue = "0",
                    description = "Extra attempts of a failed task, 0 to 99. Default: ${DEFAULT-VALUE}.") int retries,
            @Option(names = "--backoff", paramLabel = "<duration>", converter = Durations.class,
                    description = "Wait before the first retry, doubled each time up to 5m. Default: 1s.") Duration backoff,
            @Option(names = {"-t", "--timeout"}, paramLabel = "<duration>", converter = Durations.class,
                    description = "Longest an attempt may run, such as 30s, 5m, 1h. Default: no limit.") Duration timeout,
            @Option(names = "--heartbeat-timeout", paramLabel = "<duration>", converter = Durations.class,
                    description = "Longest an attempt may go without a heartbeat. Default: not checked.") Duration heartbeatTimeout,
            @Option(names = "--env", paramLabel = "<key=value>",
                    description = "Environment variable for the tasks; repeatable.") Map<String, String> env,
            @Option(names = {"-C", "--workdir"}, paramLabel = "<dir>",
                    description = "Working directory of the tasks.") String workdir,
            @Option(names = {"-o", "--option"}, paramLabel = "<key=value>",
                    description = "Executor-specific option; repeatable.") Map<String, String> options,
            @Option(names = "--json", description = "Print the registered workflow as JSON.") boolean json) {
        WorkflowSpec wf;
        if (file != null) {
            if (command != null && !command.isEmpty()) {
                throw CliException.badInput("give either --file or a command after --, not both");
            }
            wf = WorkflowFile.read(file);
            if (name != null) {
                wf = new WorkflowSpec(name, wf.steps(), wf.maxConcurrentRuns(), wf.concurrencyPolicy());
            }
        } else {
            if (name == null) {
                throw CliException.badInput("missing workflow name: workflow create <name> [options] -- <command> [args...]"
                        + ", or workflow create --file <file>");
            }
            JobSpec job = new JobSpec(command == null ? List.of() : command, env == null ? Map.of() : env, workdir,
                    options == null ? Map.of() : options);
            try {
                wf = WorkflowSpec.of(name, new StepSpec(stepName, executor, job, tasks,
                        WorkflowFile.retry(retries, backoff, null, ""), timeout, heartbeatTimeout, List.of()));
            } catch (IllegalArgumentException e) {
                throw CliException.badInput(Errors.message(e));
            }
        }
        try (Orchestrator o = root.client()) {
            WorkflowInfo info = o.register(wf);
            PrintWriter out = root.out();
            if (json) {
                Output.json(out, WorkflowView.of(info));
            } else {
                out.printf("workflow '%s' version %d: %d step%s, %d task%s per run%n", info.name(), info.version(),
                        info.spec().steps().size(), info.spec().steps().size() == 1 ? "" : "s",
                        info.spec().totalTasks(), info.spec().totalTasks() == 1 ? "" : "s");
            }
            return ExitCodes.OK;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List workflows (latest versions).")
    int list(@Option(names = "--json", description = "Print JSON.") boolean json) {
        try (Orchestrator o = root.client()) {
            List<WorkflowInfo> all = o.workflows();
            PrintWriter out = root.out();
            if (json) {
                Output.json(out, all.stream().map(WorkflowView::of).toList());
                return ExitCodes.OK;
            }
            if (all.isEmpty()) {
                out.println("no workflows; register one with: orchestrator workflow create <name> -- <command> [args...]");
                return ExitCodes.OK;
            }
            Output.Table t = new Output.Table("NAME", "VERSION", "STEPS", "TASKS", "CREATED");
            for (WorkflowInfo w : all) {
                t.row(w.name(), w.version(), w.spec().steps().size(), w.spec().totalTasks(), Output.time(w.createdAt()));
            }
            t.print(out);
            return ExitCodes.OK;
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true, description = "Show a workflow's latest version and its steps.",
            footer = ExitCodes.HELP_FOOTER)
    int show(@Parameters(paramLabel = "<name>", description = "Workflow name.") String name,
             @Option(names = "--json", description = "Print JSON (steps in the workflow file format).") boolean json) {
        try (Orchestrator o = root.client()) {
            WorkflowInfo w = o.workflow(name).orElseThrow(() -> CliException.notFound("workflow '" + name + "' not found"));
            PrintWriter out = root.out();
            if (json) {
                Output.json(out, WorkflowView.of(w));
                return ExitCodes.OK;
            }
            out.printf("workflow:  %s%nversion:   %d%ncreated:   %s%ntasks:     %d per run%n", w.name(), w.version(),
                    Output.time(w.createdAt()), w.spec().totalTasks());
            for (StepSpec s : w.spec().steps()) {
                out.printf("%nstep %s%n", s.name());
                printField(out, "executor", s.executor());
                if (!s.job().command().isEmpty()) {
                    printField(out, "command", Shell.join(s.job().command()));
                }
                if (!s.job().environment().isEmpty()) {
                    printField(out, "env", new LinkedHashMap<>(new java.util.TreeMap<>(s.job().environment())));
                }
                if (s.job().workingDirectory() != null) {
                    printField(out, "workdir", s.job().workingDirectory());
                }
                if (!s.job().options().isEmpty()) {
                    printField(out, "options", new java.util.TreeMap<>(s.job().options()));
                }
                printField(out, "tasks", s.taskCount());
                printField(out, "retries", (s.retry().maxAttempts() - 1) + (s.retry().maxAttempts() > 1
                        ? " (backoff " + Durations.format(s.retry().initialBackoff()) + " up to "
                        + Durations.format(s.retry().maxBackoff()) + ")" : ""));
                if (s.timeout() != null) {
                    printField(out, "timeout", Durations.format(s.timeout()));
                }
                if (s.heartbeatTimeout() != null) {
                    printField(out, "heartbeat", Durations.format(s.heartbeatTimeout()));
                }
                if (!s.dependsOn().isEmpty()) {
                    printField(out, "dependsOn", String.join(", ", s.dependsOn()));
                }
            }
            out.flush();
            return ExitCodes.OK;
        }
    }

    private static void printField(PrintWriter out, String label, Object value) {
        out.printf("  %-10s %s%n", label + ":", value);
    }

    @Command(name = "delete", mixinStandardHelpOptions = true,
            description = "Delete a workflow: it can no longer be triggered; its runs and history stay.",
            footer = ExitCodes.HELP_FOOTER)
    int delete(@Parameters(paramLabel = "<name>", description = "Workflow name.") String name) {
        return root.actOnNamed("workflow", name, o -> o.deleteWorkflow(name), "deleted");
    }

    @Command(name = "pause", mixinStandardHelpOptions = true,
            description = "Pause a workflow: triggering it is refused until it is resumed; runs already triggered go on.",
            footer = ExitCodes.HELP_FOOTER)
    int pause(@Parameters(paramLabel = "<name>", description = "Workflow name.") String name) {
        return setPaused(name, true);
    }

    @Command(name = "resume", mixinStandardHelpOptions = true, description = "Resume a paused workflow.",
            footer = ExitCodes.HELP_FOOTER)
    int resume(@Parameters(paramLabel = "<name>", description = "Workflow name.") String name) {
        return setPaused(name, false);
    }

    private int setPaused(String name, boolean paused) {
        try (Orchestrator o = root.client()) {
            if (o.workflow(name).isEmpty()) {
                throw CliException.notFound("workflow '" + name + "' not found");
            }
            boolean changed = paused ? o.pauseWorkflow(name) : o.resumeWorkflow(name);
            root.out().printf("workflow '%s' %s%s%n", name, paused ? "paused" : "resumed", changed ? ""
                    : " (it was " + (paused ? "paused" : "not paused") + " already)");
            root.out().flush();
            return ExitCodes.OK;
        }
    }
}
