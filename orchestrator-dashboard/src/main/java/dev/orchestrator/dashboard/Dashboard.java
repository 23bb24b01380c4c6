package dev.orchestrator.dashboard;

import com.sun.net.httpserver.HttpServer;
import dev.orchestrator.Orchestrator;
import dev.orchestrator.dashboard.internal.DashboardConfig;
import dev.orchestrator.dashboard.internal.Routes;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A web dashboard and JSON API for one {@link Orchestrator}, on the JDK's built-in HTTP server.
 *
 * <pre>{@code
 * Dashboard dashboard = Dashboard.builder().orchestrator(orchestrator).port(8080).build().start();
 * // ... later
 * dashboard.close();
 * }</pre>
 *
 * <p>Safe by default: it listens on {@code 127.0.0.1} only (and then refuses requests whose
 * {@code Host} header names another host, against DNS rebinding); state-changing calls are
 * {@code POST} with the CSRF token of {@code GET /api/session}; every page forbids inline
 * scripts and shows task output as text. Guard it with {@link Builder#accessToken(String)} or
 * {@link Builder#authenticator(DashboardAuthenticator)} before listening on another address, and
 * use {@link Builder#readOnly(boolean)} to refuse every action.
 *
 * <p>Thread-safe. Requests are served on virtual threads. Starting the first dashboard of a JVM
 * sets the system property {@code sun.net.httpserver.nodelay} to {@code true} unless it is set
 * (without it, JSON answers of more than one TCP segment wait 40 ms for a delayed ACK).
 */
public final class Dashboard implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Dashboard.class);
    private static final String NODELAY = "sun.net.httpserver.nodelay";

    private final DashboardConfig config;
    private HttpServer server;
    private ExecutorService executor;

    private Dashboard(DashboardConfig config) {
        this.config = config;
    }

    /** A builder; {@link Builder#orchestrator(Orchestrator)} is required. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Binds the port and starts serving.
     *
     * @return this dashboard
     * @throws IllegalStateException if already started
     * @throws UncheckedIOException  if the address cannot be bound
     */
    public synchronized Dashboard start() {
        if (server != null) {
            throw new IllegalStateException("dashboard already started");
        }
        if (System.getProperty(NODELAY) == null) {
            // The JDK server writes headers and body separately; with Nagle's algorithm on, a body of
            // more than one segment waits for the delayed ACK (40 ms on Linux). Read once per JVM, when
            // its first HttpServer is made: a host that made one before keeps its own setting.
            System.setProperty(NODELAY, "true");
        }
        try {
            server = HttpServer.create(new InetSocketAddress(config.bindAddress(), config.port()), 64);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen on " + config.bindAddress().getHostAddress() + ":"
                    + config.port() + ": " + e.getMessage(), e);
        }
        executor = Executors.newVirtualThreadPerTaskExecutor();
        server.setExecutor(executor);
        server.createContext("/", new Routes(config));
        server.start();
        LOG.info("dashboard serving {} ({}{}{})", url(), config.readOnly() ? "read-only" : "actions allowed",
                config.accessToken() != null ? ", access token required" : "",
                config.authenticator() != null ? ", host authenticator" : "");
        return this;
    }

    /** The port it listens on (the bound one when built with port 0). */
    public synchronized int port() {
        if (server == null) {
            throw new IllegalStateException("dashboard not started");
        }
        return server.getAddress().getPort();
    }

    /** Its base address, such as {@code http://127.0.0.1:8080/}. */
    public URI url() {
        String host = config.bindAddress().getHostAddress();
        if (host.contains(":")) {
            host = "[" + host + "]";
        }
        return URI.create("http://" + host + ":" + port() + "/");
    }

    /** Stops serving, waiting up to one second for requests in progress. Idempotent. */
    @Override
    public synchronized void close() {
        if (server != null) {
            server.stop(1);
            executor.shutdownNow();
            LOG.info("dashboard stopped");
        }
    }

    /** Builds a {@link Dashboard}; each setter checks its value. Not thread-safe. */
    public static final class Builder {
        private Orchestrator orchestrator;
        private InetAddress bindAddress = InetAddress.getLoopbackAddress();
        private int port = 8080;
        private String accessToken;
        private DashboardAuthenticator authenticator;
        private boolean readOnly;
        private Path logRoot;
        private Clock clock = Clock.systemUTC();

        private Builder() {
        }

        /** The orchestrator to show and act on. Required. */
        public Builder orchestrator(Orchestrator orchestrator) {
            this.orchestrator = Objects.requireNonNull(orchestrator, "orchestrator must not be null");
            return this;
        }

        /** Port to listen on, 0 for any free one. Default 8080. */
        public Builder port(int port) {
            if (port < 0 || port > 65_535) {
                throw new IllegalArgumentException("port must be between 0 and 65535, got " + port);
            }
            this.port = port;
            return this;
        }

        /**
         * Address to listen on, such as {@code 127.0.0.1}, {@code localhost} or {@code 0.0.0.0}.
         * Default: the loopback address, so only this machine can connect.
         *
         * @throws IllegalArgumentException if the host cannot be resolved
         */
        public Builder host(String host) {
            Objects.requireNonNull(host, "host must not be null");
            try {
                this.bindAddress = InetAddress.getByName(host);
            } catch (UnknownHostException e) {
                throw new IllegalArgumentException("host '" + host + "' cannot be resolved", e);
            }
            return this;
        }

        /**
         * A secret every request must carry: as {@code Authorization: Bearer <token>}, or in the
         * cookie a browser gets by opening {@code /?token=<token>} once. Default: none.
         *
         * @throws IllegalArgumentException if shorter than 16 characters
         */
        public Builder accessToken(String token) {
            if (token != null && token.length() < 16) {
                throw new IllegalArgumentException("accessToken must be at least 16 characters, got " + token.length());
            }
            this.accessToken = token;
            return this;
        }

        /** The host's own authentication, asked for every request (after the access token, if any). Default: none. */
        public Builder authenticator(DashboardAuthenticator authenticator) {
            this.authenticator = authenticator;
            return this;
        }

        /** Whether every action (trigger, cancel, retry, pause, resume) is refused with 403. Default {@code false}. */
        public Builder readOnly(boolean readOnly) {
            this.readOnly = readOnly;
            return this;
        }

        /**
         * The folder under which attempt logs may be served in full ({@code GET
         * /api/tasks/{id}/attempts/{n}/log}); logs elsewhere are not served. Default: none, so only
         * output tails are shown.
         */
        public Builder logRoot(Path logRoot) {
            this.logRoot = logRoot == null ? null : logRoot.toAbsolutePath().normalize();
            return this;
        }

        /** The clock for rates and ETAs. Default: the system UTC clock. */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock must not be null");
            return this;
        }

        /**
         * A dashboard, not yet started.
         *
         * @throws IllegalStateException if no orchestrator was set
         */
        public Dashboard build() {
            if (orchestrator == null) {
                throw new IllegalStateException("orchestrator must be set");
            }
            return new Dashboard(new DashboardConfig(orchestrator, bindAddress, port, accessToken, authenticator,
                    readOnly, logRoot, clock));
        }
    }
}
