package dev.orchestrator.cli;

import dev.orchestrator.Orchestrator;
import dev.orchestrator.OrchestratorBuilder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Consumer;

/**
 * The root {@code orchestrator} command: global options and the way every sub-command opens
 * the orchestrator.
 */
@Command(name = "orchestrator",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = {
                "Manage Orchestrator workflows, runs and schedules, and run the scheduler.",
                "State lives in the database given by --db (default: an SQLite file in the current directory)."
        },
        // The sub-commands are added by Main.commandLine: only the one a command line names, as
        // building each one's model by reflection is a good part of the CLI's start-up.
        footer = ExitCodes.HELP_FOOTER)
public final class OrchestratorCli implements Callable<Integer> {

    /** The sub-commands, by name, in the order help lists them. */
    static final java.util.Map<String, java.util.function.Supplier<Object>> SUBCOMMANDS;

    static {
        java.util.Map<String, java.util.function.Supplier<Object>> m = new java.util.LinkedHashMap<>();
        m.put("workflow", WorkflowCommand::new);
        m.put("run", RunCommand::new);
        m.put("task", TaskCommand::new);
        m.put("schedule", ScheduleCommand::new);
        m.put("serve", ServeCommand::new);
        SUBCOMMANDS = java.util.Collections.unmodifiableMap(m);
    }

    /** The database used when neither {@code --db} nor {@code ORCHESTRATOR_DB} is given. */
    public static final String DEFAULT_DB = "jdbc:sqlite:orchestrator.db";

    @Spec
    CommandSpec spec;

    @Option(names = "--db", paramLabel = "<jdbc-url>", defaultValue = "${env:ORCHESTRATOR_DB:-" + DEFAULT_DB + "}",
            description = "Database JDBC URL: jdbc:sqlite:<file> or jdbc:postgresql://<host>:<port>/<db>?user=<u>&password=<p>"
                    + "[&currentSchema=<schema>]. Default: $ORCHESTRATOR_DB, else " + DEFAULT_DB + ".")
    String db;

    @Option(names = "--log-dir", paramLabel = "<dir>", defaultValue = "${env:ORCHESTRATOR_LOG_DIR}",
            description = {"Where process tasks write their per-attempt log files.",
                    "Default: $ORCHESTRATOR_LOG_DIR, else the store's own: <file>.logs beside a SQLite file,",
                    "~/.orchestrator/logs/<hash> for PostgreSQL."})
    String logDir;

    @Option(names = {"-v", "--verbose"}, description = "Show stack traces and library log lines.")
    boolean verbose;

    @Override
    public Integer call() {
        throw new ParameterException(spec.commandLine(), "missing command: choose one of "
                + String.join(", ", spec.subcommands().keySet()));
    }

    /** Standard output of this invocation. */
    PrintWriter out() {
        return spec.commandLine().getOut();
    }

    /** Standard error of this invocation. */
    PrintWriter err() {
        return spec.commandLine().getErr();
    }

    /** The database URL with any password hidden. */
    String redactedDb() {
        return Redact.url(db);
    }

    /**
     * An orchestrator that is not started: a client of the store. Its node id is never written
     * (only a started orchestrator registers as a node), so it is set here: the default asks the
     * JVM for {@code <pid>@<host>}, which resolves the host name, and draws a random suffix from a
     * freshly seeded {@code SecureRandom}: start-up time a listing does not need.
     */
    Orchestrator client() {
        return open(b -> b.nodeId("cli-" + ProcessHandle.current().pid()));
    }

    /**
     * Opens the orchestrator on {@code --db} with {@code settings} applied; it is not started.
     *
     * @throws CliException {@link ExitCodes#STORE_UNREACHABLE} if the database cannot be opened,
     *                      {@link ExitCodes#BAD_INPUT} if the URL is not usable
     */
    Orchestrator open(Consumer<OrchestratorBuilder> settings) {
        OrchestratorBuilder builder;
        try {
            builder = Orchestrator.builder().storeUrl(db);
            if (logDir != null && !logDir.isBlank()) {
                builder.executorConfig("process", Map.of("logDirectory", logDir));
            }
            settings.accept(builder);
        } catch (IllegalArgumentException e) {
            throw new CliException(ExitCodes.BAD_INPUT, Redact.text(e.getMessage(), db), e);
        }
        try {
            return builder.build();
        } catch (IllegalArgumentException e) {
            throw new CliException(ExitCodes.BAD_INPUT, "cannot use database URL " + redactedDb() + ": "
                    + Redact.text(Errors.message(e), db), e);
        } catch (RuntimeException | LinkageError e) {
            // StoreProvider.open throws IllegalStateException when the database cannot be reached
            String what = e instanceof IllegalStateException || Errors.isConnectionFailure(e) ? "reach" : "open";
            throw new CliException(ExitCodes.STORE_UNREACHABLE, "cannot " + what + " the database at " + redactedDb()
                    + ": " + Redact.text(Errors.rootMessage(e), db), e);
        }
    }

    /**
     * Runs {@code action} on a client for the {@code kind} named {@code name} (a workflow or a
     * schedule) and prints {@code kind 'name' done}; exits NOT_FOUND if the action found nothing.
     */
    int actOnNamed(String kind, String name, java.util.function.Predicate<Orchestrator> action, String done) {
        try (Orchestrator o = client()) {
            if (!action.test(o)) {
                throw CliException.notFound(kind + " '" + name + "' not found");
            }
            out().printf("%s '%s' %s%n", kind, name, done);
            out().flush();
            return ExitCodes.OK;
        }
    }
}
