package org.brandequity.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.brandequity.http.security.BearerTokens;
import org.brandequity.command.Cli;
import org.brandequity.cli.Main;
import org.brandequity.config.IngestKeys;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IngestConfigTest {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int execute(Map<String, String> env, String... args) {
        Cli cli = new Cli(new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8), env);
        return Main.commandLine("brand-equity.jar", cli).execute(args);
    }

    @Test
    void theDefaultsServePort8090WithoutAuthentication() {
        IngestConfig c = IngestConfig.fromMap(Map.of());
        assertEquals(8090, c.port());
        assertEquals(Duration.ofSeconds(10), c.requestTimeout());
        assertFalse(c.tokens().enabled());
        assertEquals(BearerTokens.Verdict.ALLOWED, c.tokens().check(null));
    }

    @Test
    void tokensFromTheKeyAndFromTheFileAreBothAccepted(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("tokens"), "# ingestion clients\nfrom-file\n\n");
        IngestConfig c = IngestConfig.fromMap(Map.of(IngestKeys.AUTH_TOKENS_CONFIG, "a, b", IngestKeys.AUTH_TOKENS_FILE_CONFIG, file.toString()));
        assertEquals(3, c.tokens().count());
        for (String t : new String[] {"a", "b", "from-file"}) assertEquals(BearerTokens.Verdict.ALLOWED, c.tokens().check("Bearer " + t));
        assertEquals(BearerTokens.Verdict.WRONG, c.tokens().check("Bearer # ingestion clients"));
        assertEquals("ingest.auth.tokens and ingest.auth.tokens.file (" + file + ")", c.tokens().source());
        assertFalse(c.tokens().toString().contains("from-file"), c.tokens().toString());
    }

    @Test
    void aTokenFileWithoutATokenIsAConfigError(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("tokens"), "# none yet\n");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> IngestConfig.fromMap(Map.of(IngestKeys.AUTH_TOKENS_FILE_CONFIG, file.toString())));
        assertTrue(e.getMessage().contains("ingest.auth.tokens.file"), e.getMessage());
    }

    @Test
    void anAuthorizationHeaderOfAnotherSchemeIsAMissingToken() {
        BearerTokens tokens = BearerTokens.of(java.util.List.of("s3cret"), "test");
        assertEquals(BearerTokens.Verdict.MISSING, tokens.check("Basic czNjcmV0"));
        assertEquals(BearerTokens.Verdict.MISSING, tokens.check("Bearer "));
        assertEquals(BearerTokens.Verdict.ALLOWED, tokens.check("bearer s3cret"));
    }

    @Test
    void configEffectiveForIngestMasksTheTokensFromTheEnvironment() {
        assertEquals(0, execute(Map.of("BRANDEQUITY_INGEST_AUTH_TOKENS", "secret-1,secret-2"), "config", "--for", "ingest", "--effective",
                "--set", "ingest.port=9000"));
        String text = out.toString(StandardCharsets.UTF_8);
        assertTrue(text.contains("ingest.auth.tokens=[hidden]\n"), text);
        assertTrue(text.contains("ingest.port=9000\n"), text);
        assertTrue(text.contains("bootstrap.servers=localhost:9092\n"), "the pipeline's keys too: " + text);
        assertFalse(text.contains("secret-"), text);
    }

    @Test
    void aMetricsPasswordWithoutAUserIsAConfigErrorThatNamesBothKeysButNotThePassword() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> IngestConfig.fromMap(Map.of(IngestKeys.METRICS_BASIC_PASSWORD_CONFIG, "scrape-secret")));
        assertEquals("Invalid config: ingest.metrics.auth.basic.user and ingest.metrics.auth.basic.password are set together or not at all",
                e.getMessage());
    }

    @Test
    void aMetricsUserWithoutAPasswordIsAConfigError() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> IngestConfig.fromMap(Map.of(IngestKeys.METRICS_BASIC_USER_CONFIG, "prometheus")));
        assertTrue(e.getMessage().contains(IngestKeys.METRICS_BASIC_PASSWORD_CONFIG), e.getMessage());
    }

    @Test
    void aKeystoreThatIsNoFileIsAConfigErrorNamingTheKey(@TempDir Path dir) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> IngestConfig.fromMap(Map.of(IngestKeys.TLS_KEYSTORE_LOCATION_CONFIG, dir.resolve("missing.p12").toString())));
        assertTrue(e.getMessage().contains(IngestKeys.TLS_KEYSTORE_LOCATION_CONFIG) && e.getMessage().contains("no readable file"), e.getMessage());
    }

    @Test
    void withoutAKeystoreTheServiceIsPlainHttpAndItsKeystoreTypeDefaultsToPkcs12() {
        IngestConfig c = IngestConfig.fromMap(Map.of());
        assertFalse(c.tls());
        assertEquals("http", c.scheme());
        assertEquals("PKCS12", c.keystore().type());
        assertFalse(c.metricsAuthenticated());
    }

    @Test
    void anIngestKeyIsUnknownToRun() {
        assertEquals(2, execute(Map.of(), "run", "--set", "ingest.port=9000"));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("unknown config key 'ingest.port'"), err.toString(StandardCharsets.UTF_8));
    }
}
