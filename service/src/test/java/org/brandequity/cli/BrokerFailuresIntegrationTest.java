package org.brandequity.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.resource.ResourceType;
import org.brandequity.cluster.DeploymentAcls;
import org.brandequity.cluster.TopicAdmin;
import org.brandequity.command.Cli;
import org.brandequity.config.PipelineConfig;
import org.brandequity.embedded.EmbeddedKafkaBroker;
import org.brandequity.runtime.RealCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code run} on a cluster it cannot use exits with status 1 and one error line naming what is
 * wrong, within 30 s (a bound, not a performance figure): a wrong password, an untrusted certificate,
 * a missing ACL, an unreachable broker. The broker is the locked-down embedded one (SASL_SSL with
 * SCRAM-SHA-512, ACLs); no schema registry is needed, since nothing gets that far.
 */
class BrokerFailuresIntegrationTest {
    private static final Duration BOUND = Duration.ofSeconds(30);
    private static final String PASSWORD = "pipeline-secret";

    private static EmbeddedKafkaBroker broker;
    private static Path dir;

    @BeforeAll
    static void start() throws Exception {
        dir = Files.createTempDirectory("broker-failures");
        broker = EmbeddedKafkaBroker.builder().saslSsl().start();
        PipelineConfig defaults = config("unused", Map.of());
        broker.createTopics(TopicAdmin.topics(defaults).stream().map(t -> new NewTopic(t.name(), 1, (short) 1).configs(t.configs())).toList());
        for (String user : List.of("pipeline", "no-read", "no-transactions", "no-internal")) broker.createScramUser(user, PASSWORD);
        broker.createAcls(DeploymentAcls.pipeline(defaults, "pipeline", false));
        broker.createAcls(without(DeploymentAcls.pipeline(defaults, "no-read", false), ResourceType.TOPIC, defaults.topics().interactions(), AclOperation.READ));
        broker.createAcls(without(DeploymentAcls.pipeline(defaults, "no-transactions", false), ResourceType.TRANSACTIONAL_ID, "brand-equity-", AclOperation.WRITE));
        broker.createAcls(without(DeploymentAcls.pipeline(defaults, "no-internal", false), ResourceType.TOPIC, "brand-equity-", AclOperation.CREATE));
    }

    @AfterAll
    static void stop() throws Exception {
        if (broker != null) broker.close();
        org.apache.kafka.common.utils.Utils.delete(dir.toFile());
    }

    private static List<AclBinding> without(List<AclBinding> acls, ResourceType type, String name, AclOperation op) {
        List<AclBinding> kept = new ArrayList<>(acls);
        assertTrue(kept.removeIf(b -> b.pattern().resourceType() == type && b.pattern().name().equals(name) && b.entry().operation() == op));
        return kept;
    }

    private static PipelineConfig config(String user, Map<String, String> overrides) {
        return PipelineConfig.defaults().with(settings(user, overrides));
    }

    /** The settings of `run` as the user of the secured broker; overrides win. */
    private static Map<String, String> settings(String user, Map<String, String> overrides) {
        Map<String, String> s = new HashMap<>();
        s.put("bootstrap.servers", broker.bootstrapServers());
        s.put("state.dir", dir.resolve("state-" + user).toString());
        s.put("topic.partitions", "1");
        s.put("topic.replication.factor", "1");
        s.put("metrics.port", "0");
        s.put("api.host", "127.0.0.1");
        s.put("api.port", "0");
        s.put("kafka.security.protocol", "SASL_SSL");
        s.put("kafka.sasl.mechanism", "SCRAM-SHA-512");
        s.put("kafka.ssl.truststore.location", broker.tls().truststore().toString());
        s.put("kafka.ssl.truststore.password", broker.tls().password());
        s.put("kafka.ssl.truststore.type", broker.tls().storeType());
        s.putAll(overrides);
        return s;
    }

    /** What `run` did: its exit status, its error output and how long it took. */
    private record Outcome(int status, String err, String out, Duration took) {}

    /** `run` through the production command line, the JAAS config from the environment as in a deployment. */
    private static Outcome run(String user, String password, Map<String, String> overrides) {
        return run(user, password, overrides, true);
    }

    private static Outcome run(String user, String password, Map<String, String> overrides, boolean withTruststore) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Cli cli = new Cli(new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8),
                Map.of("BRANDEQUITY_KAFKA_SASL_JAAS_CONFIG", EmbeddedKafkaBroker.scramJaasConfig(user, password)));
        List<String> args = new ArrayList<>(List.of("run"));
        Map<String, String> settings = settings(user, overrides);
        if (!withTruststore) settings.keySet().removeIf(k -> k.startsWith("kafka.ssl.truststore."));
        settings.forEach((k, v) -> args.addAll(List.of("--set", k + "=" + v)));
        long started = System.nanoTime();
        int status = Main.commandLine("brand-equity.jar", cli).execute(args.toArray(String[]::new));
        return new Outcome(status, err.toString(StandardCharsets.UTF_8), out.toString(StandardCharsets.UTF_8), Duration.ofNanos(System.nanoTime() - started));
    }

    private static void assertOneLine(Outcome outcome, String expectedStart) {
        assertEquals(1, outcome.status(), outcome.err() + outcome.out());
        assertTrue(outcome.err().startsWith("error: " + expectedStart), outcome.err() + outcome.out());
        assertEquals(1, outcome.err().lines().count(), outcome.err());
        assertTrue(outcome.took().compareTo(BOUND) < 0, "took " + outcome.took());
    }

    @Test
    void aWrongPasswordNamesThePrincipalAndTheAddress() {
        Outcome outcome = run("pipeline", "not-the-password", Map.of());
        assertOneLine(outcome, "authentication failed for User:pipeline at " + broker.bootstrapServers() + ": ");
    }

    @Test
    void aCertificateNotInTheTruststoreNamesTheAddressAndTheTruststoreKey() {
        // No truststore configured: the JDK's default CAs, which never signed the broker's certificate.
        Outcome outcome = run("pipeline", PASSWORD, Map.of(), false);
        assertOneLine(outcome, "TLS handshake with " + broker.bootstrapServers() + " failed: the broker's certificate is not trusted;"
                + " set kafka.ssl.truststore.location");
    }

    @Test
    void aMissingReadOnTheInputTopicNamesTheOperationAndTheTopic() {
        Outcome outcome = run("no-read", PASSWORD, Map.of());
        assertOneLine(outcome, "not authorized: User:no-read lacks Read on topic customer-interactions at " + broker.bootstrapServers());
    }

    @Test
    void aMissingTransactionalIdAclNamesTheTransactionalIdPrefix() {
        Outcome outcome = run("no-transactions", PASSWORD, Map.of());
        assertOneLine(outcome, "not authorized: User:no-transactions may not use transactional id brand-equity-* at " + broker.bootstrapServers()
                + "; the pipeline needs Write on it");
    }

    @Test
    void aMissingCreateOnTheInternalTopicsNamesTheOperationAndAnInternalTopic() {
        // The internal topics do not exist yet: without the preflight, Kafka Streams would find out in its first rebalance.
        Outcome outcome = run("no-internal", PASSWORD, Map.of());
        assertOneLine(outcome, "not authorized: User:no-internal lacks Create on topic brand-equity-");
        assertTrue(outcome.err().matches("(?s).* on topic brand-equity-[a-z-]+-(changelog|repartition) at .*"), outcome.err());
    }

    @Test
    void anUnreachableBrokerNamesTheAddressAndTheProductionLogStaysQuiet(@TempDir Path tmp) throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort(); // closed again: nothing listens there
        }
        // A child JVM with the production log4j2.xml, so the client's connection warnings would show.
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>(List.of(java, "-Xmx256m", "-Dlog4j2.configurationFile=" + Path.of("target", "classes", "log4j2.xml").toAbsolutePath(),
                "-cp", System.getProperty("java.class.path"), Main.class.getName(), "run",
                "--set", "bootstrap.servers=127.0.0.1:" + port, "--set", "state.dir=" + tmp.resolve("state"), "--set", "metrics.port=0",
                "--set", "api.port=0", "--set", "api.host=127.0.0.1"));
        Path log = tmp.resolve("run.log");
        long started = System.nanoTime();
        Process process = RealCluster.startProcess(command, log);
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "run still running after 60 s");
        Duration took = Duration.ofNanos(System.nanoTime() - started);
        String output = Files.readString(log);

        assertEquals(1, process.exitValue(), output);
        assertEquals("error: no Kafka broker answered at 127.0.0.1:" + port + " within 15 s: check that it runs and is reachable from here,"
                + " and that kafka.security.protocol (PLAINTEXT) is its listener's\n", output);
        assertTrue(took.compareTo(BOUND) < 0, "took " + took);
    }
}
