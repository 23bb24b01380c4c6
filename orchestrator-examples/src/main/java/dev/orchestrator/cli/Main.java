package dev.orchestrator.cli;

import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.UnmatchedArgumentException;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * Entry point of the {@code orchestrator} command-line tool.
 *
 * <p>{@link #run(String[], PrintStream, PrintStream)} runs one command in-process and returns
 * its exit code (see {@link ExitCodes}); {@link #main(String[])} does the same on the real
 * standard streams and exits the JVM with that code.
 */
public final class Main {

    private Main() {
    }

    /** Runs the command in {@code args} and exits with its exit code. */
    public static void main(String[] args) {
        int code = run(args, System.out, System.err);
        System.out.flush();
        System.err.flush();
        System.exit(code);
    }

    /**
     * Runs one command in-process.
     *
     * @param args command-line arguments, as given to {@code main}
     * @param out  where command output goes
     * @param err  where errors go: one line per error, a stack trace only with {@code --verbose}
     * @return the exit code, one of {@link ExitCodes}
     */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        configureLogging(args);
        if (usesSqlite(args)) {
            NativeSqlite.useCachedLibrary();
        }
        PrintWriter outWriter = new PrintWriter(new java.io.OutputStreamWriter(out, StandardCharsets.UTF_8), true);
        PrintWriter errWriter = new PrintWriter(new java.io.OutputStreamWriter(err, StandardCharsets.UTF_8), true);
        try {
            return commandLine(outWriter, errWriter, args).execute(args);
        } finally {
            outWriter.flush();
            errWriter.flush();
        }
    }

    /** The configured picocli command line with every sub-command, writing to {@code out} and {@code err}. */
    static CommandLine commandLine(PrintWriter out, PrintWriter err) {
        return commandLine(out, err, new String[0]);
    }

    /**
     * The configured picocli command line for {@code args}: with only the sub-command they name
     * when they name one (picocli builds each sub-command's model by reflection, a good part of
     * start-up), else with all of them (help, typos, a missing command).
     */
    static CommandLine commandLine(PrintWriter out, PrintWriter err, String[] args) {
        CommandLine cl = new CommandLine(new OrchestratorCli());
        String named = namedSubcommand(args);
        OrchestratorCli.SUBCOMMANDS.forEach((name, create) -> {
            if (named == null || named.equals(name)) {
                cl.addSubcommand(name, create.get());
            }
        });
        cl.setOut(out);
        cl.setErr(err);
        cl.setCaseInsensitiveEnumValuesAllowed(true);
        cl.setUsageHelpAutoWidth(true);
        cl.setParameterExceptionHandler(parameterErrors());
        cl.setExecutionExceptionHandler(executionErrors());
        return cl;
    }

    private static IParameterExceptionHandler parameterErrors() {
        return (ex, args) -> {
            CommandLine cl = ex.getCommandLine();
            PrintWriter err = cl.getErr();
            err.println("error: " + describe(ex) + " (see '" + cl.getCommandSpec().qualifiedName() + " --help')");
            if (isVerbose(args)) {
                ex.printStackTrace(err);
            }
            err.flush();
            return ExitCodes.BAD_INPUT;
        };
    }

    private static String describe(ParameterException ex) {
        if (ex instanceof UnmatchedArgumentException u && !u.isUnknownOption()
                && !u.getCommandLine().getSubcommands().isEmpty() && !u.getUnmatched().isEmpty()) {
            String first = u.getUnmatched().getFirst();
            List<String> suggestions = u.getSuggestions().isEmpty()
                    ? similar(first, u.getCommandLine().getSubcommands().keySet()) : u.getSuggestions();
            return "unknown command '" + first + "'"
                    + (suggestions.isEmpty() ? "; commands: " + String.join(", ", u.getCommandLine().getSubcommands().keySet())
                    : "; did you mean " + String.join(" or ", suggestions.stream().map(s -> "'" + s + "'").toList()) + "?");
        }
        if (ex instanceof UnmatchedArgumentException u && u.isUnknownOption()) {
            List<String> suggestions = u.getSuggestions();
            String msg = Errors.oneLine(u.getMessage());
            return suggestions.isEmpty() ? msg : msg + "; did you mean " + String.join(" or ", suggestions) + "?";
        }
        return Errors.message(ex);
    }

    /** Names within two edits of {@code word}: the commands a typo most likely meant. */
    static List<String> similar(String word, java.util.Collection<String> names) {
        return names.stream().filter(n -> distance(word.toLowerCase(java.util.Locale.ROOT), n) <= 2).toList();
    }

    private static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }

    private static IExecutionExceptionHandler executionErrors() {
        return (ex, cl, parseResult) -> {
            PrintWriter err = cl.getErr();
            OrchestratorCli root = cl.getCommandSpec().root().userObject() instanceof OrchestratorCli r ? r : null;
            String db = root != null ? root.db : null;
            boolean verbose = root != null && root.verbose;
            int code = Errors.exitCode(ex);
            String message = Redact.text(Errors.message(ex), db);
            if (!(ex instanceof CliException) && code == ExitCodes.STORE_UNREACHABLE) {
                message = "lost the database at " + Redact.url(db) + ": " + Redact.text(Errors.rootMessage(ex), db);
            }
            err.println("error: " + message);
            if (verbose) {
                ex.printStackTrace(err);
            }
            err.flush();
            return code;
        };
    }

    /**
     * The sub-command {@code args} name: their first argument that is not an option or an option's
     * value, if it is a sub-command and no root-level help or version option comes before it;
     * else {@code null}.
     */
    static String namedSubcommand(String[] args) {
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            switch (a) {
                case "--db", "--log-dir" -> i++;
                case "-h", "--help", "-V", "--version" -> {
                    return null;
                }
                default -> {
                    if (!a.startsWith("-")) {
                        return OrchestratorCli.SUBCOMMANDS.containsKey(a) ? a : null;
                    }
                }
            }
        }
        return null;
    }

    /** Whether the command's database is SQLite: {@code --db}, else {@code $ORCHESTRATOR_DB}, else the default file. */
    static boolean usesSqlite(String[] args) {
        String db = null;
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--db") && i + 1 < args.length) {
                db = args[i + 1];
            } else if (args[i].startsWith("--db=")) {
                db = args[i].substring("--db=".length());
            }
        }
        if (db == null) {
            db = System.getenv("ORCHESTRATOR_DB");
        }
        return db == null || db.isBlank() || db.startsWith("jdbc:sqlite:");
    }

    private static boolean isVerbose(String[] args) {
        return Arrays.asList(args).contains("--verbose") || Arrays.asList(args).contains("-v");
    }

    /**
     * Sets slf4j-simple defaults before the first logger exists, unless the user set them:
     * library logs at WARN (INFO for {@code serve}), connection-pool noise off, everything at
     * DEBUG with {@code --verbose}.
     */
    static void configureLogging(String[] args) {
        List<String> list = Arrays.asList(args);
        boolean verbose = isVerbose(args);
        boolean serve = list.contains("serve");
        setIfAbsent("org.slf4j.simpleLogger.logFile", "System.err");
        setIfAbsent("org.slf4j.simpleLogger.defaultLogLevel", verbose ? "info" : "warn");
        setIfAbsent("org.slf4j.simpleLogger.log.dev.orchestrator", verbose ? "debug" : serve ? "info" : "warn");
        if (!verbose) {
            // HikariCP logs a failed first connection at ERROR with a stack trace; the CLI reports it in one line.
            setIfAbsent("org.slf4j.simpleLogger.log.com.zaxxer.hikari", "off");
            setIfAbsent("org.slf4j.simpleLogger.log.org.flywaydb", "warn");
            setIfAbsent("org.slf4j.simpleLogger.log.org.jooq", "warn");
        }
        // jOOQ's open-source edition warns on every connection to a PostgreSQL it calls "older than
        // the dialect supports" (15 and the like); the store's statements work there, so it is noise.
        setIfAbsent("org.slf4j.simpleLogger.log.org.jooq.impl.DefaultExecuteContext.logVersionSupport", "error");
        setIfAbsent("org.slf4j.simpleLogger.showDateTime", "true");
        setIfAbsent("org.slf4j.simpleLogger.dateTimeFormat", "yyyy-MM-dd HH:mm:ss.SSS");
        // jOOQ prints a logo and tips on first use.
        setIfAbsent("org.jooq.no-logo", "true");
        setIfAbsent("org.jooq.no-tips", "true");
    }

    private static void setIfAbsent(String key, String value) {
        if (System.getProperty(key) == null) {
            System.setProperty(key, value);
        }
    }
}
