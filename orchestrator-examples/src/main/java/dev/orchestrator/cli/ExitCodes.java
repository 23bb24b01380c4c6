package dev.orchestrator.cli;

/**
 * Exit codes of the {@code orchestrator} command, listed in the footer of {@code --help}.
 * Scripts may rely on them.
 */
public final class ExitCodes {

    /** The command did what it was asked; a waited-for or watched run succeeded. */
    public static final int OK = 0;
    /** Usage error or bad input: unknown command or option, invalid value, invalid workflow file. */
    public static final int BAD_INPUT = 1;
    /** A waited-for or watched run ended FAILED or CANCELLED. */
    public static final int RUN_FAILED = 2;
    /** The database could not be reached or opened. */
    public static final int STORE_UNREACHABLE = 3;
    /** The named workflow, run, task or attempt does not exist. */
    public static final int NOT_FOUND = 4;
    /** {@code --wait} timed out before the run ended (the run goes on). */
    public static final int TIMED_OUT = 5;
    /** Interrupted (Ctrl-C) while waiting. */
    public static final int INTERRUPTED = 130;

    /** The footer printed by {@code --help}. */
    static final String HELP_FOOTER = """

            Exit codes:
              0    ok (a waited-for or watched run SUCCEEDED)
              1    usage error or bad input
              2    the run FAILED or was CANCELLED
              3    the database cannot be reached
              4    workflow, run, task or attempt not found
              5    --wait timed out (the run goes on)
              130  interrupted""";

    private ExitCodes() {
    }
}
