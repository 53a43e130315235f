package org.brandequity.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.brandequity.command.Cli;
import org.brandequity.config.ConfigTable;
import org.brandequity.config.PipelineKeys;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MainTest {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int execute(Map<String, String> env, String... args) {
        Cli cli = new Cli(new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8), env);
        return Main.commandLine("brand-equity.jar", cli).execute(args);
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    private String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void aMisspeltKeyInTheConfigFileStopsRunWithStatusTwoAndOneLine(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("app.properties");
        Files.writeString(file, "window.sise=30m\n");

        assertEquals(2, execute(Map.of(), "run", "--config", file.toString()));
        assertEquals("error: unknown config key 'window.sise' (from --config " + file + "); did you mean 'window.size'?\n", err());
    }

    @Test
    void aMisspeltKeyInASetStopsRunWithStatusTwo() {
        assertEquals(2, execute(Map.of(), "run", "--set", "state.dri=/tmp/x"));
        assertEquals("error: unknown config key 'state.dri' (from --set); did you mean 'state.dir'?\n", err());
    }

    @Test
    void aMisspeltVariableStopsRunWithStatusTwoNamingTheVariable() {
        assertEquals(2, execute(Map.of("BRANDEQUITY_BOOTSTRAP_SERVER", "k:9092"), "run"));
        assertEquals("error: unknown config variable BRANDEQUITY_BOOTSTRAP_SERVER (from the environment); "
                + "did you mean BRANDEQUITY_BOOTSTRAP_SERVERS (bootstrap.servers)?\n", err());
    }

    @Test
    void anInvalidValueStopsRunWithStatusTwoNamingTheKey() {
        assertEquals(2, execute(Map.of(), "run", "--set", "api.port=70000"));
        assertTrue(err().startsWith("error: ") && err().contains("api.port") && err().indexOf('\n') == err().length() - 1, err());
    }

    @Test
    void aDemoOnlyKeyIsUnknownToRun() {
        assertEquals(2, execute(Map.of(), "run", "--set", "status.interval=1s"));
        assertTrue(err().startsWith("error: unknown config key 'status.interval' (from --set)"), err());
    }

    @Test
    void configPrintsThePipelineTable() {
        assertEquals(0, execute(Map.of(), "config"));
        assertEquals(ConfigTable.markdown(PipelineKeys.SECTION), out());
    }

    @Test
    void configEffectiveShowsEverySourceAndMasksPasswords() {
        assertEquals(0, execute(Map.of("BRANDEQUITY_WINDOW_SIZE", "30m"), "config", "--effective",
                "--set", "window.advance=30m",
                "--set", "schema.registry.url=https://user:secret@registry:8081",
                "--set", "kafka.ssl.key.password=secret",
                "--set", "kafka.sasl.jaas.config=x required password=\"secret\";",
                "--set", "kafka.linger.ms=5"));

        String text = out();
        assertTrue(text.contains("window.size=30m\n"), text);
        assertTrue(text.contains("window.advance=30m\n"), text);
        assertTrue(text.contains("schema.registry.url=[hidden]\n"), text);
        assertTrue(text.contains("kafka.ssl.key.password=[hidden]\n"), text);
        assertTrue(text.contains("kafka.sasl.jaas.config=[hidden]\n"), text);
        assertTrue(text.contains("kafka.linger.ms=5\n"), text);
        assertTrue(!text.contains("secret"), text);
    }

    @Test
    void helpListsTheCommandsAndExitsZero() {
        assertEquals(0, execute(Map.of(), "--help"));
        assertTrue(out().contains("run") && out().contains("topology") && out().contains("config"), out());
        assertEquals(0, execute(Map.of(), "run", "--help"));
        assertTrue(out().contains("--config") && out().contains("--set"), out());
    }

    @Test
    void anUnknownOptionIsAUsageError() {
        assertEquals(2, execute(Map.of(), "run", "--confg", "x"));
        assertTrue(err().contains("--confg"), err());
    }

    @Test
    void aclsPrintsOneKafkaAclsLinePerPrincipalAndResourceFromTheConfig() {
        assertEquals(0, execute(Map.of(), "acls", "--principal", "pipeline", "--set", "application.id=shop-eq",
                "--set", "bootstrap.servers=kafka:9093", "--set", "topic.interactions=shop-events"));
        String text = out();
        assertTrue(text.startsWith("# the pipeline, User:pipeline (application.id shop-eq)\n"), text);
        assertTrue(text.contains("kafka-acls.sh --bootstrap-server kafka:9093 --command-config admin.properties --add"
                + " --allow-principal User:pipeline --operation Read --operation Create --topic shop-events\n"), text);
        assertTrue(text.contains(" --allow-principal User:pipeline --operation Create --operation Read --operation Write --operation Delete"
                + " --resource-pattern-type prefixed --topic shop-eq-\n"), text);
        assertTrue(text.contains(" --allow-principal User:pipeline --operation Write --resource-pattern-type prefixed --transactional-id shop-eq-\n"), text);
        assertTrue(!text.contains("simulator") && !text.contains("downstream"), text);
    }

    @Test
    void aclsWithTopicsCreatedBeforehandGrantsNoCreateOnThem() {
        assertEquals(0, execute(Map.of(), "acls", "--principal", "pipeline", "--topics-precreated"));
        assertTrue(out().lines().filter(l -> l.contains("--operation Create")).allMatch(l -> l.contains("--resource-pattern-type prefixed")), out());
    }

    @Test
    void configEffectiveMasksTheJaasConfigAndTruststorePasswordFromTheEnvironment() {
        assertEquals(0, execute(Map.of("BRANDEQUITY_KAFKA_SASL_JAAS_CONFIG",
                        "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"pipeline\" password=\"s3cret\";",
                        "BRANDEQUITY_KAFKA_SSL_TRUSTSTORE_PASSWORD", "s3cret"),
                "config", "--effective", "--set", "kafka.security.protocol=SASL_SSL"));
        assertTrue(out().contains("kafka.sasl.jaas.config=[hidden]\n") && out().contains("kafka.ssl.truststore.password=[hidden]\n"), out());
        assertTrue(out().contains("kafka.security.protocol=SASL_SSL\n"), out());
        assertTrue(!out().contains("s3cret"), out());
    }

    @Test
    void theTopologyDescriptionNeverContainsTheClientSecrets() {
        assertEquals(0, execute(Map.of("BRANDEQUITY_KAFKA_SASL_JAAS_CONFIG",
                        "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"pipeline\" password=\"s3cret\";"),
                "topology", "--set", "kafka.ssl.truststore.password=s3cret", "--set", "schema.registry.url=https://user:s3cret@registry:8081"));
        assertTrue(out().contains("Sub-topology"), out());
        assertTrue(!out().contains("s3cret") && !err().contains("s3cret"), out() + err());
    }
}
