package dev.orchestrator.cloudrun;

import com.google.cloud.run.v2.EnvVar;
import com.google.cloud.run.v2.RunJobRequest;
import dev.orchestrator.spi.Dispatch;
import dev.orchestrator.spi.TaskContext;
import dev.orchestrator.spi.TaskEnvironment;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/** Builds the RunJob request of a launch: the job, its task count, arguments, environment and timeout. */
final class RunJobRequests {

    private final Clock clock;

    RunJobRequests(Clock clock) {
        this.clock = clock;
    }

    RunJobRequest of(Launch launch) {
        TaskContext first = launch.members.get(0).task();
        var container = RunJobRequest.Overrides.ContainerOverride.newBuilder().addAllArgs(first.job().command());
        if (!launch.job.container().isEmpty()) {
            container.setName(launch.job.container());
        }
        var env = TaskEnvironment.ofBatch(first);
        env.put(CloudRunExecutor.LAUNCH_ID, launch.launchId);
        env.forEach((k, v) -> container.addEnv(EnvVar.newBuilder().setName(k).setValue(v == null ? "" : v)));
        var overrides = RunJobRequest.Overrides.newBuilder()
                .addContainerOverrides(container)
                .setTaskCount(launch.members.size());
        long timeout = launch.job.timeoutSeconds();
        if (timeout == 0) {
            timeout = secondsUntilEarliestDeadline(launch.members);
        }
        if (timeout > 0) {
            overrides.setTimeout(com.google.protobuf.Duration.newBuilder().setSeconds(timeout));
        }
        return RunJobRequest.newBuilder().setName(launch.job.job().toString()).setOverrides(overrides).build();
    }

    /** Seconds (rounded up, at least 1, at most Cloud Run's limit) until the earliest deadline, or 0 if none. */
    private long secondsUntilEarliestDeadline(List<Dispatch> members) {
        Instant earliest = null;
        for (Dispatch d : members) {
            Instant deadline = d.task().deadline();
            if (deadline != null && (earliest == null || deadline.isBefore(earliest))) {
                earliest = deadline;
            }
        }
        if (earliest == null) {
            return 0;
        }
        long millis = Duration.between(clock.instant(), earliest).toMillis();
        return Math.min(JobOptions.MAX_TIMEOUT_SECONDS, Math.max(1, (millis + 999) / 1000));
    }
}
