package org.brandequity.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.common.config.types.Password;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.brandequity.command.Cli;
import org.brandequity.cli.Main;
import org.brandequity.http.security.Tls;
import org.brandequity.avro.CustomerInteraction;
import org.brandequity.config.PipelineConfig;
import org.brandequity.wire.ConfluentAvroSerde;
import org.brandequity.wire.InMemorySchemaRegistry;
import org.brandequity.wire.TestTls;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * TLS ({@code ingest.tls.keystore.*}), bearer tokens and the basic auth of {@code /metrics}
 * ({@code ingest.metrics.auth.basic.*}) of the ingestion service, configured through its keys,
 * over real HTTP(S) with the JDK's client, on a {@link MockProducer} that acknowledges at once.
 * The query API's counterpart: {@code app.ApiSecurityTest}.
 */
class IngestSecurityTest {
    private static final String TOKEN = "ingest-token-5d4c3b";
    private static final String KEYSTORE_PASSWORD = "keystore-pw";
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    static Path dir;
    private static Path keystore;
    /** Trusts exactly the service's self-signed certificate. */
    private static HttpClient trusting;

    private final MockProducer<String, byte[]> producer = new MockProducer<>(true, null, new StringSerializer(), new ByteArraySerializer());
    private final PrometheusMeterRegistry meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private IngestServer server;

    @BeforeAll
    static void certificate() throws Exception {
        keystore = TestTls.keystore(dir, "ingest", KEYSTORE_PASSWORD);
        SSLContext trust = Tls.trusting(new PipelineConfig.Store(keystore.toString(), new Password(KEYSTORE_PASSWORD), "PKCS12"), "test");
        trusting = HttpClient.newBuilder().sslContext(trust).build();
    }

    @AfterEach
    void stop() {
        if (server != null) server.close();
        meters.close();
    }

    /** The service on a free loopback port, configured by its keys {@code settings}. */
    private String serve(Map<String, String> settings) {
        Map<String, String> all = new HashMap<>(Map.of("ingest.host", "127.0.0.1", "ingest.port", "0"));
        all.putAll(settings);
        server = new IngestServer(IngestConfig.fromMap(all), List.of(new IngestServer.Route<>(IngestMetrics.INTERACTIONS,
                "customer-interactions", ContractCodec.interactions(Duration.ofHours(1)),
                new ConfluentAvroSerde<>(new InMemorySchemaRegistry(), CustomerInteraction.class, false).serializer())),
                producer, meters, System::currentTimeMillis);
        return server.baseUrl();
    }

    private static Map<String, String> withTls(Map<String, String> more) {
        Map<String, String> s = new HashMap<>(Map.of("ingest.tls.keystore.location", keystore.toString(),
                "ingest.tls.keystore.password", KEYSTORE_PASSWORD));
        s.putAll(more);
        return s;
    }

    private static Map<String, String> withScrapeAuth() {
        return Map.of("ingest.metrics.auth.basic.user", "prometheus", "ingest.metrics.auth.basic.password", "scrape-pw");
    }

    private static HttpResponse<String> post(HttpClient client, String url, String... headers) throws Exception {
        HttpRequest.Builder r = HttpRequest.newBuilder(URI.create(url + IngestMetrics.INTERACTIONS)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(IngestServerTest.interaction("e-" + System.nanoTime(), "c1")));
        if (headers.length > 0) r.headers(headers);
        return client.send(r.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> get(HttpClient client, String url, String... headers) throws Exception {
        HttpRequest.Builder r = HttpRequest.newBuilder(URI.create(url));
        if (headers.length > 0) r.headers(headers);
        return client.send(r.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void withAKeystoreAClientTrustingTheCertificateIsAnswered202OverHttps() throws Exception {
        String base = serve(withTls(Map.of()));

        assertTrue(base.startsWith("https://127.0.0.1:"), base);
        HttpResponse<String> r = post(trusting, base);
        assertEquals(202, r.statusCode(), r.body());
        assertEquals(1, producer.history().size());
    }

    @Test
    void withAKeystorePlainHttpOnTheSamePortIsRefused() throws Exception {
        String base = serve(withTls(Map.of()));

        assertThrows(IOException.class, () -> post(HTTP, base.replace("https://", "http://")), "no plain http beside https");
        assertEquals(List.of(), producer.history());
    }

    @Test
    void withAKeystoreAClientThatDoesNotTrustTheCertificateIsRefused() throws Exception {
        String base = serve(withTls(Map.of()));

        assertThrows(SSLHandshakeException.class, () -> post(HTTP, base), "the JVM's CAs do not sign a self-signed certificate");
    }

    @Test
    void underTlsTheV1RoutesStillRequireABearerToken() throws Exception {
        String base = serve(withTls(Map.of("ingest.auth.tokens", TOKEN)));

        assertEquals(401, post(trusting, base).statusCode());
        assertEquals(403, post(trusting, base, "Authorization", "Bearer not-" + TOKEN).statusCode());
        assertEquals(202, post(trusting, base, "Authorization", "Bearer " + TOKEN).statusCode());
    }

    @Test
    void withBasicAuthMetricsWithoutCredentialsIs401WithABasicChallenge() throws Exception {
        String base = serve(withScrapeAuth());
        meters.counter("scrape_marker").increment();

        HttpResponse<String> r = get(HTTP, base + IngestMetrics.METRICS);
        assertEquals(401, r.statusCode());
        assertTrue(r.headers().firstValue("WWW-Authenticate").orElse("").startsWith("Basic realm=\"metrics\""), r.headers().map().toString());
        assertFalse(r.body().contains("scrape_marker"), "no metric in a refusal: " + r.body());
    }

    @Test
    void withBasicAuthMetricsWithAWrongPasswordOrUserIs401() throws Exception {
        String base = serve(withScrapeAuth());

        assertEquals(401, get(HTTP, base + IngestMetrics.METRICS, "Authorization", basic("prometheus", "wrong")).statusCode());
        assertEquals(401, get(HTTP, base + IngestMetrics.METRICS, "Authorization", basic("other", "scrape-pw")).statusCode());
        assertEquals(401, get(HTTP, base + IngestMetrics.METRICS, "Authorization", "Basic not-base64!").statusCode());
    }

    @Test
    void withBasicAuthMetricsWithTheRightCredentialsIs200() throws Exception {
        String base = serve(withScrapeAuth());
        meters.counter("scrape_marker").increment();

        HttpResponse<String> r = get(HTTP, base + IngestMetrics.METRICS, "Authorization", basic("prometheus", "scrape-pw"));
        assertEquals(200, r.statusCode(), r.body());
        assertTrue(r.body().contains("scrape_marker_total 1.0"), r.body());
    }

    @Test
    void withoutBasicAuthMetricsStayOpen() throws Exception {
        String base = serve(Map.of("ingest.auth.tokens", TOKEN));

        assertEquals(200, get(HTTP, base + IngestMetrics.METRICS).statusCode());
    }

    @Test
    void healthStaysOpenWithTokensBasicAuthAndTlsAllOn() throws Exception {
        Map<String, String> everything = new HashMap<>(withTls(withScrapeAuth()));
        everything.put("ingest.auth.tokens", TOKEN);
        String base = serve(everything);

        HttpResponse<String> r = get(trusting, base + IngestMetrics.HEALTH);
        assertEquals(200, r.statusCode(), r.body());
        assertEquals(401, get(trusting, base + IngestMetrics.METRICS).statusCode(), "while /metrics is closed");
    }

    @Test
    void aWrongKeystorePasswordStopsIngestWithOneLineNamingTheKeyAndTheFile() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        // No broker at all: the keystore is read before Kafka is asked anything.
        int exit = Main.commandLine("brand-equity.jar", new Cli(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), Map.of())).execute("ingest",
                "--set", "bootstrap.servers=127.0.0.1:1", "--set", "ingest.host=127.0.0.1", "--set", "ingest.port=0",
                "--set", "ingest.tls.keystore.location=" + keystore, "--set", "ingest.tls.keystore.password=not-the-pw");

        assertEquals(2, exit);
        String error = err.toString(StandardCharsets.UTF_8);
        assertEquals(1, error.lines().count(), error);
        assertTrue(error.startsWith("error: Invalid config: cannot read PKCS12 store " + keystore + " (ingest.tls.keystore.location)"), error);
        assertFalse(error.contains("not-the-pw"), error);
    }
}
