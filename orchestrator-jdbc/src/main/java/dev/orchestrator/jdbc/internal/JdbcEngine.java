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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sql.DataSource;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
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
 * which are all package-private. Thread-safe; on SQLite, write transactions are serialized here.
 */
public final class JdbcEngine implements Store {

    private static final Logger LOG = LoggerFactory.getLogger(JdbcEngine.class);
    /** The time limit of a heartbeat called without one. */
    private static final Duration DEFAULT_HEARTBEAT_TIMEOUT = Duration.ofSeconds(10);

    /** Whether the last claim found nothing; only the scheduler loop claims, so no race matters. */
    private volatile boolean lastClaimEmpty;
    /** The host's calls: triggers, listings, reads. */
    private final Database db;
    /** The scheduler's calls, on a pool of their own: host reads never take these connections. */
    private final Database sched;
    private final HikariDataSource ownedPool;
    private final HikariDataSource schedulerPool;
    /** Heartbeats on PostgreSQL: one held connection, apart from both pools; null on SQLite. */
    private final HeartbeatLane heartbeats;
    private final WorkflowQueries workflows;
    private final RunQueries runs;
    private final RunCreator runCreator;
    private final VersionNames versionNames = new VersionNames();
    private final TaskQueries tasks;
    private final ClaimQueries claims;
    private final UpdateApplier updates;
    private final NodeQueries nodes;
    private final RunControl control;
    private final Dialect dialect;
    /** The SQLite file this store schedules, once {@link #acquireSchedulerLock} took its lock. */
    private volatile Path lockedFile;
    private final ListingQueries listings;
    private final ScheduleQueries schedules;
    private final WakeNotifier notifier;
    private final boolean listen;
    /** Opens the dedicated connection a started node listens on (PostgreSQL). */
    private volatile Callable<Connection> listenConnections;
    /** The schema and table prefix, which with the URL name this store's default log directory. */
    private final String schema;
    private final String tablePrefix;
    /** The URL this store was opened with; {@code null} when opened on a host's DataSource. */
    private volatile String openedUrl;

    private JdbcEngine(DataSource dataSource, HikariDataSource ownedPool, HikariDataSource schedulerPool,
                       HeartbeatLane.Opener heartbeatConnections, Dialect dialect, JdbcStoreOptions options) {
        this.ownedPool = ownedPool;
        this.schedulerPool = schedulerPool;
        DialectSupport support = dialect == Dialect.SQLITE ? new SqliteSupport()
                : new PostgresSupport(options.schema(), options.databaseClock());
        this.db = new Database(dataSource, support.sqlDialect(), support.singleWriter());
        this.sched = db.on(schedulerPool);
        // SQLite is local and its writes queue behind one lock anyway: heartbeats go with the scheduler's.
        this.heartbeats = dialect == Dialect.POSTGRESQL ? new HeartbeatLane(heartbeatConnections) : null;
        Tables tables = new Tables(support.schema(), options.tablePrefix());
        this.schema = options.schema();
        this.tablePrefix = options.tablePrefix();
        var renderer = db.renderer();
        this.workflows = new WorkflowQueries(tables, renderer, db.jdbc());
        this.runs = new RunQueries(tables);
        this.runCreator = new RunCreator(tables, runs, renderer, db.jdbc(), dialect == Dialect.POSTGRESQL, versionNames);
        this.tasks = new TaskQueries(tables);
        TaskWriter writer = new TaskWriter(tables, support.binder(renderer, db.jdbc()));
        this.claims = new ClaimQueries(tables, support, renderer, db.jdbc(), writer);
        Releases releases = new Releases(tables);
        this.updates = new UpdateApplier(tables, renderer, db.jdbc(), support, writer, releases);
        this.nodes = new NodeQueries(tables, claims, support);
        this.control = new RunControl(tables, updates);
        this.dialect = dialect;
        this.listings = new ListingQueries(tables);
        this.schedules = new ScheduleQueries(tables);
        this.notifier = new WakeNotifier(support.schema(), options.tablePrefix(), dialect == Dialect.POSTGRESQL);
        this.listen = dialect == Dialect.POSTGRESQL && options.listen();
        this.listenConnections = dataSource::getConnection;
    }

    /**
     * Opens a store at {@code jdbcUrl} with its own connection pool, closed by {@link #close()}.
     *
     * @throws IllegalStateException if the database cannot be reached or migrated
     */
    public static JdbcEngine open(String jdbcUrl, Dialect dialect, JdbcStoreOptions options) {
        HikariDataSource pool = Pools.open(jdbcUrl, dialect, options.poolSize(dialect), options, "host");
        HikariDataSource scheduler = null;
        try {
            scheduler = Pools.open(jdbcUrl, dialect, Pools.SCHEDULER_CONNECTIONS, options, "scheduler");
            JdbcEngine engine = start(pool, pool, scheduler, timeout -> {
                java.util.Properties p = Pools.postgresProperties(options);
                // Connecting must not outlast the heartbeat's time limit either.
                String connect = Long.toString(Math.min(Pools.seconds(options.connectTimeout()), Pools.seconds(timeout)));
                p.setProperty("connectTimeout", connect);
                p.setProperty("loginTimeout", connect);
                return DriverManager.getConnection(jdbcUrl, p);
            }, dialect, options);
            engine.listenConnections = () -> DriverManager.getConnection(jdbcUrl); // not one of the pool's
            engine.openedUrl = jdbcUrl;
            LOG.info("Opened {} store at {} with {}, pool size {} (and {} for the scheduler)", dialect,
                    Pools.redact(jdbcUrl), options, options.poolSize(dialect), Pools.SCHEDULER_CONNECTIONS);
            return engine;
        } catch (RuntimeException e) {
            if (scheduler != null) {
                scheduler.close();
            }
            pool.close();
            throw e;
        }
    }

    /**
     * Opens a store on connections from {@code dataSource}, which it does not close.
     *
     * @throws IllegalStateException if the database cannot be reached or migrated
     */
    public static JdbcEngine open(DataSource dataSource, Dialect dialect, JdbcStoreOptions options) {
        // The scheduler's connections are taken from the given pool once and kept (reserved).
        HikariDataSource reserved = Pools.reserve(dataSource, dialect, Pools.SCHEDULER_CONNECTIONS, options);
        try {
            JdbcEngine engine = start(dataSource, null, reserved, timeout -> dataSource.getConnection(), dialect, options);
            LOG.info("Opened {} store on a given DataSource with {}; {} of its connections reserved for the scheduler",
                    dialect, options, Pools.SCHEDULER_CONNECTIONS);
            return engine;
        } catch (RuntimeException e) {
            reserved.close();
            throw e;
        }
    }

    private static JdbcEngine start(DataSource ds, HikariDataSource pool, HikariDataSource scheduler,
                                    HeartbeatLane.Opener heartbeatConnections, Dialect dialect, JdbcStoreOptions options) {
        if (options.migrate()) {
            try {
                int ran = Migrations.migrate(ds, dialect, dialect == Dialect.POSTGRESQL ? options.schema() : null,
                        options.tablePrefix());
                if (ran > 0) {
                    LOG.info("Applied {} schema migration(s) to the {} store", ran, dialect);
                }
            } catch (RuntimeException e) {
                throw new IllegalStateException("cannot migrate the " + dialect + " store: " + e.getMessage(), e);
            }
        }
        return new JdbcEngine(ds, pool, scheduler, heartbeatConnections, dialect, options);
    }

    @Override
    public WorkflowRow saveWorkflow(String name, String specJson, Instant now) {
        requireText(name, "name");
        Objects.requireNonNull(specJson, "specJson must not be null");
        long at = Millis.required(now, "now");
        for (int attempt = 1; ; attempt++) {
            try {
                return versionNames.remember(db.write("saveWorkflow", (ctx, c) -> workflows.save(ctx, name, specJson, at)));
            } catch (IllegalStateException e) {
                // Two nodes saved the same new version at once; the next try sees the winner's row.
                if (attempt >= 3 || !Database.isUniqueViolation(e)) {
                    throw e;
                }
            }
        }
    }

    @Override
    public Optional<WorkflowRow> findWorkflow(String name) {
        requireText(name, "name");
        return versionNames.rememberFound(db.read("findWorkflow", (ctx, c) -> workflows.findLatest(ctx, name)));
    }

    /** One read on a statement prepared once: the latest live version and the paused flag. */
    @Override
    public Optional<TriggerTarget> findTriggerTarget(String name) {
        requireText(name, "name");
        Optional<TriggerTarget> target = db.read("findTriggerTarget", (ctx, c) -> workflows.findTriggerTarget(c, name));
        target.ifPresent(x -> versionNames.remember(x.workflow()));
        return target;
    }

    @Override
    public Optional<WorkflowRow> findWorkflowVersion(long versionId) {
        return versionNames.rememberFound(sched.read("findWorkflowVersion", (ctx, c) -> workflows.findVersion(ctx, versionId)));
    }

    @Override
    public List<WorkflowRow> listWorkflows() {
        return db.read("listWorkflows", (ctx, c) -> workflows.listLatest(ctx));
    }

    @Override
    public boolean deleteWorkflow(String name, Instant now) {
        requireText(name, "name");
        long at = Millis.required(now, "now");
        return db.write("deleteWorkflow", (ctx, c) -> workflows.delete(ctx, name, at));
    }

    @Override
    public CreatedRun createRun(NewRun run, Instant now) {
        RunCreator.validate(run);
        long at = Millis.required(now, "now");
        Work<CreatedRun> work = (ctx, c) -> {
            CreatedRun r = runCreator.create(ctx, c, run, at, notifier.channel());
            if (r.created() && run.limited()) {
                WakeNotifier.limitsReady(ctx); // other nodes' claims look for limited work at once
                notifier.flush(ctx, c);
            }
            return r;
        };
        // Without an idempotency key or limits, a run is one statement on PostgreSQL: no transaction needed.
        CreatedRun created = runCreator.isOneStatement(run) ? db.writeOne("createRun", work)
                : db.write("createRun", work);
        if (created.created()) {
            lastClaimEmpty = false; // the next claim finds work: no look-ahead read before it
        }
        if (created.created() && run.limited()) {
            claims.limits().limitedWork();
        }
        return created;
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
        return claimReady(nodeId, null, limit, now);
    }

    @Override
    public List<ClaimedTask> claimReady(String nodeId, Set<String> executorTypes, int limit, Instant now) {
        return claimReady(nodeId, executorTypes, limit, limit, now);
    }

    private List<ClaimedTask> claimReady(String nodeId, Set<String> executorTypes, int limit, int startable,
                                         Instant now) {
        List<String> types = ClaimQueries.typeKey(executorTypes);
        requireText(nodeId, "nodeId");
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be at least 1, got " + limit);
        }
        long at = Millis.required(now, "now");
        // After an empty claim (an idle node polling), look with one read before opening a write
        // transaction: an idle poll then costs one statement.
        if (lastClaimEmpty && !sched.read("claimReady", (ctx, c) -> claims.anyReady(c, types, at))) {
            return List.of();
        }
        List<ClaimedTask> claimed = sched.write("claimReady", (ctx, c) -> {
            List<ClaimedTask> got = claims.claim(ctx, c, nodeId, types, limit, startable, at);
            notifier.flush(ctx, c);
            return got;
        });
        lastClaimEmpty = claimed.isEmpty();
        return claimed;
    }

    /** Both in one transaction: one commit for the scheduler's write and its next claim. */
    @Override
    public WriteAndClaim applyUpdatesAndClaim(List<TaskUpdate> batch, String nodeId, int limit, Instant now) {
        return applyUpdatesAndClaim(batch, nodeId, null, limit, now);
    }

    /** Both in one transaction: one commit for the scheduler's write and its next claim. */
    @Override
    public WriteAndClaim applyUpdatesAndClaim(List<TaskUpdate> batch, String nodeId, Set<String> executorTypes,
                                              int limit, Instant now) {
        return applyUpdatesAndClaim(batch, nodeId, executorTypes, limit, limit, now);
    }

    /** Both in one transaction: one commit for the scheduler's write and its next claim. */
    @Override
    public WriteAndClaim applyUpdatesAndClaim(List<TaskUpdate> batch, String nodeId, Set<String> executorTypes,
                                              int limit, int startable, Instant now) {
        Objects.requireNonNull(batch, "updates must not be null");
        if (batch.isEmpty() || limit < 1) {
            List<Long> ended = batch.isEmpty() ? List.of() : applyUpdates(batch, now);
            List<ClaimedTask> claimed = limit < 1 ? List.of()
                    : claimReady(nodeId, executorTypes, limit, Math.max(0, startable), now);
            return new WriteAndClaim(ended, claimed);
        }
        List<String> types = ClaimQueries.typeKey(executorTypes);
        requireText(nodeId, "nodeId");
        long at = Millis.required(now, "now");
        WriteAndClaim result = sched.write("applyUpdatesAndClaim", (ctx, c) -> {
            WriteAndClaim r = new WriteAndClaim(updates.apply(ctx, c, batch, at), claims.claim(ctx, c, nodeId, types, limit,
                    Math.max(0, startable), at));
            notifyRetries(ctx, c, batch);
            return r;
        });
        claims.limits().written(batch);
        lastClaimEmpty = result.claimed().isEmpty();
        return result;
    }

    @Override
    public List<Long> applyUpdates(List<TaskUpdate> batch, Instant now) {
        Objects.requireNonNull(batch, "updates must not be null");
        long at = Millis.required(now, "now");
        if (batch.isEmpty()) {
            return List.of();
        }
        List<Long> ended = sched.write("applyUpdates", (ctx, c) -> {
            List<Long> e = updates.apply(ctx, c, batch, at);
            notifyRetries(ctx, c, batch);
            return e;
        });
        claims.limits().written(batch);
        return ended;
    }

    @Override
    public boolean heartbeat(String nodeId, Instant now) {
        return heartbeat(nodeId, now, DEFAULT_HEARTBEAT_TIMEOUT);
    }

    /**
     * On PostgreSQL, on a connection of its own (see {@link HeartbeatLane}), each read from the
     * server limited to {@code timeout}; on SQLite, with the scheduler's writes.
     */
    @Override
    public boolean heartbeat(String nodeId, Instant now, Duration timeout) {
        requireText(nodeId, "nodeId");
        long at = Millis.required(now, "now");
        if (timeout == null || timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout must be positive, got " + timeout);
        }
        if (heartbeats == null) {
            return sched.write("heartbeat", (ctx, c) -> nodes.heartbeat(ctx, nodeId, at));
        }
        return heartbeats.write(sched, "heartbeat", timeout, (ctx, c) -> nodes.heartbeat(ctx, nodeId, at));
    }

    @Override
    public List<ClaimedTask> takeOverDeadNodes(String nodeId, Duration lease, Instant now) {
        requireText(nodeId, "nodeId");
        if (lease == null || lease.isNegative() || lease.isZero()) {
            throw new IllegalArgumentException("lease must be positive, got " + lease);
        }
        long leaseMillis = lease.toMillis();
        long at = Millis.required(now, "now");
        if (!sched.read("takeOverDeadNodes", (ctx, c) -> nodes.anythingDead(ctx, nodeId, leaseMillis, at))) {
            return List.of();
        }
        List<ClaimedTask> taken = sched.write("takeOverDeadNodes", (ctx, c) -> nodes.takeOver(ctx, nodeId, leaseMillis, at));
        claims.limits().capacityFreed(); // released tasks, and a dead node's claims no longer count
        return taken;
    }

    @Override
    public List<ClaimedTask> inFlightOf(String nodeId) {
        requireText(nodeId, "nodeId");
        return sched.read("inFlightOf", (ctx, c) -> nodes.inFlightOf(ctx, nodeId));
    }

    @Override
    public CancelOutcome cancelRun(long runId, Instant now) {
        long at = Millis.required(now, "now");
        CancelOutcome outcome = db.write("cancelRun", (ctx, c) -> {
            CancelOutcome o = control.cancelRun(ctx, c, runId, at);
            notifier.cancelled(c); // owners of its running tasks look for the cancel at once
            notifier.flush(ctx, c);
            return o;
        });
        claims.limits().capacityFreed(); // a cancelled run no longer counts against maxConcurrentRuns
        return outcome;
    }

    @Override
    public CancelOutcome cancelTask(long taskId, Instant now) {
        long at = Millis.required(now, "now");
        return db.write("cancelTask", (ctx, c) -> {
            CancelOutcome o = control.cancelTask(ctx, c, taskId, at);
            notifier.cancelled(c);
            notifier.flush(ctx, c);
            return o;
        });
    }

    @Override
    public Map<Long, Integer> cancelRequested(String nodeId) {
        requireText(nodeId, "nodeId");
        return sched.read("cancelRequested", (ctx, c) -> control.cancelRequested(ctx, nodeId));
    }

    @Override
    public int retryRun(long runId, Instant now) {
        long at = Millis.required(now, "now");
        int again = db.write("retryRun", (ctx, c) -> {
            int n = control.retryRun(ctx, runId, at);
            if (n > 0) {
                WakeNotifier.readyNow(ctx);
                notifier.flush(ctx, c);
            }
            return n;
        });
        if (again > 0) {
            claims.limits().readyNow();
        }
        return again;
    }

    @Override
    public List<Long> pruneRuns(Instant finishedBefore, int limit) {
        long before = Millis.required(finishedBefore, "finishedBefore");
        if (limit < 1 || limit > 10_000) {
            throw new IllegalArgumentException("limit must be between 1 and 10000, got " + limit);
        }
        return db.write("pruneRuns", (ctx, c) -> control.prune(ctx, before, limit));
    }

    @Override
    public boolean setWorkflowPaused(String name, boolean paused, Instant now) {
        requireText(name, "name");
        long at = Millis.required(now, "now");
        return db.write("setWorkflowPaused", (ctx, c) -> control.setPaused(ctx, name, paused, at));
    }

    @Override
    public boolean isWorkflowPaused(String name) {
        requireText(name, "name");
        return db.read("isWorkflowPaused", (ctx, c) -> control.isPaused(ctx, name));
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

    /** On SQLite, one process schedules a file: see {@link SchedulerLock}. */
    @Override
    public void acquireSchedulerLock(String nodeId) {
        if (dialect != Dialect.SQLITE || lockedFile != null) {
            return;
        }
        String url = sched.read("acquireSchedulerLock", (ctx, c) -> c.getMetaData().getURL());
        Path file = url == null ? null : SchedulerLock.databaseFile(url);
        if (file != null) {
            SchedulerLock.acquire(file, nodeId);
            lockedFile = file;
        }
    }

    @Override
    public void removeNode(String nodeId) {
        requireText(nodeId, "nodeId");
        sched.write("removeNode", (ctx, c) -> {
            nodes.remove(ctx, nodeId);
            return null;
        });
    }

    /**
     * Sends the transaction's one wake-up, if it made work ready: a step released its dependents
     * (marked by the cascade) or a retry was queued (its time is the payload).
     */
    private void notifyRetries(org.jooq.DSLContext ctx, Connection c, List<TaskUpdate> batch) throws java.sql.SQLException {
        for (TaskUpdate u : batch) {
            if (u.kind() == TaskUpdate.Kind.ENDED && u.retryAt() != null) {
                WakeNotifier.readyAt(ctx, u.retryAt().toEpochMilli());
            } else if (u.kind() == TaskUpdate.Kind.RELEASED) {
                WakeNotifier.readyNow(ctx); // a handed-back task is ready for another node at once
            }
        }
        notifier.flush(ctx, c);
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

    // ---- schedules: the statements are in ScheduleQueries

    @Override
    public ScheduleRow createSchedule(ScheduleRow schedule) {
        Objects.requireNonNull(schedule, "schedule must not be null");
        requireText(schedule.name(), "schedule.name");
        requireText(schedule.workflow(), "schedule.workflow");
        Objects.requireNonNull(schedule.specJson(), "schedule.specJson must not be null");
        try {
            return db.write("createSchedule", (ctx, c) -> {
                ScheduleRow row = schedules.create(ctx, schedule);
                notifier.schedulesChanged(c);
                return row;
            });
        } catch (IllegalStateException e) {
            if (Database.isUniqueViolation(e)) {
                throw new IllegalArgumentException("schedule '" + schedule.name() + "' already exists", e);
            }
            throw e;
        }
    }

    @Override
    public Optional<ScheduleRow> findSchedule(String name) {
        requireText(name, "name");
        return db.read("findSchedule", (ctx, c) -> schedules.find(ctx, name));
    }

    @Override
    public List<ScheduleRow> listSchedules() {
        return db.read("listSchedules", (ctx, c) -> schedules.list(ctx));
    }

    @Override
    public boolean deleteSchedule(String name) {
        requireText(name, "name");
        return db.write("deleteSchedule", (ctx, c) -> {
            boolean deleted = schedules.delete(ctx, name);
            notifier.schedulesChanged(c);
            return deleted;
        });
    }

    @Override
    public boolean setSchedulePaused(String name, boolean paused, Instant nextFireAt) {
        requireText(name, "name");
        return db.write("setSchedulePaused", (ctx, c) -> {
            boolean found = schedules.setPaused(ctx, name, paused, Millis.of(nextFireAt));
            notifier.schedulesChanged(c);
            return found;
        });
    }

    @Override
    public List<ScheduleRow> dueSchedules(Instant now, int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be at least 1, got " + limit);
        }
        long at = Millis.required(now, "now");
        return sched.read("dueSchedules", (ctx, c) -> schedules.due(ctx, at, limit));
    }

    @Override
    public boolean advanceSchedule(String name, Instant expectedNextFire, Instant newNextFire, Instant lastFireAt,
                                   Long lastRunId) {
        requireText(name, "name");
        return sched.write("advanceSchedule", (ctx, c) -> schedules.advance(ctx, name, Millis.of(expectedNextFire),
                Millis.of(newNextFire), Millis.of(lastFireAt), lastRunId));
    }

    @Override
    public Optional<Instant> nextScheduleFire() {
        return sched.read("nextScheduleFire", (ctx, c) -> schedules.nextFire(ctx));
    }

    /** Closes the connection pool this store created; a given {@code DataSource} stays open. */
    @Override
    public void close() {
        Path locked = lockedFile;
        if (locked != null) {
            lockedFile = null;
            SchedulerLock.release(locked);
        }
        if (heartbeats != null) {
            heartbeats.close();
        }
        db.close();
        schedulerPool.close();
        if (ownedPool != null) {
            ownedPool.close();
        }
    }

    private static void requireText(String value, String name) {
        if (value == null || value.isEmpty()) {
            throw new IllegalArgumentException(name + " must not be null or empty");
        }
    }
}
