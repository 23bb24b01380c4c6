package dev.orchestrator.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** One in-process run of the CLI: exit code and captured output. */
record CliResult(int code, String out, String err) {

    /** Runs {@code args} through {@link Main#run}, capturing stdout and stderr. */
    static CliResult run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code;
        try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
             PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
            code = Main.run(args, o, e);
        }
        return new CliResult(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /** The first number after {@code "run "} in stdout: the run id printed by {@code run trigger}. */
    long runId() {
        Matcher m = Pattern.compile("\\brun (\\d+)").matcher(out);
        if (!m.find()) {
            throw new AssertionError("no run id in output:\n" + this);
        }
        return Long.parseLong(m.group(1));
    }

    /** Whether stderr holds a stack trace. */
    boolean hasStackTrace() {
        return err.contains("\tat ") || err.contains("Exception in thread") || err.contains("Caused by:");
    }

    @Override
    public String toString() {
        return "exit " + code + "\n--- stdout ---\n" + out + "--- stderr ---\n" + err;
    }
}
