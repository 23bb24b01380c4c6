package dev.orchestrator.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** Usage errors, bad workflow files and unreachable databases: one line on stderr, the right exit code, no stack trace. */
class CliBadInputTest {

    @TempDir
    Path dir;

    private String db() {
        return "jdbc:sqlite:" + dir.resolve("bad-input.db");
    }

    private static void assertOneLineError(CliResult r, int code) {
        assertThat(r.code()).as("%s", r).isEqualTo(code);
        assertThat(r.hasStackTrace()).as("%s", r).isFalse();
        assertThat(r.err().strip()).as("%s", r).startsWith("error: ").doesNotContain("\n");
        assertThat(r.out()).as("%s", r).isEmpty();
    }

    @Test
    void unknownCommandIsAUsageError() {
        CliResult r = CliResult.run("frobnicate");
        assertOneLineError(r, ExitCodes.BAD_INPUT);
        assertThat(r.err()).contains("unknown command 'frobnicate'").contains("orchestrator --help");

        CliResult sub = CliResult.run("workflow", "lsit");
        assertOneLineError(sub, ExitCodes.BAD_INPUT);
        assertThat(sub.err()).contains("unknown command 'lsit'").contains("'list'");
    }

    @Test
    void unknownFlagIsAUsageError() {
        CliResult r = CliResult.run("--db", db(), "workflow", "create", "x", "--bogus", "--", "/bin/echo");
        assertOneLineError(r, ExitCodes.BAD_INPUT);
        assertThat(r.err()).contains("Unknown option: '--bogus'").contains("orchestrator workflow create --help");
    }

    @Test
    void missingCommandAndBadValuesAreUsageErrors() {
        assertOneLineError(CliResult.run(), ExitCodes.BAD_INPUT);
        assertOneLineError(CliResult.run("run"), ExitCodes.BAD_INPUT);
        CliResult duration = CliResult.run("--db", db(), "workflow", "create", "x", "--timeout", "5x", "--", "/bin/true");
        assertOneLineError(duration, ExitCodes.BAD_INPUT);
        assertThat(duration.err()).contains("invalid duration '5x'").contains("30s");
        CliResult status = CliResult.run("--db", db(), "run", "list", "--status", "DONE");
        assertOneLineError(status, ExitCodes.BAD_INPUT);
        assertThat(status.err()).contains("SUCCEEDED");
        CliResult tasks = CliResult.run("--db", db(), "workflow", "create", "x", "--tasks", "0", "--", "/bin/true");
        assertOneLineError(tasks, ExitCodes.BAD_INPUT);
        assertThat(tasks.err()).contains("taskCount must be between 1 and 10000, got 0");
        CliResult noCommand = CliResult.run("--db", db(), "workflow", "create", "x");
        assertOneLineError(noCommand, ExitCodes.BAD_INPUT);
        assertThat(noCommand.err()).contains("command");
    }

    @Test
    void helpAndVersionExitZero() {
        CliResult help = CliResult.run("--help");
        assertThat(help.code()).isZero();
        assertThat(help.out()).contains("workflow").contains("serve").contains("Exit codes:").contains("database cannot be reached");
        for (String[] args : new String[][] {{"workflow", "create", "--help"}, {"run", "trigger", "--help"},
                {"run", "watch", "--help"}, {"task", "logs", "--help"}, {"serve", "--help"}}) {
            CliResult r = CliResult.run(args);
            assertThat(r.code()).as("%s", r).isZero();
            assertThat(r.out()).contains("Usage: orchestrator " + args[0]);
        }
        CliResult version = CliResult.run("--version");
        assertThat(version.code()).isZero();
        assertThat(version.out()).startsWith("orchestrator ");
    }

    @Test
    void workflowFileWithUnknownFieldNamesLineAndField() throws Exception {
        Path yaml = dir.resolve("wf.yaml");
        Files.writeString(yaml, """
                name: typo
                steps:
                  - name: one
                    comand: [/bin/echo, hi]
                """);
        CliResult r = CliResult.run("--db", db(), "workflow", "create", "--file", yaml.toString());
        assertOneLineError(r, ExitCodes.BAD_INPUT);
        assertThat(r.err()).contains("wf.yaml").contains("line 4").contains("unknown field 'comand'")
                .contains("steps[0]").contains("command");
    }

    @Test
    void workflowFileWithWrongTypeNamesLineAndField() throws Exception {
        Path json = dir.resolve("wf.json");
        Files.writeString(json, """
                {
                  "name": "typed",
                  "steps": [
                    {"name": "one", "command": ["/bin/echo"],
                     "tasks": "many"}
                  ]
                }
                """);
        CliResult r = CliResult.run("--db", db(), "workflow", "create", "--file", json.toString());
        assertOneLineError(r, ExitCodes.BAD_INPUT);
        assertThat(r.err()).contains("wf.json").contains("line 5").contains("steps[0].tasks").contains("integer");

        Path duration = dir.resolve("d.yaml");
        Files.writeString(duration, """
                name: d
                steps:
                  - name: one
                    command: [/bin/true]
                    timeout: soon
                """);
        CliResult d = CliResult.run("--db", db(), "workflow", "create", "--file", duration.toString());
        assertOneLineError(d, ExitCodes.BAD_INPUT);
        assertThat(d.err()).contains("line 5").contains("steps[0].timeout").contains("invalid duration 'soon'");

        Path cycle = dir.resolve("cycle.yaml");
        Files.writeString(cycle, """
                name: c
                steps:
                  - {name: a, command: [/bin/true], dependsOn: [b]}
                  - {name: b, command: [/bin/true], dependsOn: [a]}
                """);
        CliResult c = CliResult.run("--db", db(), "workflow", "create", "--file", cycle.toString());
        assertOneLineError(c, ExitCodes.BAD_INPUT);
        assertThat(c.err()).contains("cycle");

        CliResult missing = CliResult.run("--db", db(), "workflow", "create", "--file", dir.resolve("nope.yaml").toString());
        assertOneLineError(missing, ExitCodes.BAD_INPUT);
        assertThat(missing.err()).contains("no such file");
    }

    @Test
    void unreachableDatabaseIsReportedWithoutPassword() {
        String url = "jdbc:postgresql://127.0.0.1:1/test?user=someone&password=s3cr3t-pw&connectTimeout=2";
        CliResult r = CliResult.run("--db", url, "workflow", "list");
        assertOneLineError(r, ExitCodes.STORE_UNREACHABLE);
        assertThat(r.err()).contains("cannot reach the database at jdbc:postgresql://127.0.0.1:1/test")
                .contains("password=***&connectTimeout=2: ").doesNotContain("s3cr3t-pw");
    }

    @Test
    void verboseShowsTheStackTrace() {
        String url = "jdbc:postgresql://127.0.0.1:1/test?user=someone&password=s3cr3t-pw&connectTimeout=2";
        CliResult r = CliResult.run("--verbose", "--db", url, "run", "list");
        assertThat(r.code()).isEqualTo(ExitCodes.STORE_UNREACHABLE);
        assertThat(r.hasStackTrace()).as("%s", r).isTrue();
        assertThat(r.err()).startsWith("error: cannot reach the database");
    }

    @Test
    void unsupportedDatabaseUrlIsBadInput() {
        CliResult r = CliResult.run("--db", "jdbc:nosuchdb://x?password=hunter22", "workflow", "list");
        assertOneLineError(r, ExitCodes.BAD_INPUT);
        assertThat(r.err()).doesNotContain("hunter22");
    }
}
