package org.brandequity.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.brandequity.embedded.EmbeddedSchemaRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The demo, in a child JVM as a user runs it, with its query API, metrics and ingestion ports all
 * taken by another process: it starts anyway, each on a free port that its start-up lines name and
 * that answers, instead of dying with a BindException.
 */
class DemoTakenPortsTest {
    private static final Pattern PORTS = Pattern.compile(
            "metrics http://127\\.0\\.0\\.1:(\\d+)/metrics \\| queries https?://[^:]+:(\\d+)/equity");
    private static final Pattern INGEST = Pattern.compile("Ingestion http://127\\.0\\.0\\.1:(\\d+)/v1/interactions");

    @Test
    @Timeout(240)
    void theDemoMovesEveryTakenPortToAFreeOneAndServesThere(@TempDir Path dir) throws Exception {
        try (ServerSocket metrics = taken(); ServerSocket api = taken(); ServerSocket ingest = taken()) {
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            List<String> command = new ArrayList<>(List.of(java, "-Xmx768m",
                    "-D" + EmbeddedSchemaRegistry.JAR_PROPERTY + "=" + System.getProperty(EmbeddedSchemaRegistry.JAR_PROPERTY),
                    "-cp", System.getProperty("java.class.path"), DemoMain.class.getName(), "demo",
                    "--set", "metrics.port=" + metrics.getLocalPort(), "--set", "api.port=" + api.getLocalPort(),
                    "--set", "ingest.port=" + ingest.getLocalPort(), "--set", "simulator.rate=20"));
            Path log = dir.resolve("demo.log");
            Process demo = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            try {
                long deadline = System.nanoTime() + Duration.ofSeconds(180).toNanos();
                String text = "";
                while (!(PORTS.matcher(text).find() && INGEST.matcher(text).find())) {
                    assertTrue(demo.isAlive(), "the demo exited:\n" + text);
                    assertTrue(System.nanoTime() < deadline, "the demo did not print its ports:\n" + text);
                    Thread.sleep(500);
                    text = Files.readString(log);
                }
                Matcher ports = PORTS.matcher(text);
                assertTrue(ports.find());
                Matcher ingestPort = INGEST.matcher(text);
                assertTrue(ingestPort.find());
                int metricsPort = Integer.parseInt(ports.group(1));
                int apiPort = Integer.parseInt(ports.group(2));
                assertNotEquals(metrics.getLocalPort(), metricsPort);
                assertNotEquals(api.getLocalPort(), apiPort);
                assertNotEquals(ingest.getLocalPort(), Integer.parseInt(ingestPort.group(1)));
                HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
                HttpResponse<String> scrape = http.send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + metricsPort + "/metrics")).build(), HttpResponse.BodyHandlers.ofString());
                assertEquals(200, scrape.statusCode(), "the metrics endpoint serves on the port the demo printed");
                HttpResponse<String> health = http.send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + ingestPort.group(1) + "/health")).build(), HttpResponse.BodyHandlers.ofString());
                assertEquals(200, health.statusCode(), "the ingestion service serves on the port the demo printed");
            } finally {
                demo.destroy(); // SIGTERM: the demo's shutdown hook stops everything it started
                if (!demo.waitFor(60, TimeUnit.SECONDS)) demo.destroyForcibly();
            }
        }
    }

    /** A port on 127.0.0.1 that another process listens on. */
    private static ServerSocket taken() throws Exception {
        ServerSocket s = new ServerSocket();
        s.bind(new InetSocketAddress("127.0.0.1", 0));
        return s;
    }
}
