package dev.orchestrator.jdbc.internal;

import com.zaxxer.hikari.HikariDataSource;
import dev.orchestrator.jdbc.Dialect;
import dev.orchestrator.jdbc.JdbcStoreOptions;
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
import java.sql.Connection;
import java.util.concurrent.Callable;
import java.time.Instant;
import java.util.Set;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The JDBC store's implementation, and the one way into this package from
 * {@link dev.orchestrator.jdbc.JdbcStore}: {@link #open(String, Dialect, JdbcStoreOptions)} and
 * {@link #open(DataSource, Dialect, JdbcStoreOptions)} migrate and wire the per-table classes,
 * which are all package-private. Holds the reads and listings, and hands each other call to the
 * class that owns its group: {@link WorkflowStore} (workflows, run creation), {@link ClaimStore}
 * (the scheduler's claims and writes), {@link NodeStore} (heartbeats, take-over, the scheduler
 * lock), {@link ControlStore} (cancel, retry, prune, pause) and {@link ScheduleStore}; opening is
 * {@link EngineOpener}'s. Thread-safe; on SQLite, write transactions are serialized here.
 */
public final class JdbcEngine implements Store {

    /** The host's calls: triggers, listings, reads. */
    private final Database db;
    /** The scheduler's calls, on a pool of their own: host reads never take these connections. */
    private final Database sched;
    private final HikariDataSource ownedPool;
    private final HikariDataSource schedulerPool;
    private final RunQueries runs;
    private final TaskQueries tasks;
    private final ClaimQueries claims;
    private final ListingQueries listings;
    private final WakeNotifier notifier;
    private final WorkflowStore workflows;
    private final ClaimStore claiming;
    private final ControlStore control;
    private final NodeStore nodes;
    private final ScheduleStore schedules;
    private final boolean listen;
    /** Opens the dedicated connection a started node listens on (PostgreSQL). */
    private volatile Callable<Connection> listenConnections;
    /** The schema and table prefix, which with the URL name this store's default log directory. */
    private final String schema;
    private final String tablePrefix;
    /** The URL this store was opened with; {@code null} when opened on a host's DataSource. */
    private volatile String openedUrl;

    /** Wires the per-table classes; {@link EngineOpener} opens the pools and migrates first. */
    JdbcEngine(DataSource dataSource, HikariDataSource ownedPool, HikariDataSource schedulerPool,
               HeartbeatLane.Opener heartbeatConnections, Dialect dialect, JdbcStoreOptions options) {
        this.ownedPool = ownedPool;
        this.schedulerPool = schedulerPool;
        DialectSupport support = dialect == Dialect.SQLITE ? new SqliteSupport()
                : new PostgresSupport(options.schema(), options.databaseClock());
        this.db = new Database(dataSource, support.sqlDialect(), support.singleWriter());
        this.sched = db.on(schedulerPool);
        // SQLite is local and its writes queue behind one lock anyway: heartbeats go with the scheduler's.
        HeartbeatLane heartbeats = dialect == Dialect.POSTGRESQL ? new HeartbeatLane(heartbeatConnections) : null;
        Tables tables = new Tables(support.schema(), options.tablePrefix());
        this.schema = options.schema();
        this.tablePrefix = options.tablePrefix();
        var renderer = db.renderer();
        VersionNames versionNames = new VersionNames();
        this.runs = new RunQueries(tables);
        RunCreator runCreator = new RunCreator(tables, runs, renderer, db.jdbc(), dialect == Dialect.POSTGRESQL, versionNames);
        this.tasks = new TaskQueries(tables);
        TaskWriter writer = new TaskWriter(tables, support.binder(renderer, db.jdbc()));
        // The store's own scheduler pool (not connections reserved from a host's pool, whose
        // sessions are the host's) sets the claim's planner setting once a connection.
        this.claims = new ClaimQueries(tables, support, renderer, db.jdbc(), writer,
                ownedPool != null && dialect == Dialect.POSTGRESQL);
        Releases releases = new Releases(tables);
        UpdateApplier updates = new UpdateApplier(tables, renderer, db.jdbc(), support, writer, releases);
        this.nodes = new NodeStore(sched, heartbeats, new NodeQueries(tables, claims, support), claims, dialect);
        this.listings = new ListingQueries(tables);
        this.notifier = new WakeNotifier(support.schema(), options.tablePrefix(), dialect == Dialect.POSTGRESQL);
        this.claiming = new ClaimStore(sched, claims, updates, notifier);
        this.workflows = new WorkflowStore(db, sched, new WorkflowQueries(tables, renderer, db.jdbc()), runCreator,
                versionNames, claims, claiming, notifier);
        this.control = new ControlStore(db, sched, new RunControl(tables, updates), claims, notifier);
        this.schedules = new ScheduleStore(db, sched, new ScheduleQueries(tables), notifier);
        this.listen = dialect == Dialect.POSTGRESQL && options.listen();
        this.listenConnections = dataSource::getConnection;
    }

    /**
     * Opens a store at {@code jdbcUrl} with its own connection pool, closed by {@link #close()}.
     *
     * @throws IllegalStateException if the database cannot be reached or migrated
     */
    public static JdbcEngine open(String jdbcUrl, Dialect dialect, JdbcStoreOptions options) {
        return EngineOpener.open(jdbcUrl, dialect, options);
    }

    /**
     * Opens a store on connections from {@code dataSource}, which it does not close.
     *
     * @throws IllegalStateException if the database cannot be reached or migrated
     */
    public static JdbcEngine open(DataSource dataSource, Dialect dialect, JdbcStoreOptions options) {
        return EngineOpener.open(dataSource, dialect, options);
    }

    /** Records the URL this store was opened at, and how to open its listening connection. */
    void openedAt(String jdbcUrl, Callable<Connection> listenConnections) {
        this.listenConnections = listenConnections;
        this.openedUrl = jdbcUrl;
    }

    @Override
    public WorkflowRow saveWorkflow(String name, String specJson, Instant now) {
        return workflows.saveWorkflow(name, specJson, now);
    }

    @Override
    public Optional<WorkflowRow> findWorkflow(String name) {
        return workflows.findWorkflow(name);
    }

    /** One read on a statement prepared once: the latest live version and the paused flag. */
    @Override
    public Optional<TriggerTarget> findTriggerTarget(String name) {
        return workflows.findTriggerTarget(name);
    }

    @Override
    public Optional<WorkflowRow> findWorkflowVersion(long versionId) {
        return workflows.findWorkflowVersion(versionId);
    }

    @Override
    public List<WorkflowRow> listWorkflows() {
        return workflows.listWorkflows();
    }

    @Override
    public boolean deleteWorkflow(String name, Instant now) {
        return workflows.deleteWorkflow(name, now);
    }

    @Override
    public CreatedRun createRun(NewRun run, Instant now) {
        return workflows.createRun(run, now);
    }

    @Override
    public Optional<CreatedRun> createRunOfLatest(NewRun run, String workflow, Instant now) {
        return workflows.createRunOfLatest(run, workflow, now);
    }

    @Override
    public Optional<RunRow> findRun(long runId) {
        return db.read("findRun", (ctx, c) -> runs.find(ctx, runId));
    }

    @Override
    public List<RunRow> listRuns(RunFilter filter) {
        Objects.requireNonNull(filter, "filter must not be null");
        return db.read("listRuns", (ctx, c) -> runs.list(ctx, filter));
    }

    @Override
    public List<TaskRow> listTasks(long runId) {
        return db.read("listTasks", (ctx, c) -> tasks.listTasks(ctx, runId));
    }

    @Override
    public List<AttemptRow> listAttempts(long taskId) {
        return db.read("listAttempts", (ctx, c) -> tasks.listAttempts(ctx, taskId));
    }

    @Override
    public List<StepRow> listSteps(long runId) {
        return db.read("listSteps", (ctx, c) -> listings.steps(ctx, runId));
    }

    @Override
    public List<TaskRow> listTasks(TaskFilter filter) {
        Objects.requireNonNull(filter, "filter must not be null");
        return db.read("listTasksPage", (ctx, c) -> listings.tasks(ctx, filter));
    }

    @Override
    public List<NodeRow> listNodes() {
        return db.read("listNodes", (ctx, c) -> listings.nodes(ctx));
    }

    @Override
    public List<ClaimedTask> claimReady(String nodeId, int limit, Instant now) {
        return claiming.claimReady(nodeId, null, limit, now);
    }

    @Override
    public List<ClaimedTask> claimReady(String nodeId, Set<String> executorTypes, int limit, Instant now) {
        return claiming.claimReady(nodeId, executorTypes, limit, now);
    }

    /** Both in one transaction: one commit for the scheduler's write and its next claim. */
    @Override
    public WriteAndClaim applyUpdatesAndClaim(List<TaskUpdate> batch, String nodeId, int limit, Instant now) {
        return claiming.applyUpdatesAndClaim(batch, nodeId, null, limit, limit, now);
    }

    /** Both in one transaction: one commit for the scheduler's write and its next claim. */
    @Override
    public WriteAndClaim applyUpdatesAndClaim(List<TaskUpdate> batch, String nodeId, Set<String> executorTypes,
                                              int limit, Instant now) {
        return claiming.applyUpdatesAndClaim(batch, nodeId, executorTypes, limit, limit, now);
    }

    /** Both in one transaction: one commit for the scheduler's write and its next claim. */
    @Override
    public WriteAndClaim applyUpdatesAndClaim(List<TaskUpdate> batch, String nodeId, Set<String> executorTypes,
                                              int limit, int startable, Instant now) {
        return claiming.applyUpdatesAndClaim(batch, nodeId, executorTypes, limit, startable, now);
    }

    @Override
    public List<Long> applyUpdates(List<TaskUpdate> batch, Instant now) {
        return claiming.applyUpdates(batch, now);
    }

    // ---- nodes: see NodeStore

    @Override
    public boolean heartbeat(String nodeId, Instant now) {
        return nodes.heartbeat(nodeId, now);
    }

    @Override
    public boolean heartbeat(String nodeId, Instant now, Duration timeout) {
        return nodes.heartbeat(nodeId, now, timeout);
    }

    @Override
    public List<ClaimedTask> takeOverDeadNodes(String nodeId, Duration lease, Instant now) {
        return nodes.takeOverDeadNodes(nodeId, lease, now);
    }

    @Override
    public List<ClaimedTask> inFlightOf(String nodeId) {
        return nodes.inFlightOf(nodeId);
    }

    @Override
    public void acquireSchedulerLock(String nodeId) {
        nodes.acquireSchedulerLock(nodeId);
    }

    @Override
    public void removeNode(String nodeId) {
        nodes.removeNode(nodeId);
    }

    @Override
    public CancelOutcome cancelRun(long runId, Instant now) {
        return control.cancelRun(runId, now);
    }

    @Override
    public CancelOutcome cancelTask(long taskId, Instant now) {
        return control.cancelTask(taskId, now);
    }

    @Override
    public Map<Long, Integer> cancelRequested(String nodeId) {
        return control.cancelRequested(nodeId);
    }

    @Override
    public int retryRun(long runId, Instant now) {
        return control.retryRun(runId, now);
    }

    @Override
    public List<Long> pruneRuns(Instant finishedBefore, int limit) {
        return control.pruneRuns(finishedBefore, limit);
    }

    @Override
    public boolean setWorkflowPaused(String name, boolean paused, Instant now) {
        return control.setWorkflowPaused(name, paused, now);
    }

    @Override
    public boolean isWorkflowPaused(String name) {
        return control.isWorkflowPaused(name);
    }

    /** Beside a SQLite file, or a folder named after the database: see {@link StoreFiles}. */
    @Override
    public Optional<Path> defaultLogDirectory() {
        String url = openedUrl != null ? openedUrl : db.read("defaultLogDirectory", (ctx, c) -> c.getMetaData().getURL());
        return Optional.ofNullable(url == null ? null : StoreFiles.logDirectory(url, schema, tablePrefix));
    }

    /** The default log directory of a store at {@code jdbcUrl}: see {@link StoreFiles}. */
    public static Path logDirectory(String jdbcUrl, String schema, String tablePrefix) {
        return StoreFiles.logDirectory(jdbcUrl, schema, tablePrefix);
    }

    /**
     * On PostgreSQL with {@link JdbcStoreOptions#listen()}, listens for other processes' wake-ups
     * on a dedicated connection until the returned handle is closed; otherwise hears nothing.
     */
    @Override
    public WakeSubscription listen(WakeListener listener) {
        Objects.requireNonNull(listener, "listener must not be null");
        if (!listen) {
            return () -> { };
        }
        return new PgWakeListener(listenConnections, notifier.channel(), claims.limits().pacing(listener));
    }

    /** The channel this store's wake-ups are sent on (PostgreSQL). */
    public String wakeChannel() {
        return notifier.channel();
    }

    // ---- schedules: see ScheduleStore

    @Override
    public ScheduleRow createSchedule(ScheduleRow schedule) {
        return schedules.createSchedule(schedule);
    }

    @Override
    public Optional<ScheduleRow> findSchedule(String name) {
        return schedules.findSchedule(name);
    }

    @Override
    public List<ScheduleRow> listSchedules() {
        return schedules.listSchedules();
    }

    @Override
    public boolean deleteSchedule(String name) {
        return schedules.deleteSchedule(name);
    }

    @Override
    public boolean setSchedulePaused(String name, boolean paused, Instant nextFireAt) {
        return schedules.setSchedulePaused(name, paused, nextFireAt);
    }

    @Override
    public List<ScheduleRow> dueSchedules(Instant now, int limit) {
        return schedules.dueSchedules(now, limit);
    }

    @Override
    public boolean advanceSchedule(String name, Instant expectedNextFire, Instant newNextFire, Instant lastFireAt,
                                   Long lastRunId) {
        return schedules.advanceSchedule(name, expectedNextFire, newNextFire, lastFireAt, lastRunId);
    }

    @Override
    public Optional<Instant> nextScheduleFire() {
        return schedules.nextScheduleFire();
    }

    /** Closes the connection pool this store created; a given {@code DataSource} stays open. */
    @Override
    public void close() {
        workflows.close();
        nodes.close();
        db.close();
        schedulerPool.close();
        if (ownedPool != null) {
            ownedPool.close();
        }
    }
}
