package dev.orchestrator.bench;

import dev.orchestrator.Orchestrator;
import dev.orchestrator.StepSpec;
import dev.orchestrator.TriggerOptions;
import dev.orchestrator.WorkflowSpec;
import dev.orchestrator.spi.Dispatch;
import dev.orchestrator.spi.Executor;
import dev.orchestrator.spi.StatusSink;
import dev.orchestrator.spi.StatusUpdate;
import dev.orchestrator.spi.TaskContext;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * One-task runs measured from the trigger call to the task body, for this library and (through
 * {@link DbSchedulerBaseline}) for db-scheduler, with the same clock points: the start time is
 * taken just before the trigger or schedule call, the end when the task body runs.
 */
final class Single {

    private Single() {
    }

    /** What one measured pass gives: executions, seconds from the first trigger to the last body, latencies. */
    record Figures(int n, double seconds, Stats latency) {
        double perSec() {
            return n / seconds;
        }
    }

    /** Work for sequence number {@code seq}. */
    interface SeqAction {
        void run(int seq) throws Exception;
    }

    /** Runs {@code action} for 0..n-1 from {@code threads} platform threads, each taking the next number. */
    static void fanOut(int n, int threads, SeqAction action) throws Exception {
        AtomicInteger next = new AtomicInteger();
        ConcurrentLinkedQueue<Exception> errors = new ConcurrentLinkedQueue<>();
        List<Thread> list = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            list.add(Thread.ofPlatform().name("bench-trigger-" + t).start(() -> {
                int seq;
                while ((seq = next.getAndIncrement()) < n) {
                    try {
                        action.run(seq);
                    } catch (Exception e) {
                        errors.add(e);
                        return;
                    }
                }
            }));
        }
        for (Thread t : list) {
            t.join();
        }
        if (!errors.isEmpty()) {
            throw errors.peek();
        }
    }

    /** Runs {@code action} for 0..n-1, one every {@code 1/rate} s, each on its own virtual thread. */
    static void paced(int n, int rate, SeqAction action) throws Exception {
        ConcurrentLinkedQueue<Exception> errors = new ConcurrentLinkedQueue<>();
        CountDownLatch fired = new CountDownLatch(n);
        AtomicInteger next = new AtomicInteger();
        ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor();
        ticker.scheduleAtFixedRate(() -> {
            int seq = next.getAndIncrement();
            if (seq >= n) {
                return;
            }
            Thread.startVirtualThread(() -> {
                try {
                    action.run(seq);
                } catch (Exception e) {
                    errors.add(e);
                } finally {
                    fired.countDown();
                }
            });
        }, 0, 1_000_000_000L / rate, TimeUnit.NANOSECONDS);
        fired.await();
        ticker.shutdownNow();
        if (!errors.isEmpty()) {
            throw errors.peek();
        }
    }

    /** An in-process executor that records when each task body runs, by the run's {@code seq} parameter, and succeeds. */
    static final class Probe implements Executor {
        static final String TYPE = "probe";
        private static final StatusUpdate DONE = StatusUpdate.succeeded(0, null);
        volatile AtomicLongArray started = new AtomicLongArray(1);
        volatile AtomicLongArray bodyAt = new AtomicLongArray(1);
        volatile CountDownLatch done = new CountDownLatch(0);

        AtomicLongArray expect(int n) {
            started = new AtomicLongArray(n);
            bodyAt = new AtomicLongArray(n);
            done = new CountDownLatch(n);
            return started;
        }

        @Override
        public String type() {
            return TYPE;
        }

        @Override
        public void start(TaskContext task, StatusSink sink) {
            String seq = task.parameters().get("seq");
            if (seq != null) {
                bodyAt.set(Integer.parseInt(seq), System.nanoTime());
                done.countDown();
            }
            sink.report(DONE);
        }

        @Override
        public void startAll(List<Dispatch> batch) {
            for (Dispatch d : batch) {
                start(d.task(), d.sink());
            }
        }

        Figures finish(long t0, int n, Duration timeout) throws InterruptedException {
            if (!done.await(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new IllegalStateException("ran " + (n - done.getCount()) + " of " + n + " in " + timeout);
            }
            long last = 0;
            long[] lat = new long[n];
            for (int i = 0; i < n; i++) {
                last = Math.max(last, bodyAt.get(i));
                lat[i] = bodyAt.get(i) - started.get(i);
            }
            return new Figures(n, (last - t0) / 1e9, new Stats(lat));
        }
    }

    /** The workflow the single and latency passes trigger. */
    static final WorkflowSpec ONE = WorkflowSpec.of("one", StepSpec.builder("work", Probe.TYPE).tasks(1));

    private static TriggerOptions seq(int seq) {
        return TriggerOptions.builder().param("seq", Integer.toString(seq)).build();
    }

    /** {@code n} one-task runs triggered one by one from {@code threads} threads on an orchestrator using {@code probe}. */
    static Figures ours(Orchestrator o, Probe probe, int n, int threads) throws Exception {
        AtomicLongArray start = probe.expect(n);
        long t0 = System.nanoTime();
        fanOut(n, threads, i -> {
            start.set(i, System.nanoTime());
            o.trigger("one", seq(i));
        });
        return probe.finish(t0, n, Duration.ofMinutes(10));
    }

    /** One one-task run every {@code 1/rate} s for {@code seconds} s; latency to the task body. */
    static Figures oursSteady(Orchestrator o, Probe probe, int seconds, int rate) throws Exception {
        int n = seconds * rate;
        AtomicLongArray start = probe.expect(n);
        long t0 = System.nanoTime();
        paced(n, rate, i -> {
            start.set(i, System.nanoTime());
            o.trigger("one", seq(i));
        });
        return probe.finish(t0, n, Duration.ofSeconds(seconds + 120L));
    }
}
