package dev.orchestrator.spring;

import dev.orchestrator.Orchestrator;
import dev.orchestrator.OrchestratorBuilder;
import dev.orchestrator.OrchestratorListener;
import dev.orchestrator.jdbc.Dialect;
import dev.orchestrator.jdbc.JdbcStore;
import dev.orchestrator.jdbc.JdbcStoreOptions;
import dev.orchestrator.spi.Executor;
import dev.orchestrator.spi.ExecutorProvider;
import dev.orchestrator.spi.Store;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sql.DataSource;
import java.lang.management.ManagementFactory;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * Builds the store and the orchestrator from the properties. Every call that constructs core or JDBC
 * objects is here, so API changes there touch this class only. A value the builders refuse becomes an
 * {@link InvalidOrchestratorPropertyException} naming the property.
 */
final class OrchestratorFactory {

    private static final Logger LOG = LoggerFactory.getLogger(OrchestratorFactory.class);

    /** The table prefix orchestrator-jdbc uses; it cannot be changed yet. */

    /** What closing needs after the task wait: writing the last updates and removing the node row. */
    private static final Duration MAX_CLOSE_MARGIN = Duration.ofSeconds(5);

    private OrchestratorFactory() {
    }

    /**
     * The database behind {@code dataSource}, from its connection metadata.
     *
     * @throws IllegalStateException if it cannot be reached, or is neither PostgreSQL nor SQLite
     */
    static Dialect dialect(DataSource dataSource) {
        String product;
        String url;
        try (Connection c = dataSource.getConnection()) {
            product = c.getMetaData().getDatabaseProductName();
            url = c.getMetaData().getURL();
        } catch (SQLException e) {
            throw new IllegalStateException("orchestrator: cannot read the DataSource's database metadata: "
                    + e.getMessage(), e);
        }
        if ("PostgreSQL".equalsIgnoreCase(product)) {
            return Dialect.POSTGRESQL;
        }
        if ("SQLite".equalsIgnoreCase(product)) {
            return Dialect.SQLITE;
        }
        try {
            return Dialect.fromUrl(url);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("orchestrator: the DataSource is a " + product + " database; the "
                    + "orchestrator's store runs on PostgreSQL or SQLite. Point spring.datasource.url at one, "
                    + "declare a dev.orchestrator.spi.Store bean, or set orchestrator.enabled=false", e);
        }
    }

    /** Opens (and by default migrates) the JDBC store on the application's DataSource, which it does not close. */
    static JdbcStore store(DataSource dataSource, OrchestratorProperties.Store properties) {
        IncompatibleJooqException.check(IncompatibleJooqException.runtimeVersion(), StarterBuild.jooqVersion());
        JdbcStoreOptions options = storeOptions(properties);
        return JdbcStore.open(dataSource, dialect(dataSource), options);
    }

    static JdbcStoreOptions storeOptions(OrchestratorProperties.Store p) {
        JdbcStoreOptions.Builder b = JdbcStoreOptions.builder();
        set("orchestrator.store.schema", p.getSchema(), b::schema);
        set("orchestrator.store.table-prefix", p.getTablePrefix(), b::tablePrefix);
        b.migrate(p.isMigrate());
        return b.build();
    }

    /** The configured node id, or a new {@code <pid>@<host>-<random>}. */
    static String nodeId(OrchestratorProperties p) {
        return p.getNodeId() != null ? p.getNodeId()
                : ManagementFactory.getRuntimeMXBean().getName() + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** The executor types the orchestrator will know: the beans' and the class path providers'. */
    static SortedSet<String> executorTypes(List<Executor> executors, ClassLoader loader) {
        SortedSet<String> types = new TreeSet<>();
        for (ExecutorProvider p : ServiceLoader.load(ExecutorProvider.class, loader)) {
            types.add(p.type());
        }
        for (Executor e : executors) {
            types.add(e.type());
        }
        return types;
    }

    /**
     * The orchestrator's shutdown timeout: the configured one, shortened if needed so that closing
     * (the task wait, then a last write) ends within Spring's timeout for one shutdown phase.
     */
    static Duration shutdownTimeout(Duration configured, Duration phaseTimeout) {
        if (configured == null || phaseTimeout == null) {
            return configured;
        }
        Duration margin = phaseTimeout.dividedBy(5);
        if (margin.compareTo(MAX_CLOSE_MARGIN) > 0) {
            margin = MAX_CLOSE_MARGIN;
        }
        Duration budget = phaseTimeout.minus(margin);
        if (configured.compareTo(budget) <= 0) {
            return configured;
        }
        Duration shortened = budget.isNegative() ? Duration.ZERO : budget;
        LOG.info("orchestrator.shutdown-timeout {} is shortened to {} to end within "
                + "spring.lifecycle.timeout-per-shutdown-phase ({})", configured, shortened, phaseTimeout);
        return shortened;
    }

    /** Builds the orchestrator (not started) from the properties, then the customizers. */
    static Orchestrator orchestrator(Store store, OrchestratorProperties p, String nodeId, Duration shutdownTimeout,
                                     List<Executor> executors, List<OrchestratorListener> listeners,
                                     List<OrchestratorBuilderCustomizer> customizers, ClassLoader loader) {
        OrchestratorBuilder b = Orchestrator.builder().store(store).classLoader(loader);
        set("orchestrator.node-id", nodeId, b::nodeId);
        set("orchestrator.max-concurrency", p.getMaxConcurrency(), b::maxConcurrency);
        set("orchestrator.batch-size", p.getBatchSize(), b::batchSize);
        set("orchestrator.poll-interval", p.getPollInterval(), b::pollInterval);
        if (p.getMaxPollInterval() != null) {
            set("orchestrator.max-poll-interval", p.getMaxPollInterval(), b::maxPollInterval);
        }
        set("orchestrator.heartbeat-interval", p.getHeartbeatInterval(), b::heartbeatInterval);
        set("orchestrator.node-lease", p.getNodeLease(), b::nodeLease);
        set("orchestrator.shutdown-timeout", shutdownTimeout, b::shutdownTimeout);
        set("orchestrator.cancel-grace", p.getCancelGrace(), b::cancelGrace);
        if (p.getRetention() != null) {
            set("orchestrator.retention", p.getRetention(), b::retention);
        }
        for (Map.Entry<String, Map<String, String>> e : p.getExecutor().entrySet()) {
            set("orchestrator.executor." + e.getKey(), e.getValue(), config -> b.executorConfig(e.getKey(), config));
        }
        for (Executor executor : executors) {
            b.executor(executor);
        }
        if (listeners.size() == 1) {
            b.listener(listeners.get(0));
        } else if (!listeners.isEmpty()) {
            b.listener(new CompositeListener(listeners));
        }
        for (OrchestratorBuilderCustomizer c : customizers) {
            c.customize(b);
        }
        try {
            return b.build();
        } catch (IllegalArgumentException | IllegalStateException e) { // a bad value, or two that conflict
            throw new InvalidOrchestratorPropertyException(propertyNamed(e.getMessage()), valueOf(p, e.getMessage()),
                    e.getMessage(), e);
        }
    }

    private static <T> void set(String property, T value, Consumer<T> setter) {
        try {
            setter.accept(value);
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new InvalidOrchestratorPropertyException(property, value,
                    e.getMessage() != null ? e.getMessage() : "must be set", e);
        }
    }

    /** The property of a builder setting that {@code build()} names first in its message. */
    private static String propertyNamed(String message) {
        if (message != null && message.startsWith("nodeLease")) {
            return "orchestrator.node-lease";
        }
        if (message != null && message.startsWith("maxPollInterval")) {
            return "orchestrator.max-poll-interval";
        }
        return "orchestrator";
    }

    private static Object valueOf(OrchestratorProperties p, String message) {
        if (message != null && message.startsWith("nodeLease")) {
            return p.getNodeLease();
        }
        if (message != null && message.startsWith("maxPollInterval")) {
            return p.getMaxPollInterval();
        }
        return null;
    }
}
