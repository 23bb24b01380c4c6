package dev.orchestrator.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/**
 * Drives the CLI end to end against one database: register, trigger with {@code --wait}, list,
 * show, logs, a failing workflow from a YAML file, {@code serve} with {@code run watch}, and the
 * not-found exit codes. Subclasses supply the database URL.
 */
abstract class CliEndToEndTestBase {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    /** A JDBC URL of an empty database for this test. */
    protected abstract String dbUrl();

    /** Runs the CLI on this test's database and log directory. */
    CliResult cli(String... args) {
        List<String> all = new ArrayList<>(List.of("--db", dbUrl(), "--log-dir", dir.resolve("logs").toString()));
        all.addAll(List.of(args));
        return CliResult.run(all.toArray(String[]::new));
    }

    CliResult ok(String... args) {
        CliResult r = cli(args);
        assertThat(r.code()).as("%s", r).isZero();
        assertThat(r.hasStackTrace()).as("%s", r).isFalse();
        return r;
    }

    static JsonNode json(CliResult r) throws Exception {
        return JSON.readTree(r.out());
    }

    @Test
    void runsAreCancelledRetriedRerunAndWorkflowsPaused() throws Exception {
        ok("workflow", "create", "slow", "--tasks", "3", "--", "/bin/sleep", "600");
        long slow = ok("run", "trigger", "slow").runId();
        assertThat(ok("run", "cancel", String.valueOf(slow)).out())
                .contains("run " + slow + " cancelled: 3 tasks that had not started cancelled").contains("CANCELLED");
        assertThat(ok("run", "show", String.valueOf(slow)).out()).contains("CANCELLED");
        assertThat(ok("run", "cancel", String.valueOf(slow)).out()).contains("had already ended CANCELLED; nothing changed");
        assertThat(cli("run", "cancel", "9999").code()).isEqualTo(ExitCodes.NOT_FOUND);

        Path marker = dir.resolve("fixed");
        ok("workflow", "create", "flaky", "--", "/bin/sh", "-c", "[ -e " + marker + " ] || exit 1");
        CliResult failed = cli("run", "trigger", "flaky", "--wait", "--timeout", "60s");
        assertThat(failed.code()).as("%s", failed).isEqualTo(ExitCodes.RUN_FAILED);
        long flaky = failed.runId();
        Files.writeString(marker, "");
        assertThat(ok("run", "retry", String.valueOf(flaky)).out()).contains("1 task will run again");
        // --wait also executes the retried run, which waits in the same database.
        CliResult rerun = ok("run", "trigger", "--rerun-of", String.valueOf(flaky), "--wait", "--timeout", "60s");
        assertThat(rerun.out()).contains("SUCCEEDED");
        assertThat(rerun.runId()).isNotEqualTo(flaky);
        assertThat(ok("run", "show", String.valueOf(flaky)).out()).contains("SUCCEEDED");

        assertThat(ok("workflow", "pause", "flaky").out()).contains("workflow 'flaky' paused");
        CliResult refused = cli("run", "trigger", "flaky");
        assertThat(refused.code()).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(refused.err()).contains("workflow 'flaky' is paused");
        assertThat(ok("workflow", "resume", "flaky").out()).contains("workflow 'flaky' resumed");
        ok("run", "trigger", "flaky");
    }

    @Test
    void fiftyProcessTasksSucceedAndAreListedShownAndLogged() throws Exception {
        CliResult created = ok("workflow", "create", "hello", "--tasks", "50", "--timeout", "30s", "--", "/bin/echo", "hello");
        assertThat(created.out()).contains("workflow 'hello' version 1").contains("50 tasks per run");

        assertThat(ok("workflow", "list").out()).containsPattern("hello\\s+1\\s+1\\s+50");
        JsonNode workflows = json(ok("workflow", "list", "--json"));
        assertThat(workflows.isArray()).isTrue();
        assertThat(workflows.get(0).get("name").asText()).isEqualTo("hello");
        assertThat(workflows.get(0).get("totalTasks").asInt()).isEqualTo(50);

        assertThat(ok("workflow", "show", "hello").out()).contains("/bin/echo hello").contains("timeout:   30s");
        JsonNode shown = json(ok("workflow", "show", "hello", "--json"));
        assertThat(shown.get("steps").get(0).get("command").toString()).isEqualTo("[\"/bin/echo\",\"hello\"]");
        assertThat(shown.get("steps").get(0).get("tasks").asInt()).isEqualTo(50);
        assertThat(shown.get("steps").get(0).get("timeout").asText()).isEqualTo("30s");

        CliResult triggered = ok("run", "trigger", "hello", "--wait", "--timeout", "60s", "--param", "color=blue");
        assertThat(triggered.out()).contains("SUCCEEDED").contains("50 total, 50 succeeded, 0 failed");
        long runId = triggered.runId();

        assertThat(ok("run", "list").out()).containsPattern(runId + "\\s+hello\\s+1\\s+SUCCEEDED\\s+50/50\\s+0");
        JsonNode runs = json(ok("run", "list", "--workflow", "hello", "--status", "succeeded", "--json"));
        assertThat(runs.size()).isEqualTo(1);
        assertThat(runs.get(0).get("id").asLong()).isEqualTo(runId);
        assertThat(runs.get(0).get("succeeded").asInt()).isEqualTo(50);
        assertThat(runs.get(0).get("parameters").get("color").asText()).isEqualTo("blue");
        assertThat(json(ok("run", "list", "--status", "FAILED", "--json")).size()).isZero();

        assertThat(ok("run", "show", String.valueOf(runId)).out())
                .contains("run " + runId).contains("SUCCEEDED").contains("50 succeeded").contains("color=blue");
        JsonNode show = json(ok("run", "show", String.valueOf(runId), "--json"));
        assertThat(show.get("run").get("status").asText()).isEqualTo("SUCCEEDED");
        assertThat(show.get("run").get("finishedAt").asText()).isNotBlank();
        assertThat(show.get("failedTasks").asInt()).isZero();
        assertThat(show.get("steps").get("main").get("SUCCEEDED").asInt()).isEqualTo(50);

        CliResult tasks = ok("task", "list", String.valueOf(runId));
        assertThat(tasks.out().lines().count()).isEqualTo(51);
        JsonNode taskJson = json(ok("task", "list", String.valueOf(runId), "--json"));
        assertThat(taskJson.size()).isEqualTo(50);
        taskJson.forEach(t -> assertThat(t.get("status").asText()).isEqualTo("SUCCEEDED"));

        CliResult logs = ok("task", "logs", String.valueOf(runId), "7");
        assertThat(logs.out()).isEqualTo("hello\n");
        assertThat(ok("task", "logs", String.valueOf(runId), "7", "--attempt", "1").out()).isEqualTo("hello\n");
        assertThat(cli("task", "logs", String.valueOf(runId), "7", "--attempt", "2").code()).isEqualTo(ExitCodes.NOT_FOUND);
        assertThat(cli("task", "logs", String.valueOf(runId), "50").code()).isEqualTo(ExitCodes.NOT_FOUND);

        CliResult watched = ok("run", "watch", String.valueOf(runId));
        assertThat(watched.out()).contains("SUCCEEDED").contains("50 done, 0 failed");

        // the log file is gone: the stored tail is shown, with a note on stderr
        try (var files = Files.walk(dir.resolve("logs"))) {
            for (Path p : files.filter(Files::isRegularFile).toList()) {
                Files.delete(p);
            }
        }
        CliResult tail = ok("task", "logs", String.valueOf(runId), "3");
        assertThat(tail.out()).isEqualTo("hello\n");
        assertThat(tail.err()).contains("note:").contains("not available");

        // re-registering the same spec keeps the version; a changed one makes version 2
        assertThat(ok("workflow", "create", "hello", "--tasks", "50", "--timeout", "30s", "--", "/bin/echo", "hello").out())
                .contains("version 1");
        assertThat(ok("workflow", "create", "hello", "--tasks", "5", "--", "/bin/echo", "hi").out()).contains("version 2");
    }

    @Test
    void failingWorkflowFromYamlIsReportedWithErrorAndTail() throws Exception {
        Path file = dir.resolve("boom.yaml");
        Files.writeString(file, """
                name: boom
                maxConcurrentRuns: 2
                concurrencyPolicy: refuse
                steps:
                  - name: prepare
                    command: [/bin/echo, ready]
                  - name: explode
                    command: [/bin/sh, -c, "echo boom; exit 3"]
                    tasks: 3
                    maxConcurrentTasks: 2
                    env:
                      SOMETHING: "1"
                    timeout: 1m
                    dependsOn: [prepare]
                """);
        assertThat(ok("workflow", "create", "--file", file.toString()).out())
                .contains("workflow 'boom' version 1: 2 steps, 4 tasks per run");
        JsonNode shown = json(ok("workflow", "show", "boom", "--json"));
        assertThat(shown.get("maxConcurrentRuns").asInt()).isEqualTo(2);
        assertThat(shown.get("concurrencyPolicy").asText()).isEqualTo("REFUSE");
        assertThat(shown.get("steps").get(1).get("maxConcurrentTasks").asInt()).isEqualTo(2);

        CliResult failed = cli("run", "trigger", "boom", "--wait", "--timeout", "60s");
        assertThat(failed.code()).as("%s", failed).isEqualTo(ExitCodes.RUN_FAILED);
        assertThat(failed.hasStackTrace()).isFalse();
        assertThat(failed.out())
                .contains("FAILED")
                .contains("4 total, 1 succeeded, 3 failed")
                .contains("failed tasks (3)")
                .contains("explode[0] attempt 1, exit code 3")
                .contains("| boom");
        long runId = failed.runId();

        JsonNode show = json(ok("run", "show", String.valueOf(runId), "--json"));
        assertThat(show.get("run").get("status").asText()).isEqualTo("FAILED");
        assertThat(show.get("failedTasks").asInt()).isEqualTo(3);
        JsonNode first = show.get("failures").get(0);
        assertThat(first.get("exitCode").asInt()).isEqualTo(3);
        assertThat(first.get("error").asText()).isNotBlank();
        assertThat(first.get("outputTail").asText()).contains("boom");

        assertThat(json(ok("task", "list", String.valueOf(runId), "--status", "failed", "--json")).size()).isEqualTo(3);

        CliResult ambiguous = cli("task", "logs", String.valueOf(runId), "0");
        assertThat(ambiguous.code()).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(ambiguous.err()).contains("several steps").contains("--step");
        assertThat(ok("task", "logs", String.valueOf(runId), "2", "--step", "explode").out()).isEqualTo("boom\n");
        assertThat(ok("task", "logs", String.valueOf(runId), "0", "--step", "prepare").out()).isEqualTo("ready\n");

        CliResult watched = cli("run", "watch", String.valueOf(runId));
        assertThat(watched.code()).isEqualTo(ExitCodes.RUN_FAILED);
        assertThat(watched.out()).contains("3 failed");
    }

    @Test
    void serveExecutesRunsTriggeredWithoutWaitAndKeysAreIdempotent() throws Exception {
        ok("workflow", "create", "later", "--tasks", "10", "--", "/bin/echo", "later");
        CliResult triggered = ok("run", "trigger", "later", "--key", "nightly-1");
        assertThat(triggered.out()).contains("triggered run").contains("orchestrator serve");
        long runId = triggered.runId();
        CliResult again = ok("run", "trigger", "later", "--key", "nightly-1", "--json");
        assertThat(json(again).get("id").asLong()).isEqualTo(runId);
        assertThat(json(ok("run", "show", String.valueOf(runId), "--json")).get("run").get("status").asText())
                .isEqualTo("PENDING");

        Thread[] serveThread = new Thread[1];
        CompletableFuture<CliResult> serve = new CompletableFuture<>();
        serveThread[0] = Thread.ofPlatform().name("cli-serve").start(() -> {
            try {
                serve.complete(cli("serve", "--poll", "200ms", "--max-concurrency", "8", "--shutdown-timeout", "5s"));
            } catch (Throwable t) {
                serve.completeExceptionally(t);
            }
        });
        try {
            CliResult watched = assertTimeoutPreemptively(Duration.ofSeconds(30),
                    () -> cli("run", "watch", String.valueOf(runId), "--interval", "100ms"));
            assertThat(watched.code()).as("%s", watched).isZero();
            assertThat(watched.out()).contains("SUCCEEDED").contains("10 done, 0 failed, 0 running of 10");
        } finally {
            serveThread[0].interrupt();
        }
        CliResult served = serve.get(30, TimeUnit.SECONDS);
        assertThat(served.code()).as("%s", served).isZero();
        assertThat(served.out()).contains("serving").contains("stopped");
        assertThat(served.out()).doesNotContain("password=").doesNotContainPattern("password=(?!\\*\\*\\*)");
    }

    @Test
    void waitThatTimesOutExitsWithFiveAndTheRunGoesOn() throws Exception {
        ok("workflow", "create", "slow", "--", "/bin/sleep", "1");
        CliResult r = cli("run", "trigger", "slow", "--wait", "--timeout", "100ms");
        assertThat(r.code()).as("%s", r).isEqualTo(ExitCodes.TIMED_OUT);
        assertThat(r.hasStackTrace()).isFalse();
        assertThat(r.err()).contains("did not end within").contains("orchestrator run watch");
        long runId = r.runId();
        JsonNode run = json(ok("run", "list", "--workflow", "slow", "--json")).get(0);
        assertThat(run.get("id").asLong()).isEqualTo(runId);
    }

    @Test
    void missingThingsExitWithNotFound() {
        for (String[] args : List.of(
                new String[] {"workflow", "show", "nope"},
                new String[] {"workflow", "delete", "nope"},
                new String[] {"run", "trigger", "nope", "--wait"},
                new String[] {"run", "show", "987654"},
                new String[] {"run", "watch", "987654"},
                new String[] {"task", "list", "987654"},
                new String[] {"task", "logs", "987654", "0"})) {
            CliResult r = cli(args);
            assertThat(r.code()).as("%s -> %s", String.join(" ", args), r).isEqualTo(ExitCodes.NOT_FOUND);
            assertThat(r.err().strip()).as("%s", r).startsWith("error: ").doesNotContain("\n");
            assertThat(r.hasStackTrace()).isFalse();
        }
        ok("workflow", "create", "short-lived", "--", "/bin/true");
        assertThat(ok("workflow", "delete", "short-lived").out()).contains("deleted");
        assertThat(cli("workflow", "show", "short-lived").code()).isEqualTo(ExitCodes.NOT_FOUND);
        assertThat(cli("run", "trigger", "short-lived").code()).isEqualTo(ExitCodes.NOT_FOUND);
        assertThat(ok("workflow", "list").out()).doesNotContain("short-lived");
    }

    @Test
    void schedulesAreCreatedListedShownPausedResumedDeletedAndFiredByServe() throws Exception {
        ok("workflow", "create", "tick", "--", "/bin/true");
        CliResult created = ok("schedule", "create", "every-second", "--workflow", "tick", "--cron", "*/1 * * * * *",
                "--param", "color=blue", "--misfire", "run_once");
        assertThat(created.out()).contains("schedule 'every-second' created").contains("next fire");
        ok("schedule", "create", "nightly", "-w", "tick", "-c", "30 2 * * *", "--zone", "Europe/Berlin");

        assertThat(ok("schedule", "list").out()).containsPattern("every-second\\s+tick\\s+\\*/1 \\* \\* \\* \\* \\*\\s+UTC\\s+active")
                .containsPattern("nightly\\s+tick\\s+30 2 \\* \\* \\*\\s+Europe/Berlin\\s+active");
        JsonNode list = json(ok("schedule", "list", "--json"));
        assertThat(list.size()).isEqualTo(2);
        assertThat(list.get(0).get("name").asText()).isEqualTo("every-second");
        assertThat(list.get(0).get("misfire").asText()).isEqualTo("RUN_ONCE");
        assertThat(list.get(0).get("parameters").get("color").asText()).isEqualTo("blue");

        assertThat(ok("schedule", "show", "nightly").out()).contains("cron:      30 2 * * *").contains("Europe/Berlin")
                .contains("upcoming:");
        JsonNode shown = json(ok("schedule", "show", "nightly", "--upcoming", "3", "--json"));
        assertThat(shown.get("upcoming").size()).isEqualTo(3);
        assertThat(shown.get("upcoming").get(0).asText()).endsWith(":30:00Z");

        assertThat(ok("schedule", "pause", "nightly").out()).contains("paused");
        assertThat(json(ok("schedule", "show", "nightly", "--json")).get("paused").asBoolean()).isTrue();
        assertThat(ok("schedule", "resume", "nightly").out()).contains("resumed; next fire");
        assertThat(ok("schedule", "delete", "nightly").out()).contains("deleted");
        for (String[] args : List.of(new String[] {"schedule", "show", "nightly"}, new String[] {"schedule", "pause", "nightly"},
                new String[] {"schedule", "resume", "nightly"}, new String[] {"schedule", "delete", "nightly"})) {
            assertThat(cli(args).code()).as(String.join(" ", args)).isEqualTo(ExitCodes.NOT_FOUND);
        }

        // bad input: a clear error quoting the text, exit 1, nothing written
        for (String[] args : List.of(
                new String[] {"schedule", "create", "bad", "-w", "tick", "-c", "61 * * * *"},
                new String[] {"schedule", "create", "bad", "-w", "tick", "-c", "* * *"},
                new String[] {"schedule", "create", "bad", "-w", "tick", "-c", "0 3 * * *", "--zone", "Mars/Base"},
                new String[] {"schedule", "create", "bad", "-w", "no-such-workflow", "-c", "0 3 * * *"},
                new String[] {"schedule", "create", "bad", "-w", "tick", "-c", "0 3 * * *", "--start",
                        "2026-02-01T00:00:00Z", "--end", "2026-01-01T00:00:00Z"},
                new String[] {"schedule", "create", "every-second", "-w", "tick", "-c", "0 3 * * *"})) {
            CliResult r = cli(args);
            assertThat(r.code()).as("%s -> %s", String.join(" ", args), r).isEqualTo(ExitCodes.BAD_INPUT);
            assertThat(r.err().strip()).startsWith("error: ").doesNotContain("\n");
            assertThat(r.hasStackTrace()).isFalse();
        }
        assertThat(cli("schedule", "create", "bad", "-w", "tick", "-c", "61 * * * *").err()).contains("'61 * * * *'");
        assertThat(cli("schedule", "create", "bad", "-w", "no-such-workflow", "-c", "0 3 * * *").err())
                .contains("'no-such-workflow'");
        assertThat(cli("schedule", "create", "every-second", "-w", "tick", "-c", "0 3 * * *").err())
                .contains("'every-second' already exists");
        assertThat(json(ok("schedule", "list", "--json")).size()).isEqualTo(1);

        // a serve in the background fires it: runs triggered by the schedule appear
        Thread[] serveThread = new Thread[1];
        CompletableFuture<CliResult> serve = new CompletableFuture<>();
        serveThread[0] = Thread.ofPlatform().name("cli-serve").start(() -> {
            try {
                serve.complete(cli("serve", "--poll", "200ms", "--max-concurrency", "4", "--shutdown-timeout", "5s"));
            } catch (Throwable t) {
                serve.completeExceptionally(t);
            }
        });
        try {
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            JsonNode last;
            do {
                Thread.sleep(100); // polling a condition with a deadline
                last = json(ok("schedule", "show", "every-second", "--json"));
            } while ((last.get("lastRunId").isNull() || json(ok("run", "list", "--workflow", "tick", "--json")).size() < 2)
                    && System.nanoTime() < deadline);
            // a schedule created by another process while serve runs is picked up by its short poll
            ok("schedule", "create", "late", "-w", "tick", "-c", "*/1 * * * * *");
            do {
                Thread.sleep(100); // polling a condition with a deadline
                last = json(ok("schedule", "show", "late", "--json"));
            } while (last.get("lastRunId").isNull() && System.nanoTime() < deadline);
            assertThat(last.get("lastRunId").isNull()).as("the serve fired 'late'").isFalse();
            ok("schedule", "delete", "late");
            JsonNode runs = json(ok("run", "list", "--workflow", "tick", "--json"));
            assertThat(runs.size()).isGreaterThanOrEqualTo(2);
            runs.forEach(r -> {
                assertThat(r.get("triggeredBy").asText()).isIn("schedule:every-second", "schedule:late");
                if (r.get("triggeredBy").asText().equals("schedule:every-second")) {
                    assertThat(r.get("parameters").get("color").asText()).isEqualTo("blue");
                }
            });
        } finally {
            serveThread[0].interrupt();
        }
        CliResult served = serve.get(30, TimeUnit.SECONDS);
        assertThat(served.code()).as("%s", served).isZero();
    }
}
