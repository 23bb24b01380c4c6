package dev.orchestrator.internal;

import dev.orchestrator.NodeStatus;
import dev.orchestrator.spi.ClaimedTask;
import dev.orchestrator.spi.Store;
import dev.orchestrator.spi.Store.WakeSubscription;
import dev.orchestrator.spi.TaskUpdate;
import dev.orchestrator.spi.WriteAndClaim;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.DoubleSupplier;
import java.util.function.LongSupplier;
import java.util.concurrent.locks.LockSupport;

/**
 * The single writer of task state on this node (DESIGN.md section 3). Each {@link #tick} takes
 * what executors reported, runs the {@link Timers}, writes the updates and claims ready tasks
 * in one store call, and starts what it can through the {@link Dispatcher}. Triggers and
 * reports wake the loop at once; the poll interval is only a safety net.
 *
 * <p>Threads: {@link #start()} runs the loop on one platform thread, which alone touches the
 * {@link Ledger}, {@link Reports}, {@link Timers}, {@link ClaimPacer} and the fields marked
 * "loop thread". Tests call {@link #tick} directly instead, with the dispatch calls run on the
 * calling thread.
 */
final class Scheduler {

    private static final Logger log = LoggerFactory.getLogger(Scheduler.class);
    private static final Duration STORE_RETRY = Duration.ofSeconds(1);
    private static final int MAX_UPDATES_PER_WRITE = 10_000;
    private static final Duration MAX_PARK = Duration.ofMinutes(1);

    /** What one tick did. */
    record Tick(boolean worked, boolean done) {
    }

    private final OrchestratorConfig config;
    private final Store store;
    private final RunWaiters waiters;
    private final Clock clock;
    private final SafeListener listener;
    /** Owned here when the scheduler made it; shut down on stop. */
    private final ExecutorService ownThreads;
    private final Inbox inbox;
    private final Dispatcher dispatcher;
    private final ClaimPacer pacer;
    private final Ledger ledger;
    private final Reports reports;
    private final Timers timers;
    private final PoisonIsolation isolation;
    private final NodeLease lease;
    private final LeaseKeeper keeper;
    private final Departures departures;
    /** The executor types this node runs: it claims only their tasks. */
    private final Set<String> executorTypes;

    private final AtomicBoolean signal = new AtomicBoolean();
    private volatile boolean stopping;
    private volatile boolean abandon;
    private volatile Thread thread;
    /** Loop thread: no write before this after a failed one. */
    private Instant storeRetryAt = Instant.MIN;
    /** Loop thread: whether the tasks claimed ahead were handed back on stop. */
    private boolean handedBack;
    /** Fires due schedules; set once before start (null in unit tests that need none). */
    private volatile ScheduleFirer schedules;
    /** What the store hears from other processes, and the registration that hears it. */
    private final RemoteWakeUps remote;
    private volatile WakeSubscription listening;
    /** When the loop last began a tick, or null before the first. */
    private volatile Instant lastTick;
    /** When the node last fenced itself, or null if it never did. */
    private volatile Instant lastFenced;

    /** A scheduler whose executor calls run on virtual threads. */
    Scheduler(OrchestratorConfig config, Store store, ExecutorRegistry executors, SpecCache specs, RunWaiters waiters) {
        this(config, store, executors, specs, waiters,
                Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("orchestrator-dispatch-", 0).factory()),
                () -> ThreadLocalRandom.current().nextDouble(), System::nanoTime);
    }

    /**
     * A scheduler whose executor calls (start, cancel, adopt) run on {@code dispatchThreads} and
     * whose retry backoff is shortened by {@code jitter}, a source of numbers in {@code [0, 1)};
     * the lease is measured on {@code ticker}, in nanoseconds.
     */
    Scheduler(OrchestratorConfig config, Store store, ExecutorRegistry executors, SpecCache specs, RunWaiters waiters,
              java.util.concurrent.Executor dispatchThreads, DoubleSupplier jitter, LongSupplier ticker) {
        this.config = config;
        this.store = store;
        this.waiters = waiters;
        this.clock = config.clock();
        this.listener = new SafeListener(config.listener());
        this.ownThreads = dispatchThreads instanceof ExecutorService s ? s : null;
        this.inbox = new Inbox(this::wake);
        this.lease = new NodeLease(config.nodeId(), config.nodeLease(), ticker);
        this.dispatcher = new Dispatcher(config.maxConcurrency(), dispatchThreads, clock, lease::held);
        this.pacer = new ClaimPacer(config.maxConcurrency(), config.batchSize(), config.pollInterval(),
                config.maxPollInterval());
        this.ledger = new Ledger(specs, executors, inbox, dispatcher);
        this.reports = new Reports(ledger, dispatcher, pacer, listener, jitter, lease::nodeId);
        this.isolation = new PoisonIsolation(store);
        this.keeper = new LeaseKeeper(config, store, lease, executors, clock, this::wake, this::requestClaim);
        this.timers = new Timers(config, store, ledger, dispatcher, reports, new TakeOver(ledger, dispatcher, reports, pacer),
                lease, keeper, this::fence);
        this.executorTypes = Set.copyOf(executors.knownTypes());
        this.departures = new Departures(config, ledger, dispatcher, reports, lease, timers, pacer);
        // A wake-up from another process: a trigger, a release or a retry asks for a claim; a cancel
        // also for a look at cancel requests.
        this.remote = new RemoteWakeUps(clock, this::requestClaim, timers::requestCancelCheck, this::wake, () -> {
            ScheduleFirer f = schedules;
            if (f != null) {
                f.changed();
            }
        });
    }

    /** Before start: the loop fires due schedules with {@code firer}. */
    void fireSchedules(ScheduleFirer firer) {
        this.schedules = firer;
    }

    /** Any thread: run a tick soon (schedules changed). */
    void wakeUp() {
        wake();
    }

    void start() {
        keeper.start(); // first: nothing is claimed before the first renewal
        Thread t = Thread.ofPlatform().name("orchestrator-scheduler").daemon(true).unstarted(this::loop);
        thread = t;
        t.start();
        try {
            listening = store.listen(remote);
        } catch (RuntimeException e) {
            log.warn("the store cannot tell this node about work from other processes; polling only: {}", e.toString());
        }
    }

    /** Any thread: a cancel was issued; the loop stops what it runs of it at once. */
    void requestCancelCheck() {
        timers.requestCancelCheck();
        wake();
    }

    /** Any thread: asks the loop to claim soon (a run was triggered). */
    void requestClaim() {
        pacer.request();
        wake();
    }

    private void wake() {
        if (!signal.getAndSet(true)) {
            Thread t = thread;
            if (t != null) {
                LockSupport.unpark(t);
            }
        }
    }

    /**
     * Stops claiming and waits up to {@code timeout} for attempts in flight to end and be
     * written. Returns whether nothing was left in flight.
     */
    boolean stop(Duration timeout) throws InterruptedException {
        Thread t = thread;
        if (t == null) {
            return true;
        }
        stopping = true;
        dispatcher.close(); // nothing more starts, not even what was claimed ahead
        WakeSubscription l = listening;
        if (l != null) {
            l.close();
        }
        wake();
        t.join(Math.max(1, timeout.toMillis()));
        boolean clean = !t.isAlive();
        if (!clean) {
            abandon = true;
            wake();
            t.join(10_000);
        }
        dispatcher.close();
        keeper.stop(Duration.ofSeconds(10)); // after the loop: a stopping node heartbeats until its last write
        if (ownThreads != null) {
            ownThreads.shutdown();
        }
        return clean;
    }

    private void loop() {
        log.debug("scheduler loop started");
        while (true) {
            try {
                Tick tick = tick(clock.instant());
                if (tick.done()) {
                    break;
                }
                if (!tick.worked() && !signal.getAndSet(false)) {
                    LockSupport.parkNanos(nanosUntilNextWake(clock.instant()));
                }
            } catch (RuntimeException e) {
                // A bug must not silently stop scheduling: log it, pause briefly, go on.
                log.error("scheduler iteration failed; continuing in {}", STORE_RETRY, e);
                LockSupport.parkNanos(STORE_RETRY.toNanos());
            } catch (Error e) {
                log.error("scheduler loop stopped by an error; this node schedules nothing more", e);
                throw e;
            }
        }
        if (!ledger.isEmpty()) {
            log.warn("scheduler stopped with {} attempts still running; another node (or the next start) takes them over "
                    + "after the node lease of {}", ledger.size(), config.nodeLease());
        }
        log.debug("scheduler loop ended");
    }

    /**
     * One pass of the loop at {@code now}: take reports and start ready tasks, run the timers,
     * write and claim, start again. Never blocks except in store calls.
     */
    Tick tick(Instant now) {
        lastTick = now;
        if (stopping && !handedBack) {
            handedBack = true;
            departures.handBackUnstarted();
        }
        boolean worked = refill(now);
        if (abandon) {
            departures.stopAndHandBack();
            writeAndClaim(now, false); // a last write of what executors reported, and the hand-backs
            return new Tick(worked, true);
        }
        timers.run(now, stopping);
        if (remote.claimDue(now)) {
            pacer.request();
        }
        worked |= writeAndClaim(now, !stopping);
        ScheduleFirer firer = schedules;
        if (firer != null && !stopping && lease.held()) {
            worked |= firer.runIfDue(now) > 0; // after the claim, so it never delays one; its runs are claimed next tick
        }
        worked |= refill(clock.instant());
        boolean done = stopping && ledger.isEmpty() && inbox.isEmpty() && reports.isEmpty();
        return new Tick(worked, done);
    }

    private long nanosUntilNextWake(Instant now) {
        Instant next = pacer.nextWake();
        if (timers.nextWake().isBefore(next)) {
            next = timers.nextWake();
        }
        if (!reports.isEmpty() && storeRetryAt.isBefore(next)) {
            next = storeRetryAt;
        }
        ScheduleFirer firer = schedules;
        if (firer != null && firer.nextWake().isBefore(next)) {
            next = firer.nextWake(); // sleep until the next fire: schedules are never polled for
        }
        if (remote.nextWake().isBefore(next)) {
            next = remote.nextWake();
        }
        if (!next.isAfter(now)) {
            return 100_000;
        }
        Duration wait = Duration.between(now, next);
        return wait.compareTo(MAX_PARK) > 0 ? MAX_PARK.toNanos() : Math.max(wait.toNanos(), 100_000);
    }

    /**
     * Takes the reports queued so far and starts ready tasks in free slots (the threads that free
     * slots start most of them already). Runs between the store calls.
     */
    private boolean refill(Instant now) {
        // Before taking reports: once the lease ran out, what the executors report (a process the
        // watchdog stopped, exit 143) belongs to attempts other nodes may run again; fencing drops it.
        if (lease.lapsed()) {
            fence();
        }
        boolean drained = inbox.drain(MAX_UPDATES_PER_WRITE, (t, u) -> reports.convert(t, u, now)) > 0;
        return dispatcher.startReady(now, false) || drained;
    }

    /**
     * Writes the queued updates and, when a claim is due, claims in the same store call (one
     * transaction on the JDBC store). Returns whether anything was written or claimed.
     */
    private boolean writeAndClaim(Instant now, boolean mayClaim) {
        boolean write = !reports.isEmpty() && !now.isBefore(storeRetryAt);
        int limit = mayClaim && lease.held() ? pacer.limit(now, ledger.size()) : 0;
        if (!write && limit == 0) {
            return false;
        }
        // Read the clock after clearing the claim request: a run triggered before the request was
        // cleared has ready_at <= this instant, so the claim cannot miss it.
        Instant at = clock.instant();
        List<TaskUpdate> batch = write ? reports.unwritten() : List.of();
        WriteAndClaim result;
        long t0 = System.nanoTime();
        try {
            result = store.applyUpdatesAndClaim(batch, lease.nodeId(), executorTypes, limit,
                    pacer.startable(ledger.size()), at);
        } catch (RuntimeException e) {
            if (write && !StoreErrors.isTransient(e)) {
                // The database rejects something in the batch: find it, write the rest.
                PoisonIsolation.Outcome o = isolation.isolate(batch, at);
                if (limit > 0) {
                    pacer.request(); // the claim was rolled back with the write: claim again next tick
                }
                written(o.handled(), o.endedRuns(), Duration.ofNanos(System.nanoTime() - t0));
                if (o.interrupted()) {
                    storeRetryAt = at.plus(STORE_RETRY);
                }
                return true;
            }
            if (write) {
                storeRetryAt = at.plus(STORE_RETRY);
                log.warn("could not write {} status updates; keeping them and retrying in {}: {}", batch.size(),
                        STORE_RETRY, e.toString());
            } else {
                log.warn("claim failed; retrying at the next poll ({}): {}", config.pollInterval(), e.toString());
            }
            return false;
        }
        Duration latency = Duration.ofNanos(System.nanoTime() - t0);
        if (write) {
            written(batch, result.endedRuns(), latency);
        }
        if (limit > 0) {
            listener.claimed(limit, result.claimed().size(), latency);
            claimed(result.claimed(), limit, at);
        }
        return true;
    }

    private void written(List<TaskUpdate> batch, List<Long> endedRuns, Duration latency) {
        reports.written(batch);
        listener.written(batch.size(), latency, inbox.depth());
        for (TaskUpdate u : batch) {
            if (u.kind() == TaskUpdate.Kind.ENDED || u.kind() == TaskUpdate.Kind.RELEASED) {
                // slots freed, retries queued, downstream steps may be released; released tasks are ready again
                pacer.request();
                break;
            }
        }
        if (!endedRuns.isEmpty()) {
            waiters.ended(endedRuns);
            log.debug("runs ended: {}", endedRuns);
        }
    }

    /** The store says others declared this node dead: fence (see {@link Departures#fence}). */
    private void fence() {
        lastFenced = clock.instant();
        departures.fence();
    }

    /** What this node is doing and whether it holds its lease (see {@link dev.orchestrator.NodeStatus}). */
    NodeStatus status(boolean started) {
        Thread t = thread;
        Instant beat = keeper.lastHeartbeatAt();
        Instant fencedAt = lastFenced;
        long sinceRenewal = lease.now() - lease.lastRenewalSentAt();
        boolean held = lease.held();
        NodeLease.Identity id = lease.identity();
        return new NodeStatus(id.nodeId(), id.incarnation(), started && !stopping,
                beat, beat == null ? null : Duration.ofNanos(Math.max(0, sinceRenewal)), config.nodeLease(), held,
                keeper.failingSince(), !held && (fencedAt != null || lease.lapsed()), fencedAt,
                t != null && t.isAlive(), lastTick, keeper.alive(), clock.instant());
    }

    /** This node's id now: the configured one, or a new incarnation after fencing. */
    String nodeId() {
        return lease.nodeId();
    }

    /** Takes claimed tasks as owned and ready to start, and paces the next claim. */
    private void claimed(List<ClaimedTask> claimed, int limit, Instant now) {
        pacer.claimed(claimed.size(), limit, now, claimed.isEmpty() && ledger.isEmpty());
        for (ClaimedTask c : claimed) {
            try {
                dispatcher.offer(ledger.own(c, now));
            } catch (RuntimeException e) {
                // Never stop the loop over one task: record why it cannot start.
                reports.cannotRun(c, e);
            }
        }
    }
}
