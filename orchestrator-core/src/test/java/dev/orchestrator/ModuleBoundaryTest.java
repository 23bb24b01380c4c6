package dev.orchestrator;

import dev.orchestrator.testkit.ModulePathHost;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** A host compiled on the module path sees the API and SPI, and cannot see the internals. */
class ModuleBoundaryTest {

    private static final List<Path> MODULE_PATH = List.of(
            ModulePathHost.locationOf(Orchestrator.class), ModulePathHost.locationOf(org.slf4j.Logger.class),
            ModulePathHost.locationOf(com.cronutils.model.Cron.class));

    @Test
    void aHostCompilesAgainstTheApiAndSpi(@TempDir Path dir) throws Exception {
        var result = ModulePathHost.compile(dir, MODULE_PATH, List.of("dev.orchestrator"), """
                package host;
                public class Host {
                    dev.orchestrator.Orchestrator orchestrator = dev.orchestrator.Orchestrator.builder().build();
                    dev.orchestrator.spi.Store store;
                    String name = dev.orchestrator.spi.TaskEnvironment.RUN_ID;
                }
                """);
        assertThat(result.compiled()).as(result.errors()).isTrue();
    }

    @Test
    void aHostCannotReachTheInternals(@TempDir Path dir) throws Exception {
        var result = ModulePathHost.compile(dir, MODULE_PATH, List.of("dev.orchestrator"), """
                package host;
                public class Host {
                    Object factory = dev.orchestrator.internal.OrchestratorFactory.class;
                }
                """);
        assertThat(result.compiled()).isFalse();
        assertThat(result.errors()).contains("dev.orchestrator.internal").contains("does not export");
    }
}
