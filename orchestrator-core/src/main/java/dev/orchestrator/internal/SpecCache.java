package dev.orchestrator.internal;

import dev.orchestrator.WorkflowSpec;
import dev.orchestrator.spi.Store;
import dev.orchestrator.spi.WorkflowRow;

import java.util.concurrent.ConcurrentHashMap;

/** Workflow specs by version id; versions never change, so nothing is ever invalidated. */
final class SpecCache {

    private final Store store;
    private final ConcurrentHashMap<Long, WorkflowSpec> specs = new ConcurrentHashMap<>();

    SpecCache(Store store) {
        this.store = store;
    }

    WorkflowSpec get(long versionId) {
        WorkflowSpec spec = specs.get(versionId);
        if (spec != null) {
            return spec;
        }
        WorkflowRow row = store.findWorkflowVersion(versionId)
                .orElseThrow(() -> new IllegalStateException("workflow version " + versionId + " is missing from the store"));
        return remember(row);
    }

    WorkflowSpec remember(WorkflowRow row) {
        return specs.computeIfAbsent(row.versionId(), id -> SpecCodec.fromJson(row.specJson()));
    }
}
