package dev.orchestrator.spring;

import org.springframework.boot.context.properties.ConfigurationProperties;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The {@code orchestrator.*} properties. Each maps to one setting of
 * {@link dev.orchestrator.OrchestratorBuilder} or {@link dev.orchestrator.jdbc.JdbcStoreOptions}, whose
 * rules apply; a value they refuse fails start-up with a failure analysis naming the property.
 * Durations take Spring Boot's forms ({@code 500ms}, {@code 30s}, {@code PT1M}).
 */
@ConfigurationProperties("orchestrator")
public class OrchestratorProperties {

    /** Whether to auto-configure an orchestrator on the application's DataSource. */
    private boolean enabled = true;

    /**
     * This node's id, unique among the nodes sharing a database. Default: the JVM's pid@host and a
     * random suffix, new at each start.
     */
    private String nodeId;

    /** Most task attempts in flight on this node at once, between 1 and 100000. */
    private int maxConcurrency = 64;

    /** Most tasks claimed in one statement, between 1 and 10000. */
    private int batchSize = 512;

    /**
     * How often the scheduler looks for ready tasks when nothing woke it: the safety net for work
     * created by other processes. At least 10ms.
     */
    private Duration pollInterval = Duration.ofSeconds(5);

    /**
     * The longest the safety-net poll waits while this node is idle; the wait grows from the poll
     * interval up to this. At least the poll interval. Default: 60s, or the poll interval if that is
     * longer.
     */
    private Duration maxPollInterval;

    /** How often this node records that it is alive and looks for dead nodes. At least 10ms. */
    private Duration heartbeatInterval = Duration.ofSeconds(30);

    /**
     * How long a node may go without a heartbeat before other nodes take over its tasks. Longer than
     * the heartbeat interval.
     */
    private Duration nodeLease = Duration.ofSeconds(90);

    /**
     * Longest the orchestrator waits for running tasks when the application stops; tasks still running
     * then are left to be taken over after the node lease. Not negative. The default ends within Spring's
     * default 30s spring.lifecycle.timeout-per-shutdown-phase; a longer value is shortened to end within
     * that phase timeout.
     */
    private Duration shutdownTimeout = Duration.ofSeconds(25);

    /**
     * How long a stopped task (cancelled, timed out, or still running at shutdown) gets to end on its own
     * before its executor forces it: for process tasks, the time between SIGTERM and SIGKILL. Not negative.
     */
    private Duration cancelGrace = Duration.ofSeconds(10);

    /**
     * How long ended runs are kept: older ones are deleted with their tasks, attempts and log files, in
     * small batches off the scheduler's thread. At least one minute. Unset keeps everything.
     */
    private Duration retention;

    private final Scheduler scheduler = new Scheduler();

    private final Store store = new Store();

    /**
     * Settings per executor type, handed to that type's ExecutorProvider, for example
     * orchestrator.executor.cloudrun.runJobsPerMinute=120. Keys and values are the provider's.
     */
    private Map<String, Map<String, String>> executor = new LinkedHashMap<>();

    public boolean isEnabled() {
        return enabled;
    }

    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    public String getNodeId() {
        return nodeId;
    }

    public void setNodeId(String nodeId) {
        this.nodeId = nodeId;
    }

    public int getMaxConcurrency() {
        return maxConcurrency;
    }

    public void setMaxConcurrency(int maxConcurrency) {
        this.maxConcurrency = maxConcurrency;
    }

    public int getBatchSize() {
        return batchSize;
    }

    public void setBatchSize(int batchSize) {
        this.batchSize = batchSize;
    }

    public Duration getPollInterval() {
        return pollInterval;
    }

    public void setPollInterval(Duration pollInterval) {
        this.pollInterval = pollInterval;
    }

    public Duration getMaxPollInterval() {
        return maxPollInterval;
    }

    public void setMaxPollInterval(Duration maxPollInterval) {
        this.maxPollInterval = maxPollInterval;
    }

    public Duration getHeartbeatInterval() {
        return heartbeatInterval;
    }

    public void setHeartbeatInterval(Duration heartbeatInterval) {
        this.heartbeatInterval = heartbeatInterval;
    }

    public Duration getNodeLease() {
        return nodeLease;
    }

    public void setNodeLease(Duration nodeLease) {
        this.nodeLease = nodeLease;
    }

    public Duration getCancelGrace() {
        return cancelGrace;
    }

    public void setCancelGrace(Duration cancelGrace) {
        this.cancelGrace = cancelGrace;
    }

    public Duration getRetention() {
        return retention;
    }

    public void setRetention(Duration retention) {
        this.retention = retention;
    }

    public Duration getShutdownTimeout() {
        return shutdownTimeout;
    }

    public void setShutdownTimeout(Duration shutdownTimeout) {
        this.shutdownTimeout = shutdownTimeout;
    }

    public Scheduler getScheduler() {
        return scheduler;
    }

    public Store getStore() {
        return store;
    }

    public Map<String, Map<String, String>> getExecutor() {
        return executor;
    }

    public void setExecutor(Map<String, Map<String, String>> executor) {
        this.executor = executor;
    }

    /** {@code orchestrator.scheduler.*}. */
    public static class Scheduler {

        /**
         * Whether this application is a scheduling node, which claims and runs tasks. When false it is a
         * client: it registers workflows, triggers runs and reads them, and never starts the scheduler,
         * so a run it triggers waits for a scheduling node on the same database.
         */
        private boolean enabled = true;

        public boolean isEnabled() {
            return enabled;
        }

        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }
    }

    /** {@code orchestrator.store.*}: the JDBC store on the application's DataSource. */
    public static class Store {

        /**
         * The PostgreSQL schema that holds the orchestrator's tables, created by the migrations if missing.
         * Ignored on SQLite.
         */
        private String schema = "public";

        /**
         * Prefix of every table, index and constraint the orchestrator creates: lower-case letters,
         * digits and underscores, starting with a letter, at most 16 characters.
         */
        private String tablePrefix = "orc_";

        /**
         * Whether opening the store runs its Flyway migrations. Turn it off when the schema is migrated by
         * other means (the scripts are in orchestrator-jdbc under db/migration/DIALECT).
         */
        private boolean migrate = true;

        public String getSchema() {
            return schema;
        }

        public void setSchema(String schema) {
            this.schema = schema;
        }

        public String getTablePrefix() {
            return tablePrefix;
        }

        public void setTablePrefix(String tablePrefix) {
            this.tablePrefix = tablePrefix;
        }

        public boolean isMigrate() {
            return migrate;
        }

        public void setMigrate(boolean migrate) {
            this.migrate = migrate;
        }
    }
}
