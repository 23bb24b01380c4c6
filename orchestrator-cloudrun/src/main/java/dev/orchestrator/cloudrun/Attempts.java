package dev.orchestrator.cloudrun;

import dev.orchestrator.spi.Dispatch;
import dev.orchestrator.spi.TaskContext;

import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/** The launch of each attempt being started or followed, so that a cancel finds it. Thread-safe. */
final class Attempts {

    private record Key(long taskId, int attempt) {
        static Key of(TaskContext t) {
            return new Key(t.taskId(), t.attempt());
        }
    }

    private final ConcurrentHashMap<Key, Launch> launches = new ConcurrentHashMap<>();

    void register(Launch launch) {
        for (Dispatch d : launch.members) {
            launches.put(Key.of(d.task()), launch);
        }
    }

    /** The launch of {@code task}'s attempt, or null. */
    Launch launchOf(TaskContext task) {
        return launches.get(Key.of(task));
    }

    void forget(TaskContext task) {
        launches.remove(Key.of(task));
    }

    void forget(List<Dispatch> group) {
        for (Dispatch d : group) {
            forget(d.task());
        }
    }
}
