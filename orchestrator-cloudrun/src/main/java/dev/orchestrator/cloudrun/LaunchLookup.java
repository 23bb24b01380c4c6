package dev.orchestrator.cloudrun;

import com.google.cloud.run.v2.Container;
import com.google.cloud.run.v2.EnvVar;
import com.google.cloud.run.v2.Execution;
import com.google.cloud.run.v2.ListExecutionsRequest;
import com.google.cloud.run.v2.ListExecutionsResponse;

import java.util.function.BooleanSupplier;

/**
 * Finds the execution a RunJob call started when its answer was lost. RunJob has no request id,
 * so every launch puts a random {@link CloudRunExecutor#LAUNCH_ID} into the execution's
 * environment; after an ambiguous error, the job's newest executions are searched for it before
 * RunJob is tried again.
 */
final class LaunchLookup {

    /** Newest executions searched: a lost answer is seconds old, and Cloud Run lists newest first. */
    static final int SEARCHED = 200;
    private static final int PAGE_SIZE = 100;

    private final Clients clients;
    private final Calls calls;

    LaunchLookup(Clients clients, Calls calls) {
        this.clients = clients;
        this.calls = calls;
    }

    /** The name of the execution of {@code job} started with {@code launchId}, or null if there is none. */
    String find(String job, String launchId, BooleanSupplier abandon) throws CallFailed, InterruptedException {
        String[] found = {null};
        scan(job, SEARCHED, abandon, ex -> {
            if (launchId.equals(launchIdOf(ex))) {
                found[0] = ex.getName();
                return true;
            }
            return false;
        });
        return found[0];
    }

    /**
     * Reads the newest executions of {@code job}, at most about {@code max}, until {@code stop}
     * says it found what it looked for.
     */
    void scan(String job, int max, BooleanSupplier abandon, java.util.function.Predicate<Execution> stop)
            throws CallFailed, InterruptedException {
        String token = "";
        int seen = 0;
        do {
            var request = ListExecutionsRequest.newBuilder().setParent(job).setPageSize(PAGE_SIZE)
                    .setPageToken(token).build();
            ListExecutionsResponse page = calls.read("ListExecutions of " + job, () -> clients.listExecutions(request),
                    abandon);
            for (Execution ex : page.getExecutionsList()) {
                if (stop.test(ex)) {
                    return;
                }
            }
            seen += page.getExecutionsCount();
            token = page.getNextPageToken();
        } while (!token.isEmpty() && seen < max);
    }

    /** The {@link CloudRunExecutor#LAUNCH_ID} in an execution's environment, or null. */
    static String launchIdOf(Execution ex) {
        for (Container c : ex.getTemplate().getContainersList()) {
            for (EnvVar e : c.getEnvList()) {
                if (e.getName().equals(CloudRunExecutor.LAUNCH_ID)) {
                    return e.getValue();
                }
            }
        }
        return null;
    }
}
