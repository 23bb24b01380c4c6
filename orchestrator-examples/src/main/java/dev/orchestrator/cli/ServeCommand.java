package dev.orchestrator.cli;

import dev.orchestrator.Orchestrator;
import dev.orchestrator.dashboard.Dashboard;
import dev.orchestrator.jdbc.JdbcStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/**
 * {@code orchestrator serve}: runs the scheduler in the foreground until Ctrl-C (SIGINT or
 * SIGTERM), then stops claiming, waits for running tasks up to {@code --shutdown-timeout} and
 * writes every pending update.
 */
@Command(name = "serve", mixinStandardHelpOptions = true,
        description = {
                "Run the scheduler in the foreground: execute triggered runs until Ctrl-C.",
                "On Ctrl-C it stops claiming, waits for running tasks (up to --shutdown-timeout), and exits."
        },
        footer = ExitCodes.HELP_FOOTER)
final class ServeCommand implements Callable<Integer> {

    @ParentCommand
    OrchestratorCli root;

    @Option(names = "--max-concurrency", paramLabel = "<n>", defaultValue = "64",
            description = "Most tasks running at once on this node. Default: ${DEFAULT-VALUE}.")
    int maxConcurrency;

    @Option(names = "--poll", paramLabel = "<duration>", converter = Durations.class, defaultValue = "1s",
            description = {"How often to look for work triggered by other processes (local triggers",
                    "and completions wake the scheduler at once). Default: ${DEFAULT-VALUE}."})
    Duration poll;

    @Option(names = "--shutdown-timeout", paramLabel = "<duration>", converter = Durations.class, defaultValue = "30s",
            description = "Longest wait for running tasks on Ctrl-C. Default: ${DEFAULT-VALUE}.")
    Duration shutdownTimeout;

    @Option(names = "--http", paramLabel = "[<host>]:<port>",
            description = {"Also serve the web dashboard and its JSON API at this address, such as :8080",
                    "(localhost only) or 0.0.0.0:8080 (every interface: set --http-token too)."})
    String http;

    @Option(names = "--http-token", paramLabel = "<token>", defaultValue = "${env:ORCHESTRATOR_DASHBOARD_TOKEN}",
            description = {"Access token the dashboard requires (16 characters or more).",
                    "Default: $ORCHESTRATOR_DASHBOARD_TOKEN, else none."})
    String httpToken;

    @Option(names = "--http-read-only", description = "Refuse every dashboard action (trigger, cancel, retry, pause).")
    boolean httpReadOnly;

    /** Host and port of an {@code --http} value: {@code :8080}, {@code 8080} or {@code host:8080}; host defaults to loopback. */
    record HttpAddress(String host, int port) {
        static HttpAddress parse(String value) {
            String v = value.strip();
            int colon = v.lastIndexOf(':');
            String host = colon < 0 ? "" : v.substring(0, colon);
            String port = colon < 0 ? v : v.substring(colon + 1);
            if (host.startsWith("[") && host.endsWith("]")) {
                host = host.substring(1, host.length() - 1);
            }
            try {
                int p = Integer.parseInt(port);
                if (p >= 0 && p <= 65_535) {
                    return new HttpAddress(host.isEmpty() ? "127.0.0.1" : host, p);
                }
            } catch (NumberFormatException e) {
                // below
            }
            throw CliException.badInput("--http must be [<host>]:<port> with a port from 0 to 65535, such as :8080, got '"
                    + value + "'");
        }
    }

    @Override
    @SuppressWarnings("try") // the shutdown hook is only held while serving
    public Integer call() {
        HttpAddress address = http == null ? null : HttpAddress.parse(http);
        Orchestrator o = root.open(b -> b.maxConcurrency(maxConcurrency).pollInterval(poll).maxPollInterval(poll)
                .shutdownTimeout(shutdownTimeout));
        CountDownLatch stopped = new CountDownLatch(1);
        Dashboard dashboard = null;
        try (Shutdown ignored = Shutdown.closeOnExit(o, stopped::countDown)) {
            PrintWriter out = root.out();
            if (address != null) {
                dashboard = startDashboard(o, address);
                out.printf("dashboard at %s%s%n", dashboard.url(), httpReadOnly ? " (read-only)" : "");
            }
            o.start();
            out.printf("serving %s (max concurrency %d, poll %s); press Ctrl-C to stop%n", root.redactedDb(),
                    maxConcurrency, Durations.format(poll));
            out.flush();
            stopped.await();
        } catch (InterruptedException e) {
            // stopped in-process (tests, embedding): fall through to a graceful close
        } finally {
            if (dashboard != null) {
                dashboard.close();
            }
            o.close();
        }
        root.out().println("stopped");
        root.out().flush();
        return ExitCodes.OK;
    }

    private Dashboard startDashboard(Orchestrator o, HttpAddress address) {
        Dashboard.Builder b;
        try {
            b = Dashboard.builder().orchestrator(o).host(address.host()).port(address.port())
                    .accessToken(httpToken == null || httpToken.isBlank() ? null : httpToken)
                    .readOnly(httpReadOnly)
                    .logRoot(root.logDir != null && !root.logDir.isBlank() ? Path.of(root.logDir)
                            : JdbcStore.defaultLogDirectory(root.db).orElse(null));
        } catch (IllegalArgumentException e) {
            throw CliException.badInput("--http: " + e.getMessage());
        }
        if (httpToken == null && !isLoopback(address.host())) {
            root.err().printf("warning: the dashboard listens on %s without --http-token: anyone who can reach it "
                    + "can trigger runs%n", address.host());
            root.err().flush();
        }
        try {
            return b.build().start();
        } catch (java.io.UncheckedIOException e) {
            throw CliException.badInput("--http: " + e.getMessage());
        }
    }

    private static boolean isLoopback(String host) {
        try {
            return java.net.InetAddress.getByName(host).isLoopbackAddress();
        } catch (java.net.UnknownHostException e) {
            return false;
        }
    }
}
