package dev.orchestrator.examples;

import dev.orchestrator.spi.Executor;
import dev.orchestrator.spi.ExecutorProvider;

import java.util.Map;

/** Makes {@link ChecksumExecutor} available to every orchestrator on the class path. */
public final class ChecksumExecutorProvider implements ExecutorProvider {

    @Override
    public String type() {
        return ChecksumExecutor.TYPE;
    }

    @Override
    public Executor create(Map<String, String> config) {
        return new ChecksumExecutor();
    }
}
