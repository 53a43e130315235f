package org.brandequity.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.brandequity.cluster.SchemaRegistries;
import org.brandequity.avro.CustomerInteraction;
import org.brandequity.avro.CustomerProfile;
import org.brandequity.config.PipelineConfig;
import org.brandequity.embedded.EmbeddedSchemaRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The registry client as {@code schema.registry.*} configures it, against the real registry (the
 * embedded Apicurio, Confluent API) behind a real TLS + authenticating reverse proxy (nginx): the
 * embedded registry has no authentication of its own without an identity server, and a managed
 * registry (Confluent Cloud, a company's) sits behind exactly such a front.
 */
class SecuredSchemaRegistryIntegrationTest {
    private static final String USER = "pipeline";
    private static final String PASSWORD = "s3cret-registry-pw";
    private static final String TOKEN = "registry-token-7f3a9c";
    private static final String TRUST_PASSWORD = "trust-pw";

    private static Path dir;
    private static EmbeddedSchemaRegistry registry;
    private static NginxTlsProxy proxy;
    private static Path truststore;

    @BeforeAll
    static void startRegistryBehindProxy() throws Exception {
        dir = Files.createTempDirectory("secured-registry");
        registry = EmbeddedSchemaRegistry.start(dir.resolve("logs"));
        proxy = NginxTlsProxy.start(dir.resolve("nginx"), "127.0.0.1:" + registry.port(), USER, PASSWORD, TOKEN);
        truststore = TestTls.truststore(dir, proxy.certificate.certificate(), TRUST_PASSWORD);
    }

    @AfterAll
    static void stop() {
        if (proxy != null) proxy.close();
        if (registry != null) registry.close();
    }

    private static String url(int port) {
        return "https://127.0.0.1:" + port + EmbeddedSchemaRegistry.CONFLUENT_API_PATH;
    }

    /** Basic auth and the proxy's certificate trusted, plus {@code more}. */
    private static PipelineConfig config(Map<String, String> more) {
        Map<String, String> c = new HashMap<>();
        c.put("schema.registry.url", url(proxy.basicAuthPort));
        c.put("schema.registry.auth.basic.user", USER);
        c.put("schema.registry.auth.basic.password", PASSWORD);
        c.put("schema.registry.ssl.truststore.location", truststore.toString());
        c.put("schema.registry.ssl.truststore.password", TRUST_PASSWORD);
        c.put("schema.registry.ssl.truststore.type", "PKCS12");
        c.putAll(more);
        c.values().removeIf(String::isEmpty);
        return PipelineConfig.defaults().with(c);
    }

    @Test
    void aRecordSerializedThroughTheProxyWithBasicAuthAndATruststoreIsReadBack() {
        CustomerInteraction sent = Interactions.interaction("through-the-proxy");
        byte[] bytes;
        try (HttpSchemaRegistryClient writer = SchemaRegistries.fromConfig(config(Map.of()))) {
            bytes = new ConfluentAvroSerde<>(writer, CustomerInteraction.class, false).serializer().serialize("proxied", sent);
        }
        // A second client, so the schema is fetched by id through the proxy rather than found in the writer's cache.
        try (HttpSchemaRegistryClient reader = SchemaRegistries.fromConfig(config(Map.of()))) {
            assertEquals(sent, new ConfluentAvroSerde<>(reader, CustomerInteraction.class, false).deserializer().deserialize("proxied", bytes));
        }
    }

    @Test
    void basicAuthCredentialsInTheUrlStillWork() {
        String inUrl = "https://" + USER + ":" + PASSWORD + "@127.0.0.1:" + proxy.basicAuthPort + EmbeddedSchemaRegistry.CONFLUENT_API_PATH;
        Map<String, String> urlCredentials = Map.of("schema.registry.url", inUrl,
                "schema.registry.auth.basic.user", "", "schema.registry.auth.basic.password", "");
        try (HttpSchemaRegistryClient client = SchemaRegistries.fromConfig(config(urlCredentials))) {
            int id = client.register("url-credentials-value", CustomerProfile.getClassSchema());
            assertEquals(CustomerProfile.getClassSchema(), client.schemaById(id));
        }
    }

    @Test
    void aWrongPasswordFailsWithOneLineNamingTheStatusAndTheUrlButNotThePassword() {
        String wrong = "not-the-password";
        try (HttpSchemaRegistryClient client = SchemaRegistries.fromConfig(config(Map.of("schema.registry.auth.basic.password", wrong)))) {
            SchemaRegistryException e = assertThrows(SchemaRegistryException.class,
                    () -> client.register("wrong-password-value", CustomerProfile.getClassSchema()));
            assertEquals(401, e.httpStatus());
            assertTrue(e.getMessage().startsWith("Schema registry " + url(proxy.basicAuthPort) + " answered HTTP 401 (credentials refused"),
                    e.getMessage());
            assertFalse(e.getMessage().contains(wrong) || e.getMessage().contains(PASSWORD), e.getMessage());
            assertFalse(e.getMessage().contains("\n"), "one line: " + e.getMessage());
        }
    }

    @Test
    void anUntrustedCertificateFailsWithOneLineSayingSoAndWhatToSet() {
        Map<String, String> noTruststore = Map.of("schema.registry.ssl.truststore.location", "",
                "schema.registry.ssl.truststore.password", "");
        try (HttpSchemaRegistryClient client = SchemaRegistries.fromConfig(config(noTruststore))) {
            SchemaRegistryException e = assertThrows(SchemaRegistryException.class,
                    () -> client.register("untrusted-value", CustomerProfile.getClassSchema()));
            assertTrue(e.getMessage().startsWith("TLS handshake with schema registry " + url(proxy.basicAuthPort) + " failed"), e.getMessage());
            assertTrue(e.getMessage().contains("its certificate is not trusted")
                    && e.getMessage().contains("schema.registry.ssl.truststore.location"), e.getMessage());
            assertFalse(e.getMessage().contains("\n"), "one line: " + e.getMessage());
        }
    }

    @Test
    void withAutoRegisterOffTheIdOfASchemaAlreadyUnderTheSubjectIsLookedUp() {
        int registered;
        try (HttpSchemaRegistryClient ci = SchemaRegistries.fromConfig(config(Map.of()))) {
            registered = ci.register("present-value", CustomerInteraction.getClassSchema());
        }
        try (HttpSchemaRegistryClient lookupOnly = SchemaRegistries.fromConfig(config(Map.of("schema.registry.auto.register", "false")))) {
            assertEquals(registered, lookupOnly.register("present-value", CustomerInteraction.getClassSchema()));
        }
    }

    @Test
    void withAutoRegisterOffASubjectWithoutTheSchemaFailsWithOneLineNamingTheSubject() {
        try (HttpSchemaRegistryClient ci = SchemaRegistries.fromConfig(config(Map.of()))) {
            ci.register("other-schema-value", CustomerProfile.getClassSchema());
        }
        try (HttpSchemaRegistryClient lookupOnly = SchemaRegistries.fromConfig(config(Map.of("schema.registry.auto.register", "false")))) {
            for (String subject : new String[] {"other-schema-value", "absent-subject-value"}) {
                SchemaRegistryException e = assertThrows(SchemaRegistryException.class,
                        () -> lookupOnly.register(subject, CustomerInteraction.getClassSchema()));
                assertEquals(subject, e.subject());
                assertTrue(e.getMessage().startsWith("Schema registry " + url(proxy.basicAuthPort) + " has no schema "
                        + CustomerInteraction.getClassSchema().getFullName() + " under subject " + subject
                        + " and auto-registration is off"), e.getMessage());
                assertFalse(e.getMessage().contains("\n"), "one line: " + e.getMessage());
            }
        }
    }

    @Test
    void aBearerTokenIsSentAsAuthorizationBearer() {
        Map<String, String> bearer = Map.of("schema.registry.url", url(proxy.bearerPort), "schema.registry.auth.basic.user", "",
                "schema.registry.auth.basic.password", "", "schema.registry.auth.bearer.token", TOKEN);
        try (HttpSchemaRegistryClient client = SchemaRegistries.fromConfig(config(bearer))) {
            int id = client.register("bearer-value", CustomerProfile.getClassSchema());
            assertEquals(CustomerProfile.getClassSchema(), client.schemaById(id));
        }
        Map<String, String> wrongToken = new HashMap<>(bearer);
        wrongToken.put("schema.registry.auth.bearer.token", "another-token");
        try (HttpSchemaRegistryClient client = SchemaRegistries.fromConfig(config(wrongToken))) {
            SchemaRegistryException e = assertThrows(SchemaRegistryException.class,
                    () -> client.register("bearer-value", CustomerProfile.getClassSchema()));
            assertEquals(401, e.httpStatus(), "the proxy checks the token, so the accepted one above was really sent");
        }
    }

    /** {@code run} in this JVM with the registry settings of {@code config(more)}, and no broker (none is reached). */
    /** {@code run} against a real (open) broker, so that only the registry can stop it: it checks the cluster first. */
    private static String[] runFailsAtStart(Map<String, String> more) {
        try (org.brandequity.embedded.EmbeddedKafkaBroker broker = org.brandequity.embedded.EmbeddedKafkaBroker.builder()
                .dataDirectory(dir.resolve("kafka-" + System.nanoTime())).start()) {
            return runFailsAtStart(broker.bootstrapServers(), more);
        }
    }

    private static String[] runFailsAtStart(String bootstrap, Map<String, String> more) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
        java.util.List<String> args = new java.util.ArrayList<>(java.util.List.of("run", "--set", "bootstrap.servers=" + bootstrap,
                "--set", "api.host=127.0.0.1", "--set", "api.port=0", "--set", "metrics.host=127.0.0.1", "--set", "metrics.port=0",
                "--set", "state.dir=" + dir.resolve("state")));
        Map<String, String> settings = new HashMap<>();
        config(more).toProperties().forEach((k, v) -> {
            if (k.toString().startsWith("schema.registry.")) settings.put(k.toString(), v.toString());
        });
        settings.forEach((k, v) -> args.addAll(java.util.List.of("--set", k + "=" + v)));
        long start = System.nanoTime();
        int exit = org.brandequity.cli.Main.commandLine("brand-equity.jar", new org.brandequity.command.Cli(
                new java.io.PrintStream(out, true, java.nio.charset.StandardCharsets.UTF_8),
                new java.io.PrintStream(err, true, java.nio.charset.StandardCharsets.UTF_8), Map.of())).execute(args.toArray(String[]::new));
        assertTrue(System.nanoTime() - start < java.time.Duration.ofSeconds(30).toNanos(), "fails within 30 s");
        assertEquals(1, exit, out.toString(java.nio.charset.StandardCharsets.UTF_8));
        return err.toString(java.nio.charset.StandardCharsets.UTF_8).lines().toArray(String[]::new);
    }

    @Test
    void runStopsAtStartWithOneLineWhenTheRegistryRefusesItsPassword() {
        String[] err = runFailsAtStart(Map.of("schema.registry.auth.basic.password", "not-the-password"));
        assertEquals(1, err.length, String.join("\n", err));
        assertTrue(err[0].startsWith("error: Schema registry " + url(proxy.basicAuthPort) + " answered HTTP 401 (credentials refused"), err[0]);
    }

    @Test
    void runStopsAtStartWithOneLineNamingTheSubjectWhenAutoRegisterIsOffAndTheSchemaIsAbsent() {
        String[] err = runFailsAtStart(Map.of("schema.registry.auto.register", "false"));
        assertEquals(1, err.length, String.join("\n", err));
        assertTrue(err[0].startsWith("error: Schema registry " + url(proxy.basicAuthPort) + " has no schema "
                + "org.brandequity.avro.CustomerExperienceScore under subject customer-experience-scores-value"), err[0]);
    }

    @Test
    void aBearerTokenIsReadFromItsFile() throws Exception {
        Path file = Files.writeString(dir.resolve("registry-token"), TOKEN + "\n");
        Map<String, String> bearer = Map.of("schema.registry.url", url(proxy.bearerPort), "schema.registry.auth.basic.user", "",
                "schema.registry.auth.basic.password", "", "schema.registry.auth.bearer.token.file", file.toString());
        try (HttpSchemaRegistryClient client = SchemaRegistries.fromConfig(config(bearer))) {
            assertTrue(client.register("bearer-file-value", CustomerProfile.getClassSchema()) >= 0);
        }
    }
}
