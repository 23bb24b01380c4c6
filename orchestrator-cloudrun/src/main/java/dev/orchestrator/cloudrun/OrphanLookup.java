package dev.orchestrator.cloudrun;

import com.google.cloud.run.v2.Execution;
import dev.orchestrator.spi.TaskContext;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.function.BooleanSupplier;

/**
 * Finds, at a take-over, the execution that a dispatched attempt may have started although its
 * name was never recorded (its node died between RunJob and recording the name): the launch key
 * in each execution's {@link CloudRunExecutor#LAUNCH_ID} says which tasks' attempts it runs. A
 * take-over hands over many attempts at once, so one listing of a job's newest executions serves
 * every lookup of that job for {@link #REUSE_NANOS}. Thread-safe.
 */
final class OrphanLookup {

    /** Newest executions searched: those of a node that died a lease ago are among them. */
    static final int SEARCHED = 1000;
    /** How long one listing answers further lookups of its job: {@value} ns. */
    static final long REUSE_NANOS = 10_000_000_000L;

    /** An execution found, with the launch key it carries. */
    record Found(String name, LaunchKey key) {
    }

    private record Listing(long at, CompletableFuture<List<Found>> launches) {
    }

    private final LaunchLookup lookup;
    private final ConcurrentHashMap<String, Listing> listings = new ConcurrentHashMap<>();

    OrphanLookup(LaunchLookup lookup) {
        this.lookup = lookup;
    }

    /** The execution of {@code job} that runs {@code task}'s attempt, or null if there is none. */
    Found find(String job, TaskContext task, BooleanSupplier abandon) throws CallFailed, InterruptedException {
        for (Found f : launches(job, abandon)) {
            if (f.key().runs(task)) {
                return f;
            }
        }
        return null;
    }

    private List<Found> launches(String job, BooleanSupplier abandon) throws CallFailed, InterruptedException {
        while (true) {
            Listing l = listings.get(job);
            if (l == null || System.nanoTime() - l.at() > REUSE_NANOS) {
                Listing fresh = new Listing(System.nanoTime(), new CompletableFuture<>());
                boolean mine = l == null ? listings.putIfAbsent(job, fresh) == null : listings.replace(job, l, fresh);
                if (!mine) {
                    continue;
                }
                try {
                    fresh.launches().complete(list(job, abandon));
                } catch (CallFailed | InterruptedException | RuntimeException e) {
                    listings.remove(job, fresh);
                    fresh.launches().completeExceptionally(e);
                    throw e;
                }
                l = fresh;
            }
            try {
                return l.launches().get();
            } catch (ExecutionException e) {
                if (e.getCause() instanceof CallFailed cf) {
                    throw cf;
                }
                throw new IllegalStateException("listing the executions of " + job + " failed", e.getCause());
            }
        }
    }

    private List<Found> list(String job, BooleanSupplier abandon) throws CallFailed, InterruptedException {
        List<Found> found = new ArrayList<>();
        lookup.scan(job, SEARCHED, abandon, (Execution ex) -> {
            LaunchKey key = LaunchKey.parse(LaunchLookup.launchIdOf(ex));
            if (key != null) {
                found.add(new Found(ex.getName(), key));
            }
            return false;
        });
        return found;
    }
}
