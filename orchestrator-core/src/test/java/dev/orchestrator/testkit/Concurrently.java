package dev.orchestrator.testkit;

import dev.orchestrator.*;
import dev.orchestrator.spi.*;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;

/**
 * Runs the same kind of work on several threads released at the same instant by a latch, and
 * collects every result within a deadline. For concurrency tests of stores.
 */
public final class Concurrently {

    /** How long all threads together may take before the test fails. */
    public static final Duration DEADLINE = Duration.ofSeconds(60);

    private Concurrently() {
    }

    /**
     * Runs {@code work.apply(i)} for {@code i = 0..threads-1}, each on its own thread, all started
     * together.
     *
     * @return each thread's result, by thread index
     * @throws Exception the first failure of a thread, or a timeout after {@link #DEADLINE}
     */
    public static <T> List<T> run(int threads, IntFunction<Callable<T>> work) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            CountDownLatch ready = new CountDownLatch(threads);
            CountDownLatch go = new CountDownLatch(1);
            List<Future<T>> futures = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                Callable<T> job = work.apply(i);
                futures.add(pool.submit(() -> {
                    ready.countDown();
                    if (!go.await(DEADLINE.toMillis(), TimeUnit.MILLISECONDS)) {
                        throw new IllegalStateException("threads were not released in time");
                    }
                    return job.call();
                }));
            }
            if (!ready.await(DEADLINE.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new IllegalStateException("threads did not start in time");
            }
            go.countDown();
            long deadline = System.nanoTime() + DEADLINE.toNanos();
            List<T> results = new ArrayList<>();
            for (Future<T> f : futures) {
                results.add(f.get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS));
            }
            return results;
        } finally {
            pool.shutdownNow();
        }
    }
}
