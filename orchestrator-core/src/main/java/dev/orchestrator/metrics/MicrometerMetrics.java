package dev.orchestrator.metrics;

import dev.orchestrator.AttemptOutcome;
import dev.orchestrator.OrchestratorListener;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Publishes scheduler metrics to a Micrometer {@link MeterRegistry}. Micrometer is an optional
 * dependency of {@code orchestrator-core}: only hosts that create this class need it on the
 * class path. Hand an instance to {@link dev.orchestrator.OrchestratorBuilder#listener}.
 *
 * <p>Meters: {@code orchestrator.tasks.ended} (timer of attempt runtime; tags {@code executor},
 * {@code outcome}), {@code orchestrator.tasks.running} (gauge; tag {@code executor}),
 * {@code orchestrator.dispatch.lag} (timer, ready to dispatched; tag {@code executor}),
 * {@code orchestrator.claim.latency} and {@code orchestrator.write.latency} (timers),
 * {@code orchestrator.claim.batch} and {@code orchestrator.write.batch} (summaries of batch
 * sizes), {@code orchestrator.queue.depth} (gauge of queued status reports).
 */
public final class MicrometerMetrics implements OrchestratorListener {

    private final MeterRegistry registry;
    private final Timer claimLatency;
    private final Timer writeLatency;
    private final DistributionSummary claimBatch;
    private final DistributionSummary writeBatch;
    private final AtomicInteger queueDepth = new AtomicInteger();
    private final Map<String, AtomicInteger> running = new ConcurrentHashMap<>();
    private final Map<String, Timer> lag = new ConcurrentHashMap<>();
    private final Map<String, Timer> ended = new ConcurrentHashMap<>();

    /** Registers the orchestrator's meters in {@code registry}. */
    public MicrometerMetrics(MeterRegistry registry) {
        this.registry = Objects.requireNonNull(registry, "registry");
        claimLatency = Timer.builder("orchestrator.claim.latency").description("time of one claim statement")
                .register(registry);
        writeLatency = Timer.builder("orchestrator.write.latency").description("time of one batch of status updates")
                .register(registry);
        claimBatch = DistributionSummary.builder("orchestrator.claim.batch").description("tasks claimed per statement")
                .register(registry);
        writeBatch = DistributionSummary.builder("orchestrator.write.batch").description("status updates per write")
                .register(registry);
        Gauge.builder("orchestrator.queue.depth", queueDepth, AtomicInteger::get)
                .description("status reports waiting to be written").register(registry);
    }

    @Override
    public void claimed(int requested, int claimed, Duration latency) {
        claimLatency.record(latency);
        claimBatch.record(claimed);
    }

    @Override
    public void written(int updates, Duration latency, int queueDepth) {
        writeLatency.record(latency);
        writeBatch.record(updates);
        this.queueDepth.set(queueDepth);
    }

    @Override
    public void dispatched(String executor, Duration lag) {
        running(executor).incrementAndGet();
        this.lag.computeIfAbsent(executor, e -> Timer.builder("orchestrator.dispatch.lag")
                .description("from ready to dispatched").tag("executor", e).register(registry)).record(lag);
    }

    @Override
    public void ended(String executor, AttemptOutcome outcome, Duration runtime) {
        running(executor).updateAndGet(n -> Math.max(0, n - 1));
        ended.computeIfAbsent(executor + '\0' + outcome, k -> Timer.builder("orchestrator.tasks.ended")
                        .description("attempts ended, with their runtime").tag("executor", executor)
                        .tag("outcome", outcome.name()).register(registry))
                .record(runtime);
    }

    private AtomicInteger running(String executor) {
        return running.computeIfAbsent(executor, e -> {
            AtomicInteger n = new AtomicInteger();
            Gauge.builder("orchestrator.tasks.running", n, AtomicInteger::get).description("attempts in flight")
                    .tag("executor", e).register(registry);
            return n;
        });
    }
}
