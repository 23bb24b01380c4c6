package dev.orchestrator.jdbc.internal;

import dev.orchestrator.spi.WorkflowRow;

import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The name and number of workflow versions this store has seen, by version id, so a trigger does
 * not read them again: a version's row never changes once written. Thread-safe; bounded (cleared
 * when full, then refilled as versions are seen again).
 */
final class VersionNames {

    private static final int MAX = 10_000;

    /** A version's workflow name and number. */
    record Named(String name, int version) {
    }

    private final ConcurrentHashMap<Long, Named> byId = new ConcurrentHashMap<>();

    /** Remembers {@code row}'s name and number; returns it. */
    WorkflowRow remember(WorkflowRow row) {
        if (byId.size() >= MAX) {
            byId.clear();
        }
        byId.putIfAbsent(row.versionId(), new Named(row.name(), row.version()));
        return row;
    }

    /** Remembers every row present in {@code row}; returns it. */
    Optional<WorkflowRow> rememberFound(Optional<WorkflowRow> row) {
        row.ifPresent(this::remember);
        return row;
    }

    /** Remembers {@code name} and {@code version} for {@code versionId}. */
    void remember(long versionId, String name, int version) {
        if (byId.size() >= MAX) {
            byId.clear();
        }
        byId.putIfAbsent(versionId, new Named(name, version));
    }

    /** What is known of {@code versionId}, or {@code null}. */
    Named get(long versionId) {
        return byId.get(versionId);
    }
}
