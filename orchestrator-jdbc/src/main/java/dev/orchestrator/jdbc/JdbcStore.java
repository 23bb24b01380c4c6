package dev.orchestrator.jdbc;

import dev.orchestrator.jdbc.internal.JdbcEngine;
import dev.orchestrator.spi.AttemptRow;
import dev.orchestrator.spi.CancelOutcome;
import dev.orchestrator.spi.ClaimedTask;
import dev.orchestrator.spi.CreatedRun;
import dev.orchestrator.spi.NewRun;
import dev.orchestrator.spi.NodeRow;
import dev.orchestrator.spi.StepRow;
import dev.orchestrator.spi.TaskFilter;
import dev.orchestrator.spi.RunFilter;
import dev.orchestrator.spi.RunRow;
import dev.orchestrator.spi.ScheduleRow;
import dev.orchestrator.spi.WakeListener;
import dev.orchestrator.spi.Store;
import dev.orchestrator.spi.TaskRow;
import dev.orchestrator.spi.TaskUpdate;
import dev.orchestrator.spi.TriggerTarget;
import dev.orchestrator.spi.WorkflowRow;
import dev.orchestrator.spi.WriteAndClaim;

import javax.sql.DataSource;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The {@link Store} on PostgreSQL or SQLite, through jOOQ, with Flyway migrations and a HikariCP
 * pool.
 *
 * <p>Open one with {@link #sqlite(Path)}, {@link #open(String)} or {@link #open(DataSource, Dialect)};
 * each has a variant taking {@link JdbcStoreOptions}. By default opening runs the migrations.
 * Times are stored as epoch milliseconds: instants round-trip at millisecond precision, whatever
 * the JVM's or the database's time zone.
 *
 * <p>The store lives beside the host application's own tables: every table and index name starts
 * with {@link JdbcStoreOptions#tablePrefix()} ({@code orc_} by default), its Flyway history is
 * {@code <prefix>schema_history}, and a database or schema that already holds other tables is
 * migrated without touching them. On PostgreSQL, {@link JdbcStoreOptions#schema()} (or a URL's
 * {@code currentSchema}) puts the tables in a schema of their own, created if missing.
 *
 * <p>Connections: a store keeps two pools, so the host's calls (triggers, listings, reads) never
 * take the scheduler's connections. The host's pool has {@link JdbcStoreOptions#poolSize(Dialect)}
 * connections; the scheduler's has 2 more. A started node on PostgreSQL also holds one connection
 * for its heartbeats and one to {@code LISTEN} on. A store opened on a given {@code DataSource}
 * takes the scheduler's 2 connections from it and keeps them (reserved), and takes its heartbeat
 * and {@code LISTEN} connections from it too: size that pool for them. Timeouts (connect, socket,
 * statement, pool) are {@link JdbcStoreOptions}'; on a given {@code DataSource} its own settings
 * apply, except that the scheduler waits at most {@link JdbcStoreOptions#poolTimeout()} for its
 * reserved connections and each heartbeat keeps its own time limit.
 *
 * <p>Thread-safe. On SQLite, write transactions are serialized in this store (SQLite allows one
 * writer), so a SQLite file must be used by one store (one node) at a time.
 */
public final class JdbcStore implements Store {

    private final JdbcEngine engine;
    private final Dialect dialect;

    private JdbcStore(JdbcEngine engine, Dialect dialect) {
        this.engine = engine;
        this.dialect = dialect;
    }

    /**
     * Opens (creating if needed) a SQLite store in {@code file}, with default options.
     *
     * @throws IllegalStateException if the file cannot be opened or migrated
     */
    public static JdbcStore sqlite(Path file) {
        return sqlite(file, JdbcStoreOptions.defaults());
    }

    /**
     * Opens (creating if needed) a SQLite store in {@code file}.
     *
     * @throws IllegalStateException if the file cannot be opened or migrated
     */
    public static JdbcStore sqlite(Path file, JdbcStoreOptions options) {
        Objects.requireNonNull(file, "file must not be null");
        return open("jdbc:sqlite:" + file.toAbsolutePath(), options);
    }

    /**
     * Opens a store at a {@code jdbc:sqlite:} or {@code jdbc:postgresql:} URL, with default options;
     * a PostgreSQL URL's {@code currentSchema} parameter, if present, selects the schema.
     *
     * @throws IllegalArgumentException if the URL is of another database
     * @throws IllegalStateException    if the database cannot be reached or migrated
     */
    public static JdbcStore open(String jdbcUrl) {
        String schema = Dialect.fromUrl(jdbcUrl) == Dialect.POSTGRESQL ? currentSchema(jdbcUrl) : null;
        return open(jdbcUrl, schema == null ? JdbcStoreOptions.defaults()
                : JdbcStoreOptions.builder().schema(schema).build());
    }

    /**
     * The log directory that {@link #open(String) open(jdbcUrl)} gives its store by default (see
     * {@link #defaultLogDirectory()}), without opening it: for tools that read the logs, such as
     * the dashboard. Empty for an in-memory SQLite database.
     */
    public static Optional<Path> defaultLogDirectory(String jdbcUrl) {
        return Optional.ofNullable(JdbcEngine.logDirectory(jdbcUrl,
                Dialect.fromUrl(jdbcUrl) == Dialect.POSTGRESQL ? currentSchema(jdbcUrl) : null,
                JdbcStoreOptions.defaults().tablePrefix()));
    }

    /** The {@code currentSchema} query parameter of a PostgreSQL URL, or {@code null}. */
    static String currentSchema(String jdbcUrl) {
        int q = jdbcUrl.indexOf('?');
        if (q < 0) {
            return null;
        }
        for (String pair : jdbcUrl.substring(q + 1).split("&")) {
            if (pair.regionMatches(true, 0, "currentSchema=", 0, 14) && pair.length() > 14) {
                // currentSchema may list a search path; the store lives in the first schema
                String first = java.net.URLDecoder.decode(pair.substring(14), java.nio.charset.StandardCharsets.UTF_8)
                        .split(",")[0].strip();
                return first.isEmpty() ? null : first;
            }
        }
        return null;
    }

    /**
     * Opens a store at a {@code jdbc:sqlite:} or {@code jdbc:postgresql:} URL, with its own
     * connection pool of {@link JdbcStoreOptions#poolSize(Dialect)} connections, closed by
     * {@link #close()}.
     *
     * @throws IllegalArgumentException if the URL is of another database
     * @throws IllegalStateException    if the database cannot be reached or migrated
     */
    public static JdbcStore open(String jdbcUrl, JdbcStoreOptions options) {
        Dialect dialect = Dialect.fromUrl(jdbcUrl);
        Objects.requireNonNull(options, "options must not be null");
        return new JdbcStore(JdbcEngine.open(jdbcUrl, dialect, options), dialect);
    }

    /**
     * Opens a store on connections from {@code dataSource}, which the store does not close. For
     * SQLite, configure the connections yourself (WAL mode and a busy timeout are recommended).
     *
     * @throws IllegalStateException if the database cannot be reached or migrated
     */
    public static JdbcStore open(DataSource dataSource, Dialect dialect) {
        return open(dataSource, dialect, JdbcStoreOptions.defaults());
    }

    /**
     * Opens a store on connections from {@code dataSource}, which the store does not close;
     * {@link JdbcStoreOptions#poolSize()} does not apply.
     *
     * @throws IllegalStateException if the database cannot be reached or migrated
     */
    public static JdbcStore open(DataSource dataSource, Dialect dialect, JdbcStoreOptions options) {
        Objects.requireNonNull(dataSource, "dataSource must not be null");
        Objects.requireNonNull(dialect, "dialect must not be null");
        Objects.requireNonNull(options, "options must not be null");
        return new JdbcStore(JdbcEngine.open(dataSource, dialect, options), dialect);
    }

    /** The database this store uses. */
    public Dialect dialect() {
        return dialect;
    }

    @Override
    public WorkflowRow saveWorkflow(String name, String specJson, Instant now) {
        return engine.saveWorkflow(name, specJson, now);
    }

    /**
     * Beside a SQLite file ({@code orchestrator.db.logs} for {@code orchestrator.db}); for
     * PostgreSQL, {@code ~/.orchestrator/logs/<hash>}, the hash naming the database, schema and
     * table prefix; empty for an in-memory SQLite database.
     */
    @Override
    public Optional<Path> defaultLogDirectory() {
        return engine.defaultLogDirectory();
    }

    @Override
    public Optional<WorkflowRow> findWorkflow(String name) {
        return engine.findWorkflow(name);
    }

    @Override
    public Optional<WorkflowRow> findWorkflowVersion(long versionId) {
        return engine.findWorkflowVersion(versionId);
    }

    @Override
    public List<WorkflowRow> listWorkflows() {
        return engine.listWorkflows();
    }

    @Override
    public boolean deleteWorkflow(String name, Instant now) {
        return engine.deleteWorkflow(name, now);
    }

    @Override
    public CreatedRun createRun(NewRun run, Instant now) {
        return engine.createRun(run, now);
    }

    /** {@inheritDoc} Checked in the run's insert statement where the run is one statement. */
    @Override
    public Optional<CreatedRun> createRunOfLatest(NewRun run, String workflow, Instant now) {
        return engine.createRunOfLatest(run, workflow, now);
    }

    @Override
    public Optional<RunRow> findRun(long runId) {
        return engine.findRun(runId);
    }

    @Override
    public List<RunRow> listRuns(RunFilter filter) {
        return engine.listRuns(filter);
    }

    @Override
    public List<TaskRow> listTasks(long runId) {
        return engine.listTasks(runId);
    }

    @Override
    public List<AttemptRow> listAttempts(long taskId) {
        return engine.listAttempts(taskId);
    }

    @Override
    public List<StepRow> listSteps(long runId) {
        return engine.listSteps(runId);
    }

    @Override
    public List<TaskRow> listTasks(TaskFilter filter) {
        return engine.listTasks(filter);
    }

    @Override
    public List<NodeRow> listNodes() {
        return engine.listNodes();
    }

    @Override
    public List<ClaimedTask> claimReady(String nodeId, int limit, Instant now) {
        return engine.claimReady(nodeId, limit, now);
    }

    @Override
    public List<ClaimedTask> claimReady(String nodeId, Set<String> executorTypes, int limit, Instant now) {
        return engine.claimReady(nodeId, executorTypes, limit, now);
    }

    /** Both in one transaction: one commit for the scheduler's write and its next claim. */
    @Override
    public WriteAndClaim applyUpdatesAndClaim(List<TaskUpdate> updates, String nodeId, int limit, Instant now) {
        return engine.applyUpdatesAndClaim(updates, nodeId, limit, now);
    }

    @Override
    public WriteAndClaim applyUpdatesAndClaim(List<TaskUpdate> updates, String nodeId, Set<String> executorTypes,
                                              int limit, Instant now) {
        return engine.applyUpdatesAndClaim(updates, nodeId, executorTypes, limit, now);
    }

    @Override
    public WriteAndClaim applyUpdatesAndClaim(List<TaskUpdate> updates, String nodeId, Set<String> executorTypes,
                                              int limit, int startable, Instant now) {
        return engine.applyUpdatesAndClaim(updates, nodeId, executorTypes, limit, startable, now);
    }

    @Override
    public List<Long> applyUpdates(List<TaskUpdate> updates, Instant now) {
        return engine.applyUpdates(updates, now);
    }

    @Override
    public boolean heartbeat(String nodeId, Instant now) {
        return engine.heartbeat(nodeId, now);
    }

    /**
     * On PostgreSQL, on a connection held for heartbeats alone (apart from both pools), each read
     * from the server limited to {@code timeout}; a connection that failed is dropped and opened
     * again on the next call. On SQLite, with the scheduler's writes.
     */
    @Override
    public boolean heartbeat(String nodeId, Instant now, Duration timeout) {
        return engine.heartbeat(nodeId, now, timeout);
    }

    @Override
    public List<ClaimedTask> takeOverDeadNodes(String nodeId, Duration lease, Instant now) {
        return engine.takeOverDeadNodes(nodeId, lease, now);
    }

    @Override
    public List<ClaimedTask> inFlightOf(String nodeId) {
        return engine.inFlightOf(nodeId);
    }

    @Override
    public void acquireSchedulerLock(String nodeId) {
        engine.acquireSchedulerLock(nodeId);
    }

    @Override
    public CancelOutcome cancelRun(long runId, Instant now) {
        return engine.cancelRun(runId, now);
    }

    @Override
    public CancelOutcome cancelTask(long taskId, Instant now) {
        return engine.cancelTask(taskId, now);
    }

    @Override
    public Map<Long, Integer> cancelRequested(String nodeId) {
        return engine.cancelRequested(nodeId);
    }

    @Override
    public int retryRun(long runId, Instant now) {
        return engine.retryRun(runId, now);
    }

    @Override
    public List<Long> pruneRuns(Instant finishedBefore, int limit) {
        return engine.pruneRuns(finishedBefore, limit);
    }

    @Override
    public boolean setWorkflowPaused(String name, boolean paused, Instant now) {
        return engine.setWorkflowPaused(name, paused, now);
    }

    @Override
    public boolean isWorkflowPaused(String name) {
        return engine.isWorkflowPaused(name);
    }

    @Override
    public Optional<TriggerTarget> findTriggerTarget(String name) {
        return engine.findTriggerTarget(name);
    }

    @Override
    public void removeNode(String nodeId) {
        engine.removeNode(nodeId);
    }

    @Override
    public ScheduleRow createSchedule(ScheduleRow schedule) {
        return engine.createSchedule(schedule);
    }

    @Override
    public Optional<ScheduleRow> findSchedule(String name) {
        return engine.findSchedule(name);
    }

    @Override
    public List<ScheduleRow> listSchedules() {
        return engine.listSchedules();
    }

    @Override
    public boolean deleteSchedule(String name) {
        return engine.deleteSchedule(name);
    }

    @Override
    public boolean setSchedulePaused(String name, boolean paused, Instant nextFireAt) {
        return engine.setSchedulePaused(name, paused, nextFireAt);
    }

    @Override
    public List<ScheduleRow> dueSchedules(Instant now, int limit) {
        return engine.dueSchedules(now, limit);
    }

    @Override
    public boolean advanceSchedule(String name, Instant expectedNextFire, Instant newNextFire, Instant lastFireAt,
                                   Long lastRunId) {
        return engine.advanceSchedule(name, expectedNextFire, newNextFire, lastFireAt, lastRunId);
    }

    @Override
    public Optional<Instant> nextScheduleFire() {
        return engine.nextScheduleFire();
    }

    /**
     * On PostgreSQL, unless {@link JdbcStoreOptions#listen()} is off, listens ({@code LISTEN}) for
     * the notifications other processes send when they make work ready, on a connection of its own,
     * reconnecting (and waking {@code listener} once) if it drops. On SQLite, hears nothing: the one
     * process wakes itself.
     */
    @Override
    public WakeSubscription listen(WakeListener listener) {
        return engine.listen(listener);
    }

    /** Closes the connection pool this store created; a given {@code DataSource} stays open. */
    @Override
    public void close() {
        engine.close();
    }
}
