package org.brandequity.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.config.ConfigDef;
import org.brandequity.command.Cli;
import org.brandequity.config.CommandKeys;
import org.brandequity.config.IngestKeys;
import org.brandequity.config.PipelineKeys;
import org.brandequity.runtime.RealCluster;
import org.brandequity.wire.TestTls;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every secret key set to a marker value; the marker must never show: not in {@code config
 * --effective}, not in the topology description, not in what {@code run} and {@code ingest} log
 * and print while they start. The secret keys are found from each command's definition (type
 * PASSWORD), so a secret key added later is covered without touching this test.
 */
class SecretsNeverShownTest {
    /** Valid as a password, a bearer token and a keytool store password (6 characters at least). */
    private static final String MARKER = "MARKER6b1f0e";

    /** The secret keys {@code run} reads. */
    private static List<String> secretKeys() {
        return secretKeys(PipelineKeys.KEYS);
    }

    /** The secret keys a command reads: those of type PASSWORD in its definition. */
    private static List<String> secretKeys(CommandKeys command) {
        List<String> keys = new ArrayList<>();
        command.definition().configKeys().values().stream()
                .filter(k -> k.type == ConfigDef.Type.PASSWORD).forEach(k -> keys.add(k.name));
        assertTrue(keys.size() >= 8, "the secret keys: " + keys);
        return keys;
    }

    /**
     * Every secret key at the marker, with what makes that valid: stores whose password is the
     * marker, the users that go with the passwords, the registry URL with the marker as its password.
     */
    private static Map<String, String> everySecret(Path dir, String registryHostPort) throws Exception {
        return everySecret(dir, registryHostPort, PipelineKeys.KEYS);
    }

    /** {@link #everySecret(Path, String)} for {@code command}; {@code ingest}'s own secrets with what makes them valid. */
    private static Map<String, String> everySecret(Path dir, String registryHostPort, CommandKeys command) throws Exception {
        Map<String, String> s = new LinkedHashMap<>();
        for (String key : secretKeys(command)) s.put(key, MARKER);
        s.put("schema.registry.url", "http://pipeline:" + MARKER + "@" + registryHostPort + "/apis/ccompat/v7");
        s.put("schema.registry.auth.basic.user", "pipeline");
        s.put("metrics.auth.basic.user", "prometheus");
        Path keystore = TestTls.keystore(dir, "api", MARKER);
        s.put("api.tls.keystore.location", keystore.toString());
        s.put("api.tls.truststore.location", keystore.toString());
        s.put("schema.registry.ssl.truststore.location", keystore.toString());
        if (command == IngestKeys.KEYS) {
            s.put("ingest.tls.keystore.location", keystore.toString());
            s.put("ingest.metrics.auth.basic.user", "prometheus");
        }
        // Kafka's own secrets, passed through as kafka.*; unused on a PLAINTEXT listener but still logged (masked) by the clients.
        s.put("kafka.ssl.truststore.password", MARKER);
        s.put("kafka.sasl.jaas.config", "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"p\" password=\""
                + MARKER + "\";");
        return s;
    }

    private record Output(int exit, String text) {}

    private static Output main(String... args) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream print = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        int exit = Main.commandLine("brand-equity.jar", new Cli(print, print, Map.of())).execute(args);
        return new Output(exit, bytes.toString(StandardCharsets.UTF_8));
    }

    private static String[] args(String command, Map<String, String> settings, String... more) {
        List<String> a = new ArrayList<>(List.of(command));
        a.addAll(List.of(more));
        settings.forEach((k, v) -> a.addAll(List.of("--set", k + "=" + v)));
        return a.toArray(String[]::new);
    }

    @Test
    void configEffectiveMasksEverySecret(@TempDir Path dir) throws Exception {
        Output effective = main(args("config", everySecret(dir, "127.0.0.1:8081"), "--effective"));

        assertEquals(0, effective.exit(), effective.text());
        for (String key : secretKeys()) {
            assertTrue(effective.text().contains("\n" + key + "=[hidden]\n"), key + " is masked:\n" + effective.text());
        }
        assertFalse(effective.text().contains(MARKER), effective.text());
    }

    @Test
    void configEffectiveForIngestMasksEverySecret(@TempDir Path dir) throws Exception {
        Output effective = main(args("config", everySecret(dir, "127.0.0.1:8081", IngestKeys.KEYS), "--for", "ingest", "--effective"));

        assertEquals(0, effective.exit(), effective.text());
        assertTrue(secretKeys(IngestKeys.KEYS).containsAll(List.of("ingest.auth.tokens", "ingest.tls.keystore.password",
                "ingest.metrics.auth.basic.password")), "ingest's own secrets are among those checked");
        for (String key : secretKeys(IngestKeys.KEYS)) {
            assertTrue(effective.text().contains("\n" + key + "=[hidden]\n"), key + " is masked:\n" + effective.text());
        }
        assertFalse(effective.text().contains(MARKER), effective.text());
    }

    @Test
    void theTopologyDescriptionShowsNoSecret(@TempDir Path dir) throws Exception {
        Map<String, String> settings = everySecret(dir, "127.0.0.1:8081");
        // Basic auth and a bearer token exclude each other: the token here, the basic password in the other tests.
        settings.remove("schema.registry.auth.basic.user");
        settings.remove("schema.registry.auth.basic.password");
        Output topology = main(args("topology", settings));

        assertEquals(0, topology.exit(), topology.text());
        assertTrue(topology.text().contains("Sub-topology"), topology.text());
        assertFalse(topology.text().contains(MARKER), topology.text());
    }

    @Test
    void runLogsAndPrintsNoSecretWhileItStarts(@TempDir Path dir) throws Exception {
        try (RealCluster cluster = new RealCluster()) {
            Map<String, String> settings = everySecret(dir, "127.0.0.1:" + cluster.registryProcess.port());
            settings.remove("schema.registry.auth.bearer.token"); // exclusive with the basic auth set here
            Path log = dir.resolve("run.log");
            // Everything at INFO, more than production logs: the Kafka clients' config dumps included.
            Path everything = Files.writeString(dir.resolve("log4j2-info.xml"), "<Configuration status=\"WARN\"><Appenders>"
                    + "<Console name=\"Console\" target=\"SYSTEM_OUT\"><PatternLayout pattern=\"%d %-5level %c{1} - %msg%n\"/></Console>"
                    + "</Appenders><Loggers><Root level=\"INFO\"><AppenderRef ref=\"Console\"/></Root></Loggers></Configuration>");
            List<String> command = new ArrayList<>(cluster.runCommand("secrets", dir.resolve("state"), settings));
            command.add(1, "-Dlog4j2.configurationFile=" + everything);
            Process run = RealCluster.startProcess(command, log);
            try {
                long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
                String text = "";
                while (!(text.contains("queries on https://") && text.contains("-> RUNNING"))) {
                    assertTrue(run.isAlive(), "run exited:\n" + text);
                    assertTrue(System.nanoTime() < deadline, "run did not start and reach RUNNING:\n" + text);
                    Thread.sleep(500);
                    text = Files.readString(log);
                }
            } finally {
                run.destroy();
                run.waitFor(30, TimeUnit.SECONDS);
            }
            String text = Files.readString(log);
            assertTrue(text.lines().count() > 50, "the start-up log (Kafka clients dump their configs): " + text.lines().count() + " lines");
            assertFalse(text.contains(MARKER), "a secret in the start-up log:\n" + text.lines().filter(l -> l.contains(MARKER))
                    .reduce("", (x, y) -> x + y + "\n"));
        }
    }

    @Test
    void ingestLogsAndPrintsNoSecretWhileItStarts(@TempDir Path dir) throws Exception {
        try (RealCluster cluster = new RealCluster()) {
            Map<String, String> settings = everySecret(dir, "127.0.0.1:" + cluster.registryProcess.port(), IngestKeys.KEYS);
            settings.remove("schema.registry.auth.bearer.token"); // exclusive with the basic auth set here
            settings.put("ingest.host", "127.0.0.1");
            settings.put("ingest.port", "0");
            Path log = dir.resolve("ingest.log");
            Path everything = Files.writeString(dir.resolve("log4j2-info.xml"), "<Configuration status=\"WARN\"><Appenders>"
                    + "<Console name=\"Console\" target=\"SYSTEM_OUT\"><PatternLayout pattern=\"%d %-5level %c{1} - %msg%n\"/></Console>"
                    + "</Appenders><Loggers><Root level=\"INFO\"><AppenderRef ref=\"Console\"/></Root></Loggers></Configuration>");
            // run's command line with ingest in its place: the same cluster, registry and pipeline keys.
            List<String> command = new ArrayList<>(cluster.runCommand("secrets-ingest", dir.resolve("state"), settings));
            command.set(command.indexOf("run"), "ingest");
            command.add(1, "-Dlog4j2.configurationFile=" + everything);
            Process ingest = RealCluster.startProcess(command, log);
            try {
                long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
                String text = "";
                while (!(text.contains("ingestion https://127.0.0.1:") && text.contains("Ctrl-C to stop."))) {
                    assertTrue(ingest.isAlive(), "ingest exited:\n" + text);
                    assertTrue(System.nanoTime() < deadline, "ingest did not start:\n" + text);
                    Thread.sleep(500);
                    text = Files.readString(log);
                }
            } finally {
                ingest.destroy();
                ingest.waitFor(30, TimeUnit.SECONDS);
            }
            String text = Files.readString(log);
            assertTrue(text.contains("/metrics behind basic auth"), text);
            assertTrue(text.lines().count() > 50, "the start-up log (Kafka clients dump their configs): " + text.lines().count() + " lines");
            assertFalse(text.contains(MARKER), "a secret in the start-up log:\n" + text.lines().filter(l -> l.contains(MARKER))
                    .reduce("", (x, y) -> x + y + "\n"));
        }
    }
}
