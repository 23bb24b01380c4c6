package dev.orchestrator.cloudrun;

import com.google.api.gax.rpc.ApiException;
import com.google.api.gax.rpc.StatusCode;
import com.google.cloud.run.v2.Execution;
import com.google.cloud.run.v2.ExecutionName;
import com.google.cloud.run.v2.RunJobRequest;
import com.google.longrunning.Operation;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.orchestrator.spi.Dispatch;
import dev.orchestrator.spi.StatusUpdate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;

/**
 * Starts one launch: waits for a free execution slot, then for the RunJob rate limiter, calls
 * RunJob (retrying transient errors), reports {@code RUNNING} for each attempt and hands the
 * execution to the {@link Follower}. Runs on a virtual thread per launch.
 */
final class Launcher {

    private static final Logger LOG = LoggerFactory.getLogger(Launcher.class);

    private final Clients clients;
    private final Calls calls;
    private final RateLimiter runJobLimiter;
    private final ExecutionSlots slots;
    private final Attempts attempts;
    private final RunJobRequests requests;
    private final Follower follower;
    private final Canceller canceller;
    private final LaunchLookup lookup;
    private final JobChecks checks;
    private final StartGate gate;

    Launcher(Settings settings, Clients clients, Calls calls, ExecutionSlots slots, Attempts attempts,
             Follower follower, Canceller canceller) {
        this.clients = clients;
        this.calls = calls;
        this.runJobLimiter = new RateLimiter(settings.runJobPermits(), settings.runJobWindow());
        this.slots = slots;
        this.attempts = attempts;
        this.requests = new RunJobRequests(settings.clock());
        this.follower = follower;
        this.canceller = canceller;
        this.lookup = new LaunchLookup(clients, calls);
        this.checks = new JobChecks(clients, calls, settings.requireZeroMaxRetries());
        this.gate = new StartGate(settings.retryInitialDelay(), settings.retryMaxDelay());
    }

    void launch(Launch launch) {
        boolean handedOver = false;
        boolean slotTaken = false;
        String jobName = launch.job.job().toString();
        try {
            if (launch.cancelled) {
                return;
            }
            slots.acquire();
            slotTaken = true;
            if (launch.cancelled) {
                return;
            }
            RunJobRequest request = requests.of(launch);
            String refusal = checks.check(jobName, request);
            if (refusal != null) {
                fail(launch.attached(), refusal);
                return;
            }
            String name = start(launch, jobName, request);
            launch.executionName = name;
            var tracker = follower.tracker(name, launch.offset);
            follower.register(tracker);
            launch.handOver(tracker);
            handedOver = true;
            LOG.debug("started {} for {} task(s) from index {} of run {} step {}", name, launch.members.size(),
                    launch.offset, launch.members.get(0).task().runId(), launch.members.get(0).task().step());
            for (Dispatch d : tracker.snapshot()) {
                // The launch id holds the index offset: stored with the attempt, it lets a node adopt
                // the execution without reading its overrides back.
                d.sink().report(StatusUpdate.running(name, null, launch.launchId));
            }
            follower.follow(tracker);
            if (tracker.empty()) {
                canceller.cancelExecution(name);
            }
        } catch (CallFailed e) {
            fail(launch.attached(), e.getMessage());
        } catch (InterruptedException e) {
            // Closing: the attempts stay DISPATCHED and are recovered by the scheduler.
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            LOG.warn("could not start a Cloud Run execution of {}", jobName, e);
            fail(launch.attached(), "could not start a Cloud Run execution of " + jobName + ": " + e);
        } finally {
            if (!handedOver) {
                attempts.forget(launch.members);
                if (slotTaken) {
                    slots.release();
                }
            }
        }
    }

    /** Calls RunJob until it starts the execution, looking for it first after an ambiguous error. */
    private String start(Launch launch, String jobName, RunJobRequest request) throws CallFailed, InterruptedException {
        try {
            return calls.call("RunJob for " + jobName, () -> {
                if (launch.ambiguous) {
                    String found = lookup.find(jobName, launch.launchId, () -> launch.cancelled);
                    if (found != null) {
                        LOG.info("RunJob for {} failed but had started {}: following it", jobName, found);
                        return found;
                    }
                }
                gate.await();
                runJobLimiter.acquire();
                try {
                    String started = executionName(clients.runJob(request), jobName);
                    gate.succeeded();
                    return started;
                } catch (ApiException e) {
                    launch.ambiguous |= Errors.ambiguous(e);
                    if (e.getStatusCode().getCode() == StatusCode.Code.RESOURCE_EXHAUSTED) {
                        gate.exhausted();
                    }
                    throw e;
                }
            }, () -> launch.cancelled);
        } catch (CallFailed e) {
            // A last look: INTERNAL or UNKNOWN is not retried, but may have started the execution.
            String found = launch.ambiguous ? lookup.find(jobName, launch.launchId, () -> false) : null;
            if (found == null) {
                throw e;
            }
            LOG.info("RunJob for {} failed ({}) but had started {}: following it", jobName, e.getMessage(), found);
            return found;
        }
    }

    private static String executionName(Operation op, String jobName) {
        if (!op.hasMetadata() || !op.getMetadata().is(Execution.class)) {
            throw new IllegalStateException("RunJob for " + jobName + " returned operation '" + op.getName()
                    + "' without Execution metadata");
        }
        try {
            String name = op.getMetadata().unpack(Execution.class).getName();
            if (!ExecutionName.isParsableFrom(name)) {
                throw new IllegalStateException("RunJob for " + jobName + " returned an execution name that does not "
                        + "parse: '" + name + "'");
            }
            return name;
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException("RunJob for " + jobName + " returned unreadable metadata: " + e.getMessage(), e);
        }
    }

    static void fail(List<Dispatch> group, String error) {
        for (Dispatch d : group) {
            d.sink().report(StatusUpdate.failed(null, error, null));
        }
    }

    /** Whether every start of this node is paused after a RESOURCE_EXHAUSTED answer. */
    boolean startsPaused() {
        return gate.paused();
    }
}
