package org.brandequity.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;
import org.brandequity.config.PipelineConfig;
import org.junit.jupiter.api.Test;

/** The warm-up before joining the group: in memory only. Its effect on latency is measured by the bench, not here. */
class StartupWarmupTest {
    /** Nothing listens on port 1: a warm-up that reached for the broker or the registry would fail or hang. */
    private final PipelineConfig config = PipelineConfig.defaults().with(Map.of(
            "bootstrap.servers", "127.0.0.1:1",
            "schema.registry.url", "http://127.0.0.1:1",
            "window.size", "1m", "window.advance", "20s", "window.grace", "5s"));

    private static long warmupDirectories() throws IOException {
        try (Stream<Path> dirs = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
            return dirs.filter(p -> p.getFileName().toString().startsWith("brand-equity-warmup")).count();
        }
    }

    @Test
    void theWarmUpRunsWithoutABrokerOrARegistry() {
        StartupWarmup.run(config, 2_000);
    }

    @Test
    void theWarmUpLeavesNoStateDirectoryBehind() throws IOException {
        long before = warmupDirectories();
        StartupWarmup.run(config, 500);
        assertEquals(before, warmupDirectories());
    }
}
