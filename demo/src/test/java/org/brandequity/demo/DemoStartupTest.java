package org.brandequity.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Collectors;
import org.brandequity.embedded.EmbeddedSchemaRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The demo's start-up, when one of its steps fails. */
class DemoStartupTest {

    @Test
    void aFailedStartUpStopsTheBrokerAndRemovesItsTemporaryDirectory(@TempDir Path elsewhere) throws Exception {
        Path missingJar = elsewhere.resolve("no-such-registry.jar");
        Set<Path> before = demoDirectories();
        Set<String> threadsBefore = liveThreads();
        String saved = System.getProperty(EmbeddedSchemaRegistry.JAR_PROPERTY);
        System.setProperty(EmbeddedSchemaRegistry.JAR_PROPERTY, missingJar.toString());
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            // The broker starts, then the registry cannot: the run fails before it reads any setting.
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> DemoMain.Demo.run(new Properties(), new PrintStream(out, true, StandardCharsets.UTF_8)));
            assertTrue(e.getMessage().contains(missingJar.toString()), e.getMessage());
        } finally {
            if (saved == null) System.clearProperty(EmbeddedSchemaRegistry.JAR_PROPERTY);
            else System.setProperty(EmbeddedSchemaRegistry.JAR_PROPERTY, saved);
        }
        assertTrue(out.toString(StandardCharsets.UTF_8).contains("Starting the schema registry"), "the broker was up first: " + out);
        assertEquals(before, demoDirectories(), "brand-equity-demo* directories left in " + System.getProperty("java.io.tmpdir"));
        Set<String> leftRunning = liveThreads();
        leftRunning.removeAll(threadsBefore);
        assertEquals(Set.of(), leftRunning.stream().filter(t -> t.contains("kafka") || t.contains("raft") || t.contains("broker"))
                .collect(Collectors.toSet()), "the broker's threads still running");
    }

    private static Set<Path> demoDirectories() throws IOException {
        try (var files = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
            return files.filter(p -> p.getFileName().toString().startsWith("brand-equity-demo")).collect(Collectors.toSet());
        }
    }

    private static Set<String> liveThreads() {
        return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive)
                .map(t -> t.getName().toLowerCase()).collect(Collectors.toSet());
    }
}
