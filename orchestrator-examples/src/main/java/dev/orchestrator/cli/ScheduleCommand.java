package dev.orchestrator.cli;

import dev.orchestrator.MisfirePolicy;
import dev.orchestrator.Orchestrator;
import dev.orchestrator.ScheduleInfo;
import dev.orchestrator.ScheduleSpec;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;

/** {@code orchestrator schedule create|list|show|pause|resume|delete}. */
@Command(name = "schedule", mixinStandardHelpOptions = true,
        description = {"Create, list, show, pause, resume and delete cron schedules of workflows.",
                "A started node ('orchestrator serve') fires them; each fire is one run, triggered by schedule:<name>."},
        footer = ExitCodes.HELP_FOOTER)
final class ScheduleCommand implements Callable<Integer> {

    @ParentCommand
    OrchestratorCli root;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        throw new ParameterException(spec.commandLine(), "missing command: choose one of "
                + String.join(", ", spec.subcommands().keySet()));
    }

    /** What {@code schedule list/show --json} prints for one schedule. */
    record ScheduleView(String name, String workflow, String cron, String zone, Map<String, String> parameters,
                        MisfirePolicy misfire, Instant startAt, Instant endAt, boolean paused, Instant nextFireAt,
                        Instant lastFireAt, Long lastRunId, Instant createdAt, List<Instant> upcoming) {
        static ScheduleView of(ScheduleInfo s, List<Instant> upcoming) {
            ScheduleSpec p = s.spec();
            return new ScheduleView(p.name(), p.workflow(), p.cron(), p.zone().getId(), new TreeMap<>(p.parameters()),
                    p.misfire(), p.startAt(), p.endAt(), s.paused(), s.nextFireAt(), s.lastFireAt(), s.lastRunId(),
                    s.createdAt(), upcoming);
        }
    }

    @Command(name = "create", mixinStandardHelpOptions = true,
            description = {"Create a schedule that triggers a workflow at the times of a cron expression.",
                    "Example: schedule create nightly --workflow report --cron '30 2 * * *' --zone Europe/Berlin"},
            footer = ExitCodes.HELP_FOOTER)
    int create(@Parameters(paramLabel = "<name>", description = "Schedule name (unique).") String name,
               @Option(names = {"-w", "--workflow"}, required = true, paramLabel = "<workflow>",
                       description = "The workflow it triggers.") String workflow,
               @Option(names = {"-c", "--cron"}, required = true, paramLabel = "<expression>",
                       description = {"5 fields (minute hour day month weekday), or 6 with seconds first;",
                               "quote it: '*/5 * * * *'."}) String cron,
               @Option(names = {"-z", "--zone"}, paramLabel = "<zone>", defaultValue = "UTC",
                       description = "Time zone the expression is read in, such as Europe/Berlin. Default: ${DEFAULT-VALUE}.")
               String zone,
               @Option(names = {"-p", "--param"}, paramLabel = "<key=value>",
                       description = "Run parameter of every fire; repeatable.") Map<String, String> params,
               @Option(names = "--misfire", paramLabel = "<policy>", defaultValue = "SKIP",
                       description = {"Fires missed while no node ran: SKIP them, or RUN_ONCE for all.",
                               "Default: ${DEFAULT-VALUE}."}) MisfirePolicy misfire,
               @Option(names = "--start", paramLabel = "<instant>",
                       description = "No fire before this instant, such as 2026-01-31T00:00:00Z.") String start,
               @Option(names = "--end", paramLabel = "<instant>", description = "No fire after this instant.") String end,
               @Option(names = "--json", description = "Print the created schedule as JSON.") boolean json) {
        ScheduleSpec s;
        try {
            ScheduleSpec.Builder b = ScheduleSpec.builder(name, workflow, cron).zone(zone).misfire(misfire)
                    .startAt(instant("--start", start)).endAt(instant("--end", end));
            if (params != null) {
                params.forEach(b::param);
            }
            s = b.build();
        } catch (IllegalArgumentException e) {
            throw CliException.badInput(Errors.message(e));
        }
        try (Orchestrator o = root.client()) {
            ScheduleInfo info = o.createSchedule(s);
            PrintWriter out = root.out();
            if (json) {
                Output.json(out, ScheduleView.of(info, o.upcomingFires(name, 5)));
            } else {
                out.printf("schedule '%s' created: workflow '%s' at '%s' (%s); next fire %s%n", name, workflow, cron,
                        s.zone().getId(), Output.time(info.nextFireAt()));
                out.flush();
            }
            return ExitCodes.OK;
        }
    }

    private static Instant instant(String option, String text) {
        if (text == null) {
            return null;
        }
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(option + " '" + text + "' is not an instant such as 2026-01-31T00:00:00Z");
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List schedules with their next and last fire.")
    int list(@Option(names = "--json", description = "Print JSON.") boolean json) {
        try (Orchestrator o = root.client()) {
            List<ScheduleInfo> all = o.schedules();
            PrintWriter out = root.out();
            if (json) {
                Output.json(out, all.stream().map(s -> ScheduleView.of(s, List.of())).toList());
                return ExitCodes.OK;
            }
            if (all.isEmpty()) {
                out.println("no schedules; create one with: orchestrator schedule create <name> --workflow <workflow> "
                        + "--cron '<expression>'");
                out.flush();
                return ExitCodes.OK;
            }
            Output.Table t = new Output.Table("NAME", "WORKFLOW", "CRON", "ZONE", "STATE", "NEXT FIRE", "LAST FIRE", "LAST RUN");
            for (ScheduleInfo s : all) {
                t.row(s.spec().name(), s.spec().workflow(), s.spec().cron(), s.spec().zone().getId(),
                        s.paused() ? "paused" : "active", Output.time(s.nextFireAt()), Output.time(s.lastFireAt()),
                        Output.orDash(s.lastRunId()));
            }
            t.print(out);
            return ExitCodes.OK;
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true, description = "Show a schedule and its upcoming fires.",
            footer = ExitCodes.HELP_FOOTER)
    int show(@Parameters(paramLabel = "<name>", description = "Schedule name.") String name,
             @Option(names = {"-n", "--upcoming"}, paramLabel = "<n>", defaultValue = "5",
                     description = "How many upcoming fires to list, 1 to 1000. Default: ${DEFAULT-VALUE}.") int upcoming,
             @Option(names = "--json", description = "Print JSON.") boolean json) {
        if (upcoming < 1 || upcoming > 1000) {
            throw CliException.badInput("--upcoming must be between 1 and 1000, got " + upcoming);
        }
        try (Orchestrator o = root.client()) {
            ScheduleInfo s = o.schedule(name).orElseThrow(() -> CliException.notFound("schedule '" + name + "' not found"));
            List<Instant> next = o.upcomingFires(name, upcoming);
            PrintWriter out = root.out();
            if (json) {
                Output.json(out, ScheduleView.of(s, next));
                return ExitCodes.OK;
            }
            ScheduleSpec p = s.spec();
            out.printf("schedule:  %s%nworkflow:  %s%ncron:      %s%nzone:      %s%nstate:     %s%nmisfire:   %s%n",
                    p.name(), p.workflow(), p.cron(), p.zone().getId(), s.paused() ? "paused" : "active", p.misfire());
            if (!p.parameters().isEmpty()) {
                out.printf("params:    %s%n", new TreeMap<>(p.parameters()));
            }
            if (p.startAt() != null || p.endAt() != null) {
                out.printf("window:    %s to %s%n", Output.time(p.startAt()), Output.time(p.endAt()));
            }
            out.printf("next fire: %s%nlast fire: %s%nlast run:  %s%ncreated:   %s%n", Output.time(s.nextFireAt()),
                    Output.time(s.lastFireAt()), Output.orDash(s.lastRunId()), Output.time(s.createdAt()));
            out.printf("%nupcoming%s:%n", s.paused() ? " (if resumed now)" : "");
            for (Instant t : next) {
                out.printf("  %s%n", Output.time(t));
            }
            out.flush();
            return ExitCodes.OK;
        }
    }

    @Command(name = "pause", mixinStandardHelpOptions = true, description = "Pause a schedule: it fires nothing until resumed.",
            footer = ExitCodes.HELP_FOOTER)
    int pause(@Parameters(paramLabel = "<name>", description = "Schedule name.") String name) {
        return root.actOnNamed("schedule", name, o -> o.pauseSchedule(name), "paused");
    }

    @Command(name = "resume", mixinStandardHelpOptions = true,
            description = "Resume a paused schedule at its next fire after now (fires missed while paused are dropped).",
            footer = ExitCodes.HELP_FOOTER)
    int resume(@Parameters(paramLabel = "<name>", description = "Schedule name.") String name) {
        try (Orchestrator o = root.client()) {
            if (!o.resumeSchedule(name)) {
                throw CliException.notFound("schedule '" + name + "' not found");
            }
            ScheduleInfo s = o.schedule(name).orElseThrow(() -> CliException.notFound("schedule '" + name + "' not found"));
            root.out().printf("schedule '%s' resumed; next fire %s%n", name, Output.time(s.nextFireAt()));
            root.out().flush();
            return ExitCodes.OK;
        }
    }

    @Command(name = "delete", mixinStandardHelpOptions = true, description = "Delete a schedule; its runs stay.",
            footer = ExitCodes.HELP_FOOTER)
    int delete(@Parameters(paramLabel = "<name>", description = "Schedule name.") String name) {
        return root.actOnNamed("schedule", name, o -> o.deleteSchedule(name), "deleted");
    }
}
