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
    private final OrphanLookup orphans;

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
        this.orphans = new OrphanLookup(new LaunchLookup(clients, calls));
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

    /**
     * Follows an existing execution for one attempt; attempts of one execution share one poll.
     * The index offset comes from the launch key stored with the attempt (its executor state);
     * only an attempt stored without one (an older version's) has it read from the execution.
     * Without an execution name, looks for the execution the attempt may have started (see
     * {@link OrphanLookup}) and follows it, or reports the attempt released if there is none.
     */
    void adopt(TaskContext task, StatusSink sink) {
        String name = task.executionName();
        if (threads.closed()) {
            sink.report(StatusUpdate.failed(null, "the cloudrun executor is closed", null));
            return;
        }
        if (name == null) {
            if (!threads.execute(() -> adoptUnnamed(task, sink))) {
                sink.report(StatusUpdate.failed(null, "the cloudrun executor is closed", null));
            }
            return;
        }
        if (!ExecutionName.isParsableFrom(name)) {
            sink.report(StatusUpdate.failed(null, "cannot adopt: executionName must be a Cloud Run execution name "
                    + "projects/P/locations/L/jobs/J/executions/E, got '" + name + "'", null));
            return;
        }
        LaunchKey key = LaunchKey.parse(task.executorState());
        follower.join(name, new Dispatch(task, sink), key != null && key.runs(task) ? key.offset() : -1);
    }

    private void adoptUnnamed(TaskContext task, StatusSink sink) {
        String job;
        try {
            job = JobOptions.parse(task.job()).job().toString();
        } catch (IllegalArgumentException e) {
            sink.report(StatusUpdate.failed(null, e.getMessage(), null));
            return;
        }
        try {
            OrphanLookup.Found found = orphans.find(job, task, threads::closed);
            if (found == null) {
                sink.report(StatusUpdate.released());
                return;
            }
            LOG.info("run {} step {} task {} attempt {}: its node died before recording execution {}; following it",
                    task.runId(), task.step(), task.taskIndex(), task.attempt(), found.name());
            sink.report(StatusUpdate.running(found.name(), null, found.key().toString()));
            follower.join(found.name(), new Dispatch(task, sink), found.key().offset());
        } catch (CallFailed e) {
            sink.report(StatusUpdate.lost("lost: could not look for the Cloud Run execution this attempt may have "
                    + "started before its node died: " + e.getMessage()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // closing: the scheduler recovers the attempt
        }
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

    /** See {@link Launcher#startsPaused()}. */
    boolean startsPaused() {
        return launcher.startsPaused();
    }
}
