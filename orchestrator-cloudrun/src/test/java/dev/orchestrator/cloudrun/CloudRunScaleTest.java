package dev.orchestrator.cloudrun;

import dev.orchestrator.spi.Dispatch;
import dev.orchestrator.spi.StatusSink;
import dev.orchestrator.spi.StatusUpdate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * 100,000 tasks of one step through the executor and the fake, with Cloud Run's default quotas
 * (180 RunJob a minute, 1,000 running executions) and tasks of a few milliseconds. Handed over
 * in claims of 1,000, as the scheduler does with {@code batchSize(1_000)}. Run with
 * {@code -Dscale=true}; prints wall time, RunJob calls per minute, reads and peak heap.
 */
@EnabledIfSystemProperty(named = "scale", matches = "true")
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class CloudRunScaleTest {

    static final int TASKS = 100_000;
    static final int CLAIM = 1_000;

    @Test
    void aHundredThousandTasksWithinCloudRunsQuotas() throws Exception {
        try (var fake = FakeCloudRun.inProcess()) {
            fake.quotas(180, Integer.MAX_VALUE, Duration.ofMinutes(1));
            fake.maxRunningExecutions(1000);
            fake.taskDuration(Duration.ofMillis(Long.getLong("scale.taskMillis", 5)));
            for (int i = 0; i < 100; i++) {
                fake.script(i * 997 + 13, FakeCloudRun.Script.fail(2));
            }
            var ended = new CountDownLatch(TASKS);
            var succeeded = new AtomicInteger();
            var failed = new AtomicInteger();
            StatusSink sink = u -> {
                if (u.kind() == StatusUpdate.Kind.SUCCEEDED || u.kind() == StatusUpdate.Kind.FAILED) {
                    (u.kind() == StatusUpdate.Kind.SUCCEEDED ? succeeded : failed).incrementAndGet();
                    ended.countDown();
                }
            };
            var peakHeap = new AtomicLong();
            var memory = ManagementFactory.getMemoryMXBean();
            Thread sampler = Thread.ofPlatform().daemon().start(() -> {
                while (!Thread.currentThread().isInterrupted()) {
                    peakHeap.accumulateAndGet(memory.getHeapMemoryUsage().getUsed(), Math::max);
                    try {
                        Thread.sleep(50);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            });
            long start = System.nanoTime();
            try (var executor = fake.executorBuilder()
                    .pollInterval(Duration.ofMillis(200)).maxPollInterval(Duration.ofSeconds(2))
                    .readsPerMinute(1200).runJobsPerMinute(180).maxRunningExecutions(1000).build()) {
                for (int from = 0; from < TASKS; from += CLAIM) {
                    var claim = new ArrayList<Dispatch>(CLAIM);
                    for (int i = from; i < from + CLAIM; i++) {
                        claim.add(new Dispatch(CloudRunExecutorTest.task(99, i, TASKS, CloudRunExecutorTest.SPEC), sink));
                    }
                    executor.startAll(claim);
                }
                assertThat(ended.await(9, TimeUnit.MINUTES)).as("every task ended").isTrue();
            }
            long wallNanos = System.nanoTime() - start;
            sampler.interrupt();

            List<FakeCloudRun.RunJobCall> calls = fake.runJobCalls();
            int maxPerMinute = maxInWindow(calls.stream().mapToLong(FakeCloudRun.RunJobCall::nanoTime).toArray(),
                    TimeUnit.MINUTES.toNanos(1));
            int reads = fake.calls(FakeCloudRun.Method.GET_EXECUTION) + fake.calls(FakeCloudRun.Method.LIST_TASKS)
                    + fake.calls(FakeCloudRun.Method.GET_JOB) + fake.calls(FakeCloudRun.Method.LIST_EXECUTIONS);
            System.out.printf("scale: %d tasks, wall %.1f s, RunJob calls %d (max %d in any minute, %d refused), "
                            + "peak running executions %d, reads %d (GetExecution %d, ListTasks %d), peak heap %d MB%n",
                    TASKS, wallNanos / 1e9, calls.size(), maxPerMinute, fake.runJobQuotaRefusals(),
                    fake.peakRunningExecutions(), reads, fake.calls(FakeCloudRun.Method.GET_EXECUTION),
                    fake.calls(FakeCloudRun.Method.LIST_TASKS), peakHeap.get() >> 20);

            assertThat(succeeded.get()).isEqualTo(TASKS - 100);
            assertThat(failed.get()).isEqualTo(100);
            assertThat(calls.size()).isLessThanOrEqualTo(110);
            assertThat(maxPerMinute).isLessThanOrEqualTo(180);
            assertThat(fake.runJobQuotaRefusals()).isZero();
            assertThat(fake.peakRunningExecutions()).isLessThanOrEqualTo(1000);
        }
    }

    /** The most times within any window of {@code window} nanoseconds. */
    static int maxInWindow(long[] times, long window) {
        java.util.Arrays.sort(times);
        int best = 0;
        int lo = 0;
        for (int hi = 0; hi < times.length; hi++) {
            while (times[hi] - times[lo] >= window) {
                lo++;
            }
            best = Math.max(best, hi - lo + 1);
        }
        return best;
    }
}
