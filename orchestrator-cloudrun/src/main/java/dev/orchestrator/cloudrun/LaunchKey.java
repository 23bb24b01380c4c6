package dev.orchestrator.cloudrun;

import dev.orchestrator.spi.TaskContext;

import java.util.UUID;

/**
 * The identity of one launch, carried as {@link CloudRunExecutor#LAUNCH_ID} in its execution's
 * environment: the run, step and attempt of its tasks, the orchestrator index of its first task
 * ({@code offset}), how many tasks it runs, and a random part that tells two launches of the same
 * tasks apart. So an execution can be found again both by its exact id (after an ambiguous RunJob
 * error) and by any task it runs (at take-over, when its name was never recorded).
 *
 * <p>Text form: {@code r<run>.s<stepIndex>.a<attempt>.i<offset>.n<count>.<random>}.
 */
record LaunchKey(long runId, int stepIndex, int attempt, int offset, int count, String random) {

    /** A new key for {@code count} tasks from {@code first}. */
    static LaunchKey of(TaskContext first, int count) {
        return new LaunchKey(first.runId(), first.stepIndex(), first.attempt(), first.taskIndex(), count,
                UUID.randomUUID().toString().replace("-", "").substring(0, 16));
    }

    /** The key {@code text} holds, or null if it is no launch key. */
    static LaunchKey parse(String text) {
        if (text == null) {
            return null;
        }
        String[] p = text.split("\\.", -1);
        if (p.length != 6 || !p[0].startsWith("r") || !p[1].startsWith("s") || !p[2].startsWith("a")
                || !p[3].startsWith("i") || !p[4].startsWith("n") || p[5].isEmpty()) {
            return null;
        }
        try {
            return new LaunchKey(Long.parseLong(p[0].substring(1)), Integer.parseInt(p[1].substring(1)),
                    Integer.parseInt(p[2].substring(1)), Integer.parseInt(p[3].substring(1)),
                    Integer.parseInt(p[4].substring(1)), p[5]);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** Whether this launch runs {@code task}'s attempt. */
    boolean runs(TaskContext task) {
        return task.runId() == runId && task.stepIndex() == stepIndex && task.attempt() == attempt
                && task.taskIndex() >= offset && task.taskIndex() < offset + count;
    }

    @Override
    public String toString() {
        return "r" + runId + ".s" + stepIndex + ".a" + attempt + ".i" + offset + ".n" + count + "." + random;
    }
}
