package dev.orchestrator.metrics;

import dev.orchestrator.AttemptOutcome;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

class MicrometerMetricsTest {

    @Test
    void listenerCallsBecomeMeters() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        MicrometerMetrics m = new MicrometerMetrics(registry);
        m.claimed(512, 300, Duration.ofMillis(4));
        m.dispatched("process", Duration.ofMillis(12));
        m.dispatched("process", Duration.ofMillis(8));
        m.ended("process", AttemptOutcome.FAILED, Duration.ofSeconds(2));
        m.written(77, Duration.ofMillis(3), 5);

        assertThat(registry.get("orchestrator.claim.batch").summary().totalAmount()).isEqualTo(300);
        assertThat(registry.get("orchestrator.write.batch").summary().totalAmount()).isEqualTo(77);
        assertThat(registry.get("orchestrator.queue.depth").gauge().value()).isEqualTo(5);
        assertThat(registry.get("orchestrator.tasks.running").tag("executor", "process").gauge().value()).isEqualTo(1);
        assertThat(registry.get("orchestrator.dispatch.lag").tag("executor", "process").timer().count()).isEqualTo(2);
        assertThat(registry.get("orchestrator.tasks.ended").tag("executor", "process").tag("outcome", "FAILED")
                .timer().totalTime(java.util.concurrent.TimeUnit.MILLISECONDS)).isEqualTo(2000);
    }
}
