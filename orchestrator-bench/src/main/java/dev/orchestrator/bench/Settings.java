package dev.orchestrator.bench;

/**
 * Sizes and durations of the workloads.
 *
 * @param noopRuns           runs of the noop workload
 * @param noopPerRun         tasks per noop run
 * @param processTasks       tasks of /bin/true
 * @param processConcurrency processes at once (orchestrator's maxConcurrency and the raw baseline's threads)
 * @param latencySeconds     measured seconds of steady triggers
 * @param latencyRate        triggers per second
 * @param latencyBareSeconds seconds of the bare-SQL single-task cycle baseline
 * @param memoryTasks        tasks held in flight
 * @param idleSeconds        measured idle seconds
 * @param idleBaseSeconds    seconds of the idle-JVM CPU baseline
 * @param historyTasks       finished tasks put in the tables before the history run
 */
record Settings(int noopRuns, int noopPerRun, int processTasks, int processConcurrency, int latencySeconds,
                int latencyRate, int latencyBareSeconds, int memoryTasks, int idleSeconds, int idleBaseSeconds,
                int historyTasks) {

    static Settings full(int processConcurrency) {
        return new Settings(10, 10_000, 5_000, processConcurrency, 30, 100, 10, 500, 30, 10, 1_000_000);
    }

    static Settings quick(int processConcurrency) {
        return new Settings(2, 10_000, 1_000, processConcurrency, 5, 100, 3, 500, 5, 3, 100_000);
    }
}
