package dev.orchestrator.cloudrun;

import java.time.Clock;
import java.time.Duration;

/**
 * The executor's effective settings, checked by {@link CloudRunExecutor.Builder}.
 *
 * @param runJobPermits        RunJob calls allowed per {@code runJobWindow}
 * @param runJobWindow         the rate limiter's window
 * @param maxRunningExecutions executions followed at once
 * @param pollInterval         first delay between two polls of one execution
 * @param maxPollInterval      longest delay between two polls
 * @param pollBackoff          factor applied to the delay after a poll that saw no progress
 * @param maxTasksPerExecution tasks grouped into one execution at most (1 = one task per execution)
 * @param heartbeatInterval    how often running tasks get a heartbeat; zero for never
 * @param retryInitialDelay    first retry delay for transient API errors
 * @param retryMaxDelay        longest retry delay
 * @param retryTimeout         how long one call is retried before its tasks fail
 * @param clock                the clock that attempt deadlines are compared with
 * @param readPermits          reads (GetJob, GetExecution, ListExecutions, ListTasks) allowed per {@code readWindow}
 * @param readWindow           the read limiter's window
 * @param requireZeroMaxRetries whether a job whose {@code max_retries} is not 0 fails its attempts (else a warning)
 */
record Settings(int runJobPermits, Duration runJobWindow, int maxRunningExecutions, Duration pollInterval,
                Duration maxPollInterval, double pollBackoff, int maxTasksPerExecution,
                Duration heartbeatInterval, Duration retryInitialDelay, Duration retryMaxDelay,
                Duration retryTimeout, Clock clock, int readPermits, Duration readWindow,
                boolean requireZeroMaxRetries) {
}
