package dev.orchestrator;

import dev.orchestrator.internal.OrchestratorFactory;
import dev.orchestrator.internal.OrchestratorConfig;
import dev.orchestrator.spi.Executor;
import dev.orchestrator.spi.Store;

import java.lang.management.ManagementFactory;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/**
 * Builds an {@link Orchestrator}. Each setter checks its value at once and names the rule it
 * breaks ({@link IllegalArgumentException}); {@link #build()} checks the combinations
 * ({@link IllegalStateException}). Not thread-safe; use one builder per orchestrator.
 */
public final class OrchestratorBuilder {

    private Store store;
    private String storeUrl = "jdbc:sqlite:orchestrator.db";
    private final Map<String, Executor> executors = new LinkedHashMap<>();
    private final Map<String, Map<String, String>> executorConfig = new LinkedHashMap<>();
    private int maxConcurrency = 64;
    private int batchSize = 512;
    private Duration pollInterval = Duration.ofSeconds(5);
    private Duration maxPollInterval;
    private Duration heartbeatInterval = Duration.ofSeconds(30);
    private Duration nodeLease = Duration.ofSeconds(90);
    private Duration shutdownTimeout = Duration.ofSeconds(30);
    private Duration cancelGrace = Duration.ofSeconds(10);
    private Clock clock = Clock.systemUTC();
    private String nodeId;
    private ClassLoader classLoader;
    private OrchestratorListener listener = new OrchestratorListener() { };
    private Duration retention;

    OrchestratorBuilder() {
    }

    /**
     * The store to use. The host keeps ownership: {@link Orchestrator#close()} does not close it.
     * Default: none, so {@link #storeUrl(String)} applies.
     */
    public OrchestratorBuilder store(Store store) {
        this.store = Objects.requireNonNull(store, "store");
        return this;
    }

    /**
     * A store URL opened with a {@link dev.orchestrator.spi.StoreProvider} found on the class
     * path ({@code orchestrator-jdbc} handles {@code jdbc:sqlite:} and {@code jdbc:postgresql:}).
     * The orchestrator owns that store and closes it. Ignored if {@link #store(Store)} is set.
     * Default {@code jdbc:sqlite:orchestrator.db}, a file in the working directory.
     */
    public OrchestratorBuilder storeUrl(String url) {
        if (url == null || url.isBlank()) {
            throw new IllegalArgumentException("storeUrl must not be blank");
        }
        this.storeUrl = url;
        return this;
    }

    /**
     * An executor instance for its {@link Executor#type()}; it wins over one found with
     * {@link java.util.ServiceLoader}. The host keeps ownership; it is not closed by the orchestrator.
     */
    public OrchestratorBuilder executor(Executor executor) {
        Objects.requireNonNull(executor, "executor");
        if (executor.type() == null || executor.type().isBlank()) {
            throw new IllegalArgumentException("executor type must not be blank (" + executor.getClass().getName() + ")");
        }
        executors.put(executor.type(), executor);
        return this;
    }

    /** Settings handed to the {@link dev.orchestrator.spi.ExecutorProvider} of {@code type}. Default: empty. */
    public OrchestratorBuilder executorConfig(String type, Map<String, String> config) {
        if (type == null || type.isBlank()) {
            throw new IllegalArgumentException("executor type must not be blank");
        }
        executorConfig.put(type, Map.copyOf(config));
        return this;
    }

    /** Most task attempts in flight on this node at once, between 1 and 100,000. Default 64. */
    public OrchestratorBuilder maxConcurrency(int maxConcurrency) {
        if (maxConcurrency < 1 || maxConcurrency > 100_000) {
            throw new IllegalArgumentException("maxConcurrency must be between 1 and 100000, got " + maxConcurrency);
        }
        this.maxConcurrency = maxConcurrency;
        return this;
    }

    /** Most tasks claimed in one statement, between 1 and 10,000. Default 512. */
    public OrchestratorBuilder batchSize(int batchSize) {
        if (batchSize < 1 || batchSize > 10_000) {
            throw new IllegalArgumentException("batchSize must be between 1 and 10000, got " + batchSize);
        }
        this.batchSize = batchSize;
        return this;
    }

    /**
     * How often the scheduler looks for ready tasks when nothing woke it: the safety net for
     * work created by other processes. Triggers and completions on this node wake it at once.
     * At least 10 ms. Default 5 s.
     */
    public OrchestratorBuilder pollInterval(Duration pollInterval) {
        this.pollInterval = atLeast("pollInterval", pollInterval, Duration.ofMillis(10));
        return this;
    }

    /**
     * The longest the safety-net poll waits: while polls find nothing and nothing runs on this
     * node, the wait grows fourfold from {@link #pollInterval(Duration)} up to this, so an idle node costs
     * next to nothing. Runs triggered through this orchestrator are still claimed at once; runs
     * triggered by another process may wait up to this long on an idle node. At least the poll
     * interval. Default 60 s, or the poll interval if that is longer.
     */
    public OrchestratorBuilder maxPollInterval(Duration maxPollInterval) {
        this.maxPollInterval = atLeast("maxPollInterval", maxPollInterval, Duration.ofMillis(10));
        return this;
    }

    /** How often this node records that it is alive and looks for dead nodes. At least 10 ms. Default 30 s. */
    public OrchestratorBuilder heartbeatInterval(Duration heartbeatInterval) {
        this.heartbeatInterval = atLeast("heartbeatInterval", heartbeatInterval, Duration.ofMillis(10));
        return this;
    }

    /**
     * How long a node may go without a heartbeat before others take over its tasks. Must be
     * longer than the heartbeat interval. Default 90 s.
     */
    public OrchestratorBuilder nodeLease(Duration nodeLease) {
        this.nodeLease = atLeast("nodeLease", nodeLease, Duration.ofMillis(20));
        return this;
    }

    /** Longest {@link Orchestrator#close()} waits for running tasks. Not negative. Default 30 s. */
    public OrchestratorBuilder shutdownTimeout(Duration shutdownTimeout) {
        this.shutdownTimeout = atLeast("shutdownTimeout", shutdownTimeout, Duration.ZERO);
        return this;
    }

    /**
     * How long a task that is stopped (cancelled, timed out, or still running when
     * {@link #shutdownTimeout} has passed) gets to end on its own before its executor forces
     * it: for process tasks, the time between SIGTERM and SIGKILL to the task's process group.
     * Passed to {@link Executor#cancel(dev.orchestrator.spi.TaskContext, Duration)}. Not negative.
     * Default 10 s.
     */
    public OrchestratorBuilder cancelGrace(Duration cancelGrace) {
        this.cancelGrace = atLeast("cancelGrace", cancelGrace, Duration.ZERO);
        return this;
    }

    /** The clock for every time the orchestrator writes. Default {@link Clock#systemUTC()}. */
    public OrchestratorBuilder clock(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
        return this;
    }

    /** This node's id, unique among nodes sharing a database. Default: {@code <pid>@<host>-<random>}. */
    public OrchestratorBuilder nodeId(String nodeId) {
        Names.check("nodeId", nodeId);
        this.nodeId = nodeId;
        return this;
    }

    /**
     * Observes the scheduler, for metrics; for Micrometer, pass a
     * {@link dev.orchestrator.metrics.MicrometerMetrics}. Default: none.
     */
    public OrchestratorBuilder listener(OrchestratorListener listener) {
        this.listener = Objects.requireNonNull(listener, "listener");
        return this;
    }

    /**
     * How long ended runs are kept: a started orchestrator deletes runs that finished longer ago,
     * with their tasks, attempts and log files, in small batches off the scheduler's thread (at
     * start, then every minute). At least one minute. Default: everything is kept.
     */
    public OrchestratorBuilder retention(Duration retention) {
        this.retention = atLeast("retention", retention, Duration.ofMinutes(1));
        return this;
    }

    /** Class loader for {@link java.util.ServiceLoader} discovery. Default: the thread's context class loader. */
    public OrchestratorBuilder classLoader(ClassLoader classLoader) {
        this.classLoader = Objects.requireNonNull(classLoader, "classLoader");
        return this;
    }

    /**
     * Builds the orchestrator, opening its store if a URL was given. It is not started.
     *
     * @throws IllegalStateException    if settings conflict (the message names both)
     * @throws IllegalArgumentException if no store provider handles the URL
     */
    public Orchestrator build() {
        if (nodeLease.compareTo(heartbeatInterval) <= 0) {
            throw new IllegalStateException("nodeLease (" + nodeLease + ") must be longer than heartbeatInterval ("
                    + heartbeatInterval + ")");
        }
        if (maxPollInterval != null && maxPollInterval.compareTo(pollInterval) < 0) {
            throw new IllegalStateException("maxPollInterval (" + maxPollInterval + ") must be at least pollInterval ("
                    + pollInterval + ")");
        }
        Duration maxPoll = maxPollInterval != null ? maxPollInterval
                : pollInterval.compareTo(Duration.ofSeconds(60)) > 0 ? pollInterval : Duration.ofSeconds(60);
        ClassLoader loader = classLoader != null ? classLoader : Thread.currentThread().getContextClassLoader();
        String id = nodeId != null ? nodeId : ManagementFactory.getRuntimeMXBean().getName() + "-"
                + UUID.randomUUID().toString().substring(0, 8);
        var config = new OrchestratorConfig(store, store == null ? storeUrl : null, Map.copyOf(executors),
                Map.copyOf(executorConfig), maxConcurrency, batchSize, pollInterval, maxPoll, heartbeatInterval, nodeLease,
                shutdownTimeout, cancelGrace, clock, id, loader, listener, retention);
        return OrchestratorFactory.create(config);
    }

    private static Duration atLeast(String field, Duration value, Duration min) {
        Objects.requireNonNull(value, field);
        if (value.compareTo(min) < 0) {
            throw new IllegalArgumentException(field + " must be at least " + min + ", got " + value);
        }
        return value;
    }
}
