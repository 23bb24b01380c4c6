/**
 * Orchestrator core: the public API ({@code dev.orchestrator}), the extension points
 * ({@code dev.orchestrator.spi}), the process executor and the optional Micrometer metrics.
 * The scheduler and everything else in {@code dev.orchestrator.internal} is not exported.
 */
module dev.orchestrator {
    requires org.slf4j;
    requires java.management;
    requires java.sql;
    requires com.cronutils;
    requires static micrometer.core;

    exports dev.orchestrator;
    exports dev.orchestrator.spi;
    exports dev.orchestrator.process;
    exports dev.orchestrator.metrics;

    uses dev.orchestrator.spi.ExecutorProvider;
    uses dev.orchestrator.spi.StoreProvider;

    provides dev.orchestrator.spi.ExecutorProvider with dev.orchestrator.process.ProcessExecutorProvider;
}
