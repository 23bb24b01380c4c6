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
 * @param singleRuns         one-task runs of the single workload, per thread count
 * @param smallRuns          runs of the noop workload at a host's settings (20 slots)
 * @param smallPerRun        tasks per run there (and per db-scheduler {@code scheduleBatch} call)
 * @param cliRuns            runs in the SQLite file the cli workload lists
 * @param repeats            measured passes per workload, after one warm-up pass
 */
record Settings(int noopRuns, int noopPerRun, int processTasks, int processConcurrency, int latencySeconds,
                int latencyRate, int latencyBareSeconds, int memoryTasks, int idleSeconds, int idleBaseSeconds,
                int historyTasks, int singleRuns, int smallRuns, int smallPerRun, int cliRuns, int repeats) {

    /** Slots of the workloads at a host's settings, and db-scheduler's threads there. */
    static final int HOST_SLOTS = 20;
    /** Trigger threads of the second single pass. */
    static final int SINGLE_THREADS = 8;

    static Settings full(int processConcurrency) {
        return new Settings(10, 10_000, 5_000, processConcurrency, 20, 100, 10, 500, 20, 5, 1_000_000,
                10_000, 10, 1_000, 1_000, 3);
    }

    static Settings quick(int processConcurrency) {
        return new Settings(2, 10_000, 1_000, processConcurrency, 5, 100, 3, 500, 5, 3, 100_000,
                2_000, 4, 1_000, 1_000, 3);
    }

    /** The warm-up pass's sizes: the quick ones. */
    Settings warmUp() {
        return quick(processConcurrency);
    }
}
