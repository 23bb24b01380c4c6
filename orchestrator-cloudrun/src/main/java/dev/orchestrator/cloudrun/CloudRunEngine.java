package dev.orchestrator.cloudrun;

import com.google.cloud.run.v2.ExecutionName;
import dev.orchestrator.spi.Dispatch;
import dev.orchestrator.spi.StatusSink;
import dev.orchestrator.spi.StatusUpdate;
import dev.orchestrator.spi.TaskContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;

/**
 * Wires the parts behind {@link CloudRunExecutor}: the {@link Launcher} starts executions, the
 * {@link Follower} follows them, the {@link Canceller} cancels them. Thread-safe.
 *
 * <p>Threads: every blocking API call runs on a virtual thread; one timer thread schedules
 * polls (see {@link Threads}).
 */
final class CloudRunEngine implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(CloudRunEngine.class);

    private final Settings settings;
    private final Clients clients;
    private final Threads threads = new Threads();
    private final Attempts attempts = new Attempts();
    private final Follower follower;
    private final Canceller canceller;
    private final Launcher launcher;

    /** An engine over the given clients, which it closes on {@link #close()}. */
    CloudRunEngine(Settings settings, Clients clients) {
        this.settings = settings;
        this.clients = clients;
        var calls = new Calls(settings);
        var slots = new ExecutionSlots(settings.maxRunningExecutions());
        this.follower = new Follower(settings, clients, calls, threads, slots, attempts,
                this::cancelExecution);
        this.canceller = new Canceller(clients, calls, threads, attempts, follower);
        this.launcher = new Launcher(settings, clients, calls, slots, attempts, follower, canceller);
    }

    /** Whether several tasks may share one execution. */
    boolean batches() {
        return settings.maxTasksPerExecution() > 1;
    }

    /** Starts attempts, grouping them into executions. Returns at once. */
    void startAll(List<Dispatch> batch) {
        var valid = new ArrayList<Dispatch>(batch.size());
        for (Dispatch d : batch) {
            if (threads.closed()) {
                d.sink().report(StatusUpdate.failed(null, "the cloudrun executor is closed", null));
                continue;
            }
            try {
                JobOptions.parse(d.task().job());
                valid.add(d);
            } catch (IllegalArgumentException e) {
                d.sink().report(StatusUpdate.failed(null, e.getMessage(), null));
            }
        }
        for (List<Dispatch> group : Batching.group(valid, settings.maxTasksPerExecution())) {
            var launch = new Launch(JobOptions.parse(group.get(0).task().job()), group);
            attempts.register(launch);
            if (!threads.execute(() -> launcher.launch(launch))) {
                attempts.forget(group);
                Launcher.fail(group, "the cloudrun executor is closed");
            }
        }
    }

    private void cancelExecution(String name) {
        canceller.cancelExecution(name);
    }

    /** See {@link Canceller#cancel}. */
    void cancel(TaskContext task) {
        canceller.cancel(task);
    }

    /** Follows an existing execution for one attempt; attempts of one execution share one poll. */
    void adopt(TaskContext task, StatusSink sink) {
        String name = task.executionName();
        if (name == null || !ExecutionName.isParsableFrom(name)) {
            sink.report(StatusUpdate.failed(null, "cannot adopt: executionName must be a Cloud Run execution name "
                    + "projects/P/locations/L/jobs/J/executions/E, got '" + name + "'", null));
            return;
        }
        if (threads.closed()) {
            sink.report(StatusUpdate.failed(null, "the cloudrun executor is closed", null));
            return;
        }
        follower.join(name, new Dispatch(task, sink));
    }

    /** Stops following and starting; executions keep running in Cloud Run. Closes the clients. */
    @Override
    public void close() {
        if (threads.closed()) {
            return;
        }
        threads.close();
        int left = follower.size();
        if (left > 0) {
            LOG.info("cloudrun executor closed; {} execution(s) keep running in Cloud Run and can be adopted", left);
        }
        clients.close();
    }
}
