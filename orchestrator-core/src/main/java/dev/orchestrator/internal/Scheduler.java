package dev.orchestrator.internal;

import dev.orchestrator.AttemptOutcome;
import dev.orchestrator.StepSpec;
import dev.orchestrator.WorkflowSpec;
import dev.orchestrator.spi.ClaimedTask;
import dev.orchestrator.spi.Dispatch;
import dev.orchestrator.spi.Executor;
import dev.orchestrator.spi.StatusUpdate;
import dev.orchestrator.spi.Store;
import dev.orchestrator.spi.TaskContext;
import dev.orchestrator.spi.TaskUpdate;
import dev.orchestrator.spi.WriteAndClaim;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * The single writer of task state on this node (DESIGN.md section 3). One loop: write the
 * status updates executors queued, run timers (heartbeat, take-over of dead nodes, timeouts),
 * claim as many ready tasks as there are free slots, dispatch them. Triggers and reports wake
 * the loop at once; the poll interval is only a safety net.
 */
final class Scheduler {

    private static final Logger log = LoggerFactory.getLogger(Scheduler.class);
    /** How long an executor may take to stop a timed-out attempt before the loop ends it itself. */
    private static final Duration CANCEL_GRACE = Duration.ofSeconds(30);
    private static final Duration LIMIT_CHECK_INTERVAL = Duration.ofMillis(500);
    private static final Duration STORE_RETRY = Duration.ofSeconds(1);
    private static final int MAX_UPDATES_PER_WRITE = 10_000;
    private static final Duration MAX_PARK = Duration.ofMinutes(1);


    private record Reported(InFlight task, StatusUpdate update) {
    }

    private final OrchestratorConfig config;
    private final Store store;
    private final ExecutorRegistry executors;
    private final SpecCache specs;
    private final RunWaiters waiters;
    private final Clock clock;
    private final SafeListener listener;

    private final ConcurrentLinkedQueue<Reported> inbox = new ConcurrentLinkedQueue<>();
    /** Claimed (DISPATCHED in the store) but not started: a freed slot takes the next at once. */
    private final ConcurrentLinkedQueue<InFlight> ready = new ConcurrentLinkedQueue<>();
    /** Attempts started and not yet reported ended: the slots in use. */
    private final AtomicInteger running = new AtomicInteger();
    private final AtomicInteger queued = new AtomicInteger();
    private final AtomicBoolean signal = new AtomicBoolean();
    private final ExecutorService dispatchThreads =
            Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("orchestrator-dispatch-", 0).factory());
    private volatile boolean claimRequested = true;
    private volatile boolean stopping;
    private volatile boolean abandon;
    private volatile Thread thread;

    // Loop-thread state.
    /** Every attempt this node owns, from claim (or take-over) to its recorded end. */
    private final Map<Long, InFlight> inFlight = new HashMap<>();
    private final List<TaskUpdate> unwritten = new ArrayList<>();
    private final int prefetchLimit;
    private int idlePolls;
    private final Map<Long, Map<String, String>> paramsByRun = new LinkedHashMap<>(256, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Long, Map<String, String>> eldest) {
            return size() > 1024;
        }
    };
    private Instant nextPoll = Instant.MIN;
    private Instant nextHeartbeat = Instant.MIN;
    private Instant nextLimitCheck = Instant.MIN;
    private Instant nextRetry;
    private Instant storeRetryAt = Instant.MIN;
    private int limitedInFlight;

    Scheduler(OrchestratorConfig config, Store store, ExecutorRegistry executors, SpecCache specs, RunWaiters waiters) {
        this.config = config;
        this.store = store;
        this.executors = executors;
        this.specs = specs;
        this.waiters = waiters;
        this.clock = config.clock();
        this.listener = new SafeListener(config.listener());
        this.prefetchLimit = Math.min(config.batchSize(), config.maxConcurrency());
    }

    void start() {
        Thread t = Thread.ofPlatform().name("orchestrator-scheduler").daemon(true).unstarted(this::loop);
        thread = t;
        t.start();
    }

    /** Asks the loop to claim soon (a run was triggered). */
    void requestClaim() {
        claimRequested = true;
        wake();
    }

    void enqueue(InFlight task, StatusUpdate update) {
        inbox.add(new Reported(task, update));
        queued.incrementAndGet();
        wake();
    }

    /**
     * Called by the thread that reported an attempt's end: gives its slot back and starts the
     * next ready task at once, without waiting for the loop (which may be in a store call).
     */
    void slotFreed(InFlight task) {
        if (task.releaseSlot()) {
            running.decrementAndGet();
            handOff();
        }
    }

    private void handOff() {
        while (!abandon) { // after an abandoned stop the dispatch threads are shut down
            InFlight next = ready.peek();
            // Executors that group tasks get them in batches from the loop instead.
            if (next == null || next.executor.groupsTasks() || !reserveSlot()) {
                return;
            }
            next = ready.poll();
            if (next == null) {
                running.decrementAndGet();
                return;
            }
            TaskContext ctx = next.start(clock.instant(), true);
            InFlight started = next;
            dispatchThreads.execute(() -> startAll(started.executor, List.of(new Dispatch(ctx, started))));
        }
    }

    private boolean reserveSlot() {
        int r;
        do {
            r = running.get();
            if (r >= config.maxConcurrency()) {
                return false;
            }
        } while (!running.compareAndSet(r, r + 1));
        return true;
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
        wake();
        t.join(Math.max(1, timeout.toMillis()));
        boolean clean = !t.isAlive();
        if (!clean) {
            abandon = true;
            wake();
            t.join(10_000);
        }
        dispatchThreads.shutdown();
        return clean;
    }

    private void loop() {
        log.debug("scheduler loop started");
        while (true) {
            try {
                if (!iterate()) {
                    break;
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
        if (!inFlight.isEmpty()) {
            log.warn("scheduler stopped with {} attempts still running; another node (or the next start) takes them over "
                    + "after the node lease of {}", inFlight.size(), config.nodeLease());
        }
        log.debug("scheduler loop ended");
    }

    /** One pass of the loop; returns false when the loop should end. */
    private boolean iterate() {
        Instant now = clock.instant();
        boolean worked = refill(now);
        if (abandon) {
            writeAndClaim(now, false); // a last write of what executors reported
            return false;
        }
        runTimers(now);
        worked |= writeAndClaim(now, !stopping);
        worked |= refill(clock.instant());
        if (stopping && inFlight.isEmpty() && inbox.isEmpty() && unwritten.isEmpty()) {
            return false;
        }
        if (!worked && !signal.getAndSet(false)) {
            LockSupport.parkNanos(nanosUntilNextTimer(clock.instant()));
        }
        return true;
    }

    private long nanosUntilNextTimer(Instant now) {
        Instant next = nextPoll.isBefore(nextHeartbeat) ? nextPoll : nextHeartbeat;
        if (limitedInFlight > 0 && nextLimitCheck.isBefore(next)) {
            next = nextLimitCheck;
        }
        if (nextRetry != null && nextRetry.isBefore(next)) {
            next = nextRetry;
        }
        if (!unwritten.isEmpty() && storeRetryAt.isBefore(next)) {
            next = storeRetryAt;
        }
        if (!next.isAfter(now)) {
            return 100_000;
        }
        Duration wait = Duration.between(now, next);
        return wait.compareTo(MAX_PARK) > 0 ? MAX_PARK.toNanos() : Math.max(wait.toNanos(), 100_000);
    }

    // ---- status updates

    /**
     * Takes the reports queued so far and starts ready tasks in free slots (the threads that free
     * slots start most of them already). Runs between the store calls.
     */
    private boolean refill(Instant now) {
        boolean drained = drainInbox(now);
        return startReady(now) || drained;
    }

    private boolean drainInbox(Instant now) {
        Reported r;
        int n = 0;
        while (n < MAX_UPDATES_PER_WRITE && (r = inbox.poll()) != null) {
            convert(r.task(), r.update(), now);
            n++;
        }
        if (n > 0) {
            queued.addAndGet(-n);
        }
        return n > 0;
    }

    /**
     * Writes the queued updates and, when a claim is due, claims in the same store call (one
     * transaction on the JDBC store). Returns whether anything was written or claimed.
     */
    private boolean writeAndClaim(Instant now, boolean mayClaim) {
        boolean write = !unwritten.isEmpty() && !now.isBefore(storeRetryAt);
        int limit = mayClaim ? claimLimit(now) : 0;
        if (!write && limit == 0) {
            return false;
        }
        // Read the clock after clearing the claim request: a run triggered before the request was
        // cleared has ready_at <= this instant, so the claim cannot miss it.
        Instant at = clock.instant();
        List<TaskUpdate> batch = write ? List.copyOf(unwritten) : List.of();
        WriteAndClaim result;
        long t0 = System.nanoTime();
        try {
            result = store.applyUpdatesAndClaim(batch, config.nodeId(), limit, at);
        } catch (RuntimeException e) {
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
        listener.written(batch.size(), latency, queued.get());
        unwritten.clear();
        for (TaskUpdate u : batch) {
            if (u.kind() == TaskUpdate.Kind.ENDED) {
                claimRequested = true; // slots freed, retries queued, downstream steps may be released
                break;
            }
        }
        if (!endedRuns.isEmpty()) {
            waiters.ended(endedRuns);
            log.debug("runs ended: {}", endedRuns);
        }
    }

    private void convert(InFlight t, StatusUpdate u, Instant now) {
        if (t.closed) {
            return;
        }
        ClaimedTask c = t.claim;
        if (!t.lagReported) {
            t.lagReported = true;
            if (c.readyAt() != null && t.startedAt != null) {
                listener.dispatched(t.executor.type(), Duration.between(c.readyAt(), t.startedAt));
            }
        }
        switch (u.kind()) {
            case RUNNING -> unwritten.add(TaskUpdate.running(c.taskId(), c.attempt(), u.executionName(), u.outputRef()));
            case HEARTBEAT -> {
                t.lastHeartbeat = now;
                unwritten.add(TaskUpdate.heartbeat(c.taskId(), c.attempt()));
            }
            case SUCCEEDED -> end(t, AttemptOutcome.SUCCEEDED, u.exitCode(), null, u.outputTail(), now);
            case FAILED -> end(t, t.cancelledAt != null ? AttemptOutcome.TIMED_OUT : AttemptOutcome.FAILED,
                    u.exitCode(), t.cancelledAt != null ? t.cancelReason + (u.error() != null ? "; " + u.error() : "")
                            : u.error(), u.outputTail(), now);
        }
    }

    private void end(InFlight t, AttemptOutcome outcome, Integer exitCode, String error, String tail, Instant now) {
        t.closed = true;
        if (t.releaseSlot()) {
            running.decrementAndGet();
        }
        ClaimedTask c = t.claim;
        inFlight.remove(c.taskId());
        if (t.step.timeout() != null || t.step.heartbeatTimeout() != null) {
            limitedInFlight--;
        }
        Instant retryAt = null;
        if (outcome == AttemptOutcome.LOST) {
            retryAt = now; // its outcome is unknown, not a failure: at-least-once means it runs again
        } else if (outcome != AttemptOutcome.SUCCEEDED && c.attempt() < t.step.retry().maxAttempts()) {
            Duration backoff = t.step.retry().backoffBefore(c.attempt() + 1);
            long jitter = (long) (backoff.toMillis() * 0.2 * ThreadLocalRandom.current().nextDouble());
            retryAt = now.plus(backoff).minusMillis(jitter);
            if (nextRetry == null || retryAt.isBefore(nextRetry)) {
                nextRetry = retryAt;
            }
        }
        if (outcome != AttemptOutcome.SUCCEEDED) {
            log.debug("task run={} step={} index={} attempt={} ended {}: {}{}", c.runId(), t.step.name(), c.taskIndex(),
                    c.attempt(), outcome, error, retryAt != null ? "; retry at " + retryAt : "");
        }
        unwritten.add(TaskUpdate.ended(c.taskId(), c.attempt(), outcome, exitCode, error, tail, retryAt));
        listener.ended(t.executor.type(), outcome, Duration.between(t.startedAt != null ? t.startedAt : now, now));
    }

    // ---- timers

    private void runTimers(Instant now) {
        if (!now.isBefore(nextHeartbeat)) {
            nextHeartbeat = now.plus(config.heartbeatInterval());
            try {
                store.heartbeat(config.nodeId(), now);
                if (!stopping) {
                    List<ClaimedTask> orphans = store.takeOverDeadNodes(config.nodeId(), now.minus(config.nodeLease()), now);
                    if (!orphans.isEmpty()) {
                        log.info("took over {} tasks of dead nodes", orphans.size());
                        takeOver(orphans, now);
                    }
                }
            } catch (RuntimeException e) {
                log.warn("heartbeat or take-over failed; retrying in {}: {}", config.heartbeatInterval(), e.toString());
            }
        }
        if (limitedInFlight > 0 && !now.isBefore(nextLimitCheck)) {
            nextLimitCheck = now.plus(LIMIT_CHECK_INTERVAL);
            enforceLimits(now);
        }
    }

    private void enforceLimits(Instant now) {
        List<InFlight> forced = new ArrayList<>();
        for (InFlight t : inFlight.values()) {
            if (t.context == null) {
                continue; // not started yet
            }
            if (t.cancelledAt != null) {
                if (now.isAfter(t.cancelledAt.plus(CANCEL_GRACE))) {
                    forced.add(t);
                }
                continue;
            }
            String reason = null;
            if (t.context.deadline() != null && now.isAfter(t.context.deadline())) {
                reason = "timed out after " + t.step.timeout();
            } else if (t.step.heartbeatTimeout() != null && now.isAfter(t.lastHeartbeat.plus(t.step.heartbeatTimeout()))) {
                reason = "no heartbeat for " + t.step.heartbeatTimeout();
            }
            if (reason != null) {
                t.cancelledAt = now;
                t.cancelReason = reason;
                dispatchThreads.execute(() -> cancelQuietly(t));
            }
        }
        for (InFlight t : forced) {
            end(t, AttemptOutcome.TIMED_OUT, null, t.cancelReason + "; the executor did not stop it within "
                    + CANCEL_GRACE, null, now);
        }
    }

    private static void cancelQuietly(InFlight t) {
        try {
            t.executor.cancel(t.context);
        } catch (RuntimeException e) {
            log.warn("cancel of run={} step={} index={} attempt={} failed: {}", t.context.runId(), t.context.step(),
                    t.context.taskIndex(), t.context.attempt(), e.toString());
        }
    }

    // ---- claim and dispatch

    /**
     * How many tasks to claim now (0 for none): up to the free slots plus one batch ahead, when a
     * claim was requested, the poll is due or a retry is due. Clears the request.
     */
    private int claimLimit(Instant now) {
        boolean retryDue = nextRetry != null && !now.isBefore(nextRetry);
        boolean pollDue = !now.isBefore(nextPoll);
        if (!claimRequested && !pollDue && !retryDue) {
            return 0;
        }
        int free = config.maxConcurrency() + prefetchLimit - inFlight.size();
        // Claim when at least half a prefetch is free: one statement for several slots. This never
        // starves a slot: with nothing prefetched, free is at least the whole prefetch.
        if (free <= 0 || (free < Math.max(1, prefetchLimit / 2) && !pollDue && !retryDue)) {
            return 0;
        }
        claimRequested = false;
        if (retryDue) {
            nextRetry = null;
        }
        return Math.min(free, config.batchSize());
    }

    /** Takes claimed tasks into {@link #ready} and sets the next safety-net poll. */
    private void claimed(List<ClaimedTask> claimed, int limit, Instant now) {
        if (claimed.size() == limit) {
            claimRequested = true; // there may be more ready
        }
        // When polls keep finding nothing and nothing runs, the safety net backs off (local
        // triggers and completions still wake the loop at once).
        idlePolls = claimed.isEmpty() && inFlight.isEmpty() ? Math.min(idlePolls + 1, 15) : 0;
        Duration wait = config.pollInterval().multipliedBy(1L << Math.min(2 * idlePolls, 30)); // x4 per idle poll
        nextPoll = now.plus(wait.compareTo(config.maxPollInterval()) > 0 ? config.maxPollInterval() : wait);
        for (ClaimedTask c : claimed) {
            InFlight t = own(c, now);
            if (t != null) {
                ready.add(t);
            }
        }
    }

    /** Starts ready tasks in the free slots, grouped per executor. */
    private boolean startReady(Instant now) {
        Map<Executor, List<Dispatch>> starts = null;
        while (!ready.isEmpty() && reserveSlot()) {
            InFlight t = ready.poll();
            if (t == null) {
                running.decrementAndGet();
                break;
            }
            if (starts == null) {
                starts = new IdentityHashMap<>();
            }
            starts.computeIfAbsent(t.executor, k -> new ArrayList<>()).add(new Dispatch(t.start(now, true), t));
        }
        if (starts == null) {
            return false;
        }
        for (Map.Entry<Executor, List<Dispatch>> e : starts.entrySet()) {
            dispatchThreads.execute(() -> startAll(e.getKey(), e.getValue()));
        }
        return true;
    }

    /** Follows (adopts) or requeues (as lost) the attempts of dead nodes that this node took over. */
    private void takeOver(List<ClaimedTask> orphans, Instant now) {
        for (ClaimedTask c : orphans) {
            InFlight t = own(c, now);
            if (t == null) {
                continue;
            }
            if (c.executionName() != null && t.executor.canAdopt()) {
                // Its timeout still counts from its claim; an adopted execution takes a slot too.
                running.incrementAndGet();
                TaskContext ctx = t.start(c.startedAt() != null ? c.startedAt() : now, true);
                dispatchThreads.execute(() -> {
                    try {
                        t.executor.adopt(ctx, t);
                    } catch (RuntimeException ex) {
                        t.report(StatusUpdate.failed(null, "could not adopt execution " + ctx.executionName() + ": " + ex, null));
                    }
                });
            } else {
                // The outcome of an attempt on a dead node is unknown: record it as lost and run it again.
                t.start(now, false);
                end(t, AttemptOutcome.LOST, null, "lost: the node running it stopped heartbeating", null, now);
                claimRequested = true;
            }
        }
    }

    private static void startAll(Executor executor, List<Dispatch> batch) {
        try {
            executor.startAll(batch);
        } catch (RuntimeException e) {
            for (Dispatch d : batch) {
                d.sink().report(StatusUpdate.failed(null, "executor " + executor.type() + " failed to start: " + e, null));
            }
        }
    }

    /**
     * Records a claimed or taken-over attempt as owned by this node; returns null (and records the
     * attempt as failed) if it cannot run here: no spec or no executor.
     */
    private InFlight own(ClaimedTask c, Instant now) {
        InFlight t;
        try {
            WorkflowSpec spec = specs.get(c.workflowVersionId());
            StepSpec step = spec.steps().get(c.stepIndex());
            Executor executor = executors.get(step.executor());
            Map<String, String> params = paramsByRun.computeIfAbsent(c.runId(), id -> c.params());
            t = new InFlight(c, spec.name(), step, executor, params, this, now);
        } catch (RuntimeException e) {
            // Never stop the loop over one task: record why it cannot start.
            unwritten.add(TaskUpdate.ended(c.taskId(), c.attempt(), AttemptOutcome.FAILED, null,
                    "could not dispatch: " + e.getMessage(), null, null));
            return null;
        }
        inFlight.put(c.taskId(), t);
        if (t.step.timeout() != null || t.step.heartbeatTimeout() != null) {
            limitedInFlight++;
        }
        return t;
    }
}
