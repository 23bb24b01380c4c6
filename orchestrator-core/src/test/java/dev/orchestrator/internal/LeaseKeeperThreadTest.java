package dev.orchestrator.internal;

import dev.orchestrator.JobSpec;
import dev.orchestrator.NodeStatus;
import dev.orchestrator.OrchestratorListener;
import dev.orchestrator.StepSpec;
import dev.orchestrator.TaskStatus;
import dev.orchestrator.WorkflowSpec;
import dev.orchestrator.spi.ClaimedTask;
import dev.orchestrator.spi.Executor;
import dev.orchestrator.spi.StatusUpdate;
import dev.orchestrator.spi.TaskContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * The heartbeat runs on a thread of its own: a scheduler loop blocked in a slow store call does
 * not fence a healthy node, and a node that cannot renew still fences. Real threads, the system
 * clock, and waits on conditions with deadlines.
 */
class LeaseKeeperThreadTest {

    private static final Duration HEARTBEAT = Duration.ofMillis(100);
    private static final Duration LEASE = Duration.ofSeconds(2);

    private final ScriptedStore store = new ScriptedStore();
    private Scheduler scheduler;
    private ExecutorRegistry registry;

    private Scheduler scheduler() {
        return scheduler(Map.of());
    }

    private Scheduler scheduler(Map<String, Map<String, String>> executorConfig) {
        store.saveWorkflow("wf", SpecCodec.toJson(WorkflowSpec.of("wf",
                StepSpec.builder("s", "scripted").job(JobSpec.command("work")))), Instant.now());
        ScriptedExecutor executor = new ScriptedExecutor();
        var config = new OrchestratorConfig(store, null, Map.of("scripted", executor), executorConfig, 4, 8,
                Duration.ofSeconds(1), Duration.ofSeconds(60), HEARTBEAT, LEASE, Duration.ofSeconds(1), Duration.ofSeconds(1), Clock.systemUTC(),
                "node-a", getClass().getClassLoader(), new OrchestratorListener() { }, null);
        registry = new ExecutorRegistry(config.executors(), config.executorConfig(), config.classLoader(),
                java.util.Optional::empty);
        return new Scheduler(config, store, registry, new SpecCache(store), new RunWaiters(),
                Executors.newVirtualThreadPerTaskExecutor(), () -> 0.0, System::nanoTime);
    }

    @AfterEach
    void stop() throws InterruptedException {
        CountDownLatch gate = store.claimGate;
        if (gate != null) {
            gate.countDown();
        }
        if (scheduler != null) {
            scheduler.stop(Duration.ofSeconds(2));
        }
    }

    private static void await(String what, Duration timeout, BooleanSupplier condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                fail("timed out after " + timeout + " waiting for " + what);
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
        }
    }

    @Test
    void aLoopBlockedInAStoreCallForLongerThanTheLeaseDoesNotFenceTheNode() {
        scheduler = scheduler();
        store.claimGate = new CountDownLatch(1);
        store.claimable.add(new ClaimedTask(1, 1, 1, 0, 1, 1, TaskStatus.DISPATCHED, null, Map.of(), Instant.now(), null));
        scheduler.start();
        await("the lease held", Duration.ofSeconds(10), () -> scheduler.status(true).leaseHeld());
        scheduler.requestClaim();
        await("the loop blocked in a claim", Duration.ofSeconds(10), () -> store.claimCalls.get() > 0);
        long blockedAt = System.nanoTime();
        int before = store.acceptedHeartbeats();
        // Two and a half leases of heartbeats while the loop stays blocked.
        await("heartbeats during the blocked claim", Duration.ofSeconds(30),
                () -> store.acceptedHeartbeats() >= before + 5 && System.nanoTime() - blockedAt > 5 * LEASE.toNanos() / 2);
        NodeStatus s = scheduler.status(true);
        assertThat(s.fenced()).as("fenced").isFalse();
        assertThat(s.leaseHeld()).as("lease held").isTrue();
        assertThat(s.incarnation()).isZero();
        assertThat(s.heartbeatAlive()).isTrue();
        assertThat(s.lastTick()).isBefore(Instant.now().minus(LEASE)); // the loop really was stuck
        store.claimGate.countDown();
        await("the loop passes again", Duration.ofSeconds(10),
                () -> scheduler.status(true).lastTick().isAfter(Instant.now().minus(LEASE)));
        assertThat(scheduler.nodeId()).isEqualTo("node-a");
    }

    @Test
    void aNodeThatCannotRenewStillFencesItselfAndRejoinsOnceItCan() {
        scheduler = scheduler();
        scheduler.start();
        await("the lease held", Duration.ofSeconds(10), () -> scheduler.status(true).leaseHeld());
        store.heartbeatsFail = true;
        // Fenced from the lapse on; the loop then takes the next identity.
        await("the node fences itself", Duration.ofSeconds(20),
                () -> scheduler.status(true).fenced() && scheduler.status(true).incarnation() == 1);
        NodeStatus fenced = scheduler.status(true);
        assertThat(fenced.nodeId()).isEqualTo("node-a~1");
        assertThat(fenced.leaseHeld()).isFalse();
        assertThat(fenced.lastFencedAt()).isNotNull();
        assertThat(fenced.heartbeatFailingSince()).isNotNull();
        store.heartbeatsFail = false;
        await("the node renews as its next incarnation", Duration.ofSeconds(20),
                () -> scheduler.status(true).leaseHeld());
        assertThat(scheduler.status(true).fenced()).isFalse();
        synchronized (store) {
            assertThat(store.heartbeatNodes.getLast()).isEqualTo("node-a~1");
        }
    }

    @Test
    void anExecutorCreatedBetweenRenewalsIsToldTheLeaseAndStopsItsTasksWhenItRunsOut(@TempDir Path logs)
            throws Exception {
        scheduler = scheduler(Map.of("process", Map.of("logDirectory", logs.toString())));
        scheduler.start();
        await("the lease held", Duration.ofSeconds(10), () -> scheduler.status(true).leaseHeld());
        store.heartbeatsFail = true; // no renewal reaches an executor created from now on
        Executor process = registry.get("process"); // created on a first task, as a node does
        try {
            BlockingQueue<StatusUpdate> updates = new LinkedBlockingQueue<>();
            process.start(new TaskContext(1, 1, "wf", "step", 0, 0, 1, 1, Map.of(), JobSpec.command("/bin/sleep", "30"),
                    null, null), updates::add);
            StatusUpdate running = updates.poll(20, TimeUnit.SECONDS);
            assertThat(running).as("started under the lease it was told").isNotNull();
            assertThat(running.kind()).isEqualTo(StatusUpdate.Kind.RUNNING);
            long pid = Long.parseLong(running.executionName().substring("pid:".length()));
            await("the task process stopped once the lease ran out", Duration.ofSeconds(10),
                    () -> ProcessHandle.of(pid).map(h -> !h.isAlive()).orElse(true));
        } finally {
            process.close();
        }
    }
}
