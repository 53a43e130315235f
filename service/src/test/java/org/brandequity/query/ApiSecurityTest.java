package org.brandequity.query;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import javax.net.ssl.SSLContext;
import org.apache.kafka.streams.KafkaStreams;
import org.brandequity.cli.Main;
import org.brandequity.command.Cli;
import org.brandequity.config.PipelineConfig;
import org.brandequity.http.security.Tls;
import org.brandequity.metrics.MetricsServer;
import org.brandequity.runtime.UnstartedStreams;
import org.brandequity.wire.TestTls;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Authentication and TLS of the query API and the metrics endpoint, over real HTTP with the JDK's
 * client, with a Kafka Streams client that is built but never started (no broker needed): a
 * request that gets past authentication is answered 503 (stores not queryable yet), one that does
 * not is answered 401 or 403.
 */
class ApiSecurityTest {
    private static final String TOKEN_A = "token-a-1f2e3d";
    private static final String TOKEN_B = "token-b-9c8b7a";
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    Path dir;
    private KafkaStreams streams;
    private QueryApi api;

    @BeforeEach
    void streams() {
        streams = UnstartedStreams.of("api-security-test");
    }

    @AfterEach
    void close() {
        if (api != null) api.close();
        streams.close();
    }

    /** The query API on a free loopback port with {@code settings}, serving. */
    private String serve(Map<String, String> settings) {
        Map<String, String> all = new HashMap<>(Map.of("api.host", "127.0.0.1", "api.port", "0"));
        all.putAll(settings);
        PipelineConfig config = PipelineConfig.defaults().with(all);
        api = QueryApi.bind(config.api());
        config = config.with(Map.of("api.port", Integer.toString(api.port())));
        api.start(streams, config);
        return api.scheme() + "://127.0.0.1:" + api.port();
    }

    private static HttpResponse<String> get(HttpClient client, String url, String... headers) throws Exception {
        HttpRequest.Builder r = HttpRequest.newBuilder(URI.create(url));
        if (headers.length > 0) r.headers(headers);
        return client.send(r.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void withTokensARequestWithoutOneIsRefused401WithABearerChallenge() throws Exception {
        String base = serve(Map.of("api.auth.tokens", TOKEN_A + "," + TOKEN_B));

        HttpResponse<String> r = get(HTTP, base + "/equity");
        assertEquals(401, r.statusCode());
        assertEquals("Bearer realm=\"brand-equity\"", r.headers().firstValue("WWW-Authenticate").orElse(""));
    }

    @Test
    void withTokensAWrongTokenIsRefused403() throws Exception {
        String base = serve(Map.of("api.auth.tokens", TOKEN_A + "," + TOKEN_B));

        assertEquals(403, get(HTTP, base + "/customers/c-1/windows", "Authorization", "Bearer token-a-1f2e3").statusCode());
    }

    @Test
    void withTokensEveryConfiguredTokenIsLetThrough() throws Exception {
        String base = serve(Map.of("api.auth.tokens", TOKEN_A + ", " + TOKEN_B));

        assertEquals(503, get(HTTP, base + "/equity", "Authorization", "Bearer " + TOKEN_A).statusCode(), "past authentication");
        assertEquals(503, get(HTTP, base + "/segments", "Authorization", "Bearer " + TOKEN_B).statusCode(), "past authentication");
    }

    @Test
    void tokensAreReadFromTheTokensFileOneALine() throws Exception {
        Path file = Files.writeString(dir.resolve("tokens"), "# query API tokens\n" + TOKEN_A + "\n\n" + TOKEN_B + "\n");
        String base = serve(Map.of("api.auth.tokens.file", file.toString()));

        assertEquals(401, get(HTTP, base + "/equity").statusCode());
        assertEquals(503, get(HTTP, base + "/equity", "Authorization", "Bearer " + TOKEN_B).statusCode());
    }

    @Test
    void healthStaysOpenWhenTokensAreRequired() throws Exception {
        String base = serve(Map.of("api.auth.tokens", TOKEN_A));

        HttpResponse<String> r = get(HTTP, base + "/health");
        assertEquals(503, r.statusCode(), "answered, without a token: not running yet");
        assertEquals("{\"state\":\"CREATED\"}", r.body());
    }

    @Test
    void withoutTokensTheApiIsOpen() throws Exception {
        String base = serve(Map.of());

        assertEquals(503, get(HTTP, base + "/equity").statusCode());
    }

    @Test
    void withAKeystoreTheApiServesHttpsOnly() throws Exception {
        Path keystore = TestTls.keystore(dir, "api", "keystore-pw");
        String base = serve(Map.of("api.tls.keystore.location", keystore.toString(), "api.tls.keystore.password", "keystore-pw",
                "api.auth.tokens", TOKEN_A));
        assertTrue(base.startsWith("https://"), base);
        SSLContext trusting = Tls.trusting(new PipelineConfig.Store(keystore.toString(),
                new org.apache.kafka.common.config.types.Password("keystore-pw"), "PKCS12"), "test");
        HttpClient https = HttpClient.newBuilder().sslContext(trusting).build();

        assertEquals(503, get(https, base + "/equity", "Authorization", "Bearer " + TOKEN_A).statusCode());
        assertEquals(401, get(https, base + "/equity").statusCode());
        assertThrows(IOException.class, () -> get(HTTP, base.replace("https://", "http://") + "/health"),
                "no plain http beside https");
    }

    @Test
    void withBasicAuthMetricsRequireTheCredentialsAndHealthStaysOpen() throws Exception {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        PipelineConfig.Metrics settings = PipelineConfig.defaults().with(Map.of("metrics.host", "127.0.0.1", "metrics.port", "0",
                "metrics.auth.basic.user", "prometheus", "metrics.auth.basic.password", "scrape-pw")).metrics();
        try (MetricsServer metrics = new MetricsServer(settings, streams, registry, null)) {
            String base = "http://127.0.0.1:" + metrics.port();
            HttpResponse<String> anonymous = get(HTTP, base + "/metrics");
            assertEquals(401, anonymous.statusCode());
            assertTrue(anonymous.headers().firstValue("WWW-Authenticate").orElse("").startsWith("Basic realm=\"metrics\""));
            assertEquals(401, get(HTTP, base + "/metrics", "Authorization", basic("prometheus", "wrong")).statusCode());
            assertEquals(401, get(HTTP, base + "/metrics", "Authorization", basic("other", "scrape-pw")).statusCode());
            HttpResponse<String> scrape = get(HTTP, base + "/metrics", "Authorization", basic("prometheus", "scrape-pw"));
            assertEquals(200, scrape.statusCode());
            assertTrue(scrape.body().contains("jvm_memory_used_bytes"));
            assertEquals(503, get(HTTP, base + "/health").statusCode(), "answered without credentials: not running yet");
        } finally {
            registry.close();
        }
    }

    @Test
    void aWrongKeystorePasswordStopsRunWithOneLineNamingTheKeyAndTheFile() throws Exception {
        Path keystore = TestTls.keystore(dir, "api", "keystore-pw");
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
        int exit = Main.commandLine("brand-equity.jar", new Cli(new java.io.PrintStream(out, true, StandardCharsets.UTF_8),
                new java.io.PrintStream(err, true, StandardCharsets.UTF_8), Map.of())).execute("run",
                "--set", "api.host=127.0.0.1", "--set", "api.port=0", "--set", "metrics.port=0",
                "--set", "api.tls.keystore.location=" + keystore, "--set", "api.tls.keystore.password=not-the-pw");

        assertEquals(2, exit);
        String error = err.toString(StandardCharsets.UTF_8);
        assertEquals(1, error.lines().count(), error);
        assertTrue(error.startsWith("error: Invalid config: cannot read PKCS12 store " + keystore + " (api.tls.keystore.location)"), error);
        assertTrue(!error.contains("not-the-pw"), error);
    }

    private static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }
}
