package dev.orchestrator.cli;

import dev.orchestrator.AttemptInfo;
import dev.orchestrator.Orchestrator;
import dev.orchestrator.TaskInfo;
import dev.orchestrator.TaskStatus;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.Reader;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;

/** {@code orchestrator task list|logs}. */
@Command(name = "task", mixinStandardHelpOptions = true,
        description = "List a run's tasks and print their logs.",
        footer = ExitCodes.HELP_FOOTER)
final class TaskCommand implements Callable<Integer> {

    @ParentCommand
    OrchestratorCli root;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        throw new ParameterException(spec.commandLine(), "missing command: choose one of "
                + String.join(", ", spec.subcommands().keySet()));
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List the tasks of a run, by step and index.",
            footer = ExitCodes.HELP_FOOTER)
    int list(@Parameters(paramLabel = "<run-id>", description = "Run id.") long runId,
             @Option(names = {"-s", "--status"}, paramLabel = "<status>",
                     description = "Only tasks in this status: ${COMPLETION-CANDIDATES}.") TaskStatus status,
             @Option(names = "--step", paramLabel = "<name>", description = "Only tasks of this step.") String step,
             @Option(names = "--json", description = "Print JSON.") boolean json) {
        try (Orchestrator o = root.client()) {
            RunCommand.find(o, runId);
            List<TaskInfo> tasks = o.tasks(runId).stream()
                    .filter(t -> status == null || t.status() == status)
                    .filter(t -> step == null || t.stepName().equals(step))
                    .toList();
            PrintWriter out = root.out();
            if (json) {
                Output.json(out, tasks);
                return ExitCodes.OK;
            }
            if (tasks.isEmpty()) {
                out.println("no tasks match");
                out.flush();
                return ExitCodes.OK;
            }
            Output.Table t = new Output.Table("STEP", "INDEX", "STATUS", "ATTEMPT", "EXIT", "STARTED", "DURATION", "ERROR");
            for (TaskInfo task : tasks) {
                t.row(task.stepName(), task.taskIndex(), task.status(), task.attempt(), task.exitCode(),
                        Output.time(task.startedAt()),
                        task.status().isTerminal() || task.status() == TaskStatus.RUNNING
                                ? Output.between(task.startedAt(), task.finishedAt()) : "-",
                        task.error());
            }
            t.print(out);
            return ExitCodes.OK;
        }
    }

    @Command(name = "logs", mixinStandardHelpOptions = true,
            description = {
                    "Print the output of one attempt of a task (the latest unless --attempt).",
                    "Reads the executor's log file; if it is gone, prints the tail stored in the database."
            },
            footer = ExitCodes.HELP_FOOTER)
    int logs(@Parameters(index = "0", paramLabel = "<run-id>", description = "Run id.") long runId,
             @Parameters(index = "1", paramLabel = "<index>", description = "Task index within its step, from 0.") int index,
             @Option(names = "--step", paramLabel = "<name>",
                     description = "Step of the task; needed when the workflow has several steps.") String step,
             @Option(names = {"-a", "--attempt"}, paramLabel = "<n>", description = "Attempt number, from 1. Default: the latest.")
             Integer attemptNumber) {
        try (Orchestrator o = root.client()) {
            RunCommand.find(o, runId);
            List<TaskInfo> tasks = o.tasks(runId);
            Set<String> steps = new LinkedHashSet<>();
            tasks.forEach(t -> steps.add(t.stepName()));
            String stepName = step;
            if (stepName == null) {
                if (steps.size() > 1) {
                    throw CliException.badInput("run " + runId + " has several steps (" + String.join(", ", steps)
                            + "); choose one with --step");
                }
                stepName = steps.isEmpty() ? null : steps.iterator().next();
            } else if (!steps.contains(stepName)) {
                throw CliException.notFound("run " + runId + " has no step '" + stepName + "'; steps: " + String.join(", ", steps));
            }
            String s = stepName;
            TaskInfo task = tasks.stream().filter(t -> t.stepName().equals(s) && t.taskIndex() == index).findFirst()
                    .orElseThrow(() -> CliException.notFound("run " + runId + " has no task " + index
                            + (s == null ? "" : " in step '" + s + "'")));
            List<AttemptInfo> attempts = o.attempts(task.id());
            if (attempts.isEmpty()) {
                throw CliException.notFound("task " + s + "[" + index + "] of run " + runId + " has not started yet ("
                        + task.status() + ")");
            }
            AttemptInfo attempt = attemptNumber == null ? attempts.getLast()
                    : attempts.stream().filter(a -> a.attempt() == attemptNumber).findFirst()
                    .orElseThrow(() -> CliException.notFound("task " + s + "[" + index + "] of run " + runId
                            + " has no attempt " + attemptNumber + "; attempts: 1 to " + attempts.getLast().attempt()));
            print(attempt, task);
            return ExitCodes.OK;
        }
    }

    private void print(AttemptInfo attempt, TaskInfo task) {
        PrintWriter out = root.out();
        Path file = logFile(attempt.outputRef());
        if (file != null && Files.isReadable(file)) {
            var decoder = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPLACE).onUnmappableCharacter(CodingErrorAction.REPLACE);
            try (Reader in = new InputStreamReader(Files.newInputStream(file), decoder)) {
                in.transferTo(out);
                out.flush();
                return;
            } catch (IOException e) {
                root.err().println("note: cannot read log file " + file + " (" + Errors.message(e) + ")");
            }
        }
        if (attempt.outputTail() == null) {
            throw CliException.notFound("no output recorded for attempt " + attempt.attempt() + " of task "
                    + task.stepName() + "[" + task.taskIndex() + "]"
                    + (attempt.outputRef() != null ? " (log file " + attempt.outputRef() + " is not available)" : ""));
        }
        PrintWriter err = root.err();
        err.println("note: " + (attempt.outputRef() != null ? "log file " + attempt.outputRef() + " is not available"
                : "no log file recorded") + "; showing the output tail stored in the database");
        err.flush();
        out.print(attempt.outputTail());
        if (!attempt.outputTail().endsWith("\n")) {
            out.println();
        }
        out.flush();
    }

    private static Path logFile(String ref) {
        if (ref == null || ref.isBlank()) {
            return null;
        }
        try {
            String p = ref.startsWith("file:") ? Path.of(java.net.URI.create(ref)).toString() : ref;
            return Path.of(p);
        } catch (IllegalArgumentException e) { // includes InvalidPathException
            return null;
        }
    }
}
