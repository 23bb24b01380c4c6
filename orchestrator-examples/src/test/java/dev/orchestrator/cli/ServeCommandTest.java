package dev.orchestrator.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/** {@code orchestrator serve --http}: the address syntax, and the dashboard beside the scheduler. */
class ServeCommandTest {

    @TempDir
    Path dir;

    @Test
    void httpAddressesDefaultToLoopback() {
        assertThat(ServeCommand.HttpAddress.parse(":8080")).isEqualTo(new ServeCommand.HttpAddress("127.0.0.1", 8080));
        assertThat(ServeCommand.HttpAddress.parse("9000")).isEqualTo(new ServeCommand.HttpAddress("127.0.0.1", 9000));
        assertThat(ServeCommand.HttpAddress.parse("0.0.0.0:80")).isEqualTo(new ServeCommand.HttpAddress("0.0.0.0", 80));
        assertThat(ServeCommand.HttpAddress.parse("[::1]:81")).isEqualTo(new ServeCommand.HttpAddress("::1", 81));
        assertThatThrownBy(() -> ServeCommand.HttpAddress.parse(":http"))
                .isInstanceOf(CliException.class).hasMessageContaining("--http must be [<host>]:<port>");
        assertThatThrownBy(() -> ServeCommand.HttpAddress.parse(":70000")).isInstanceOf(CliException.class);
    }

    @Test
    void aBadHttpValueIsBadInput() {
        CliResult r = CliResult.run("--db", "jdbc:sqlite:" + dir.resolve("o.db"), "serve", "--http", "nope:x");
        assertThat(r.code()).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(r.err()).contains("--http must be");
    }

    @Test
    void serveWithHttpServesTheDashboardBesideTheScheduler() throws Exception {
        String db = "jdbc:sqlite:" + dir.resolve("o.db");
        int port;
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
        CliResult created = CliResult.run("--db", db, "workflow", "create", "hi", "--tasks", "3", "--", "/bin/echo", "hi");
        assertThat(created.code()).as("%s", created).isZero();
        long runId = CliResult.run("--db", db, "run", "trigger", "hi", "--key", "serve-http-1").runId();

        CompletableFuture<CliResult> serve = new CompletableFuture<>();
        Thread thread = Thread.ofPlatform().name("cli-serve-http").start(() -> {
            try {
                serve.complete(CliResult.run("--db", db, "--log-dir", dir.resolve("logs").toString(), "serve",
                        "--poll", "200ms", "--shutdown-timeout", "5s", "--http", "127.0.0.1:" + port));
            } catch (Throwable t) {
                serve.completeExceptionally(t);
            }
        });
        try {
            // the dashboard starts before the scheduler, so once the run has ended it is up
            CliResult watched = assertTimeoutPreemptively(Duration.ofSeconds(30),
                    () -> CliResult.run("--db", db, "run", "watch", String.valueOf(runId), "--interval", "100ms"));
            assertThat(watched.code()).as("%s", watched).isZero();
            HttpResponse<String> run = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + port + "/api/runs/" + runId)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(run.statusCode()).isEqualTo(200);
            assertThat(run.body()).contains("\"status\":\"SUCCEEDED\"").contains("\"steps\":[");
        } finally {
            thread.interrupt();
        }
        CliResult served = serve.get(30, TimeUnit.SECONDS);
        assertThat(served.code()).as("%s", served).isZero();
        assertThat(served.out()).contains("dashboard at http://127.0.0.1:" + port + "/").contains("stopped");
    }
}
