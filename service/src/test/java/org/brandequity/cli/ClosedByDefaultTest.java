package org.brandequity.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.apache.kafka.streams.KafkaStreams;
import org.brandequity.command.Cli;
import org.brandequity.config.PipelineConfig;
import org.brandequity.metrics.MetricsServer;
import org.brandequity.query.QueryApi;
import org.brandequity.runtime.UnstartedStreams;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Nothing is reachable from other machines without credentials unless asked for, and a port in use
 * is named: {@code run} and {@code ingest} refuse both with exit 2 and one line naming the key to
 * set, before they touch Kafka (none runs here: the default bootstrap servers answer nowhere). The
 * anonymous keys let the query API and the metrics endpoint serve on every interface.
 */
@Timeout(60)
class ClosedByDefaultTest {
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private KafkaStreams streams;

    private record Output(int exit, String out, String err) {}

    private static Output main(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = Main.commandLine("brand-equity.jar", new Cli(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), Map.of())).execute(args);
        return new Output(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /** Exit 2 and exactly {@code line} on stderr, nothing else. */
    private static void assertRefused(String line, Output o) {
        assertEquals(2, o.exit(), o.err() + o.out());
        assertEquals(line + "\n", o.err().replace("\r\n", "\n"));
    }

    @BeforeEach
    void streams() {
        streams = UnstartedStreams.of("closed-by-default-test");
    }

    @AfterEach
    void close() {
        streams.close();
    }

    @Test
    void runOnEveryInterfaceWithoutQueryApiTokensExits2WithOneLineNamingTheKey() {
        Output o = main("run", "--set", "api.host=0.0.0.0", "--set", "api.port=0", "--set", "metrics.port=0");

        assertRefused("error: api.host=0.0.0.0 without api.auth.tokens: set api.auth.tokens (or api.auth.tokens.file),"
                + " or api.auth.anonymous=true to serve without credentials on purpose", o);
    }

    @Test
    void runWithMetricsOnEveryInterfaceWithoutBasicAuthExits2WithOneLineNamingTheKey() {
        Output o = main("run", "--set", "metrics.host=0.0.0.0", "--set", "metrics.port=0", "--set", "api.port=0");

        assertRefused("error: metrics.host=0.0.0.0 without metrics.auth.basic.user: set metrics.auth.basic.user and"
                + " metrics.auth.basic.password, or metrics.auth.anonymous=true to serve without credentials on purpose", o);
    }

    @Test
    void ingestOnEveryInterfaceWithoutTokensExits2WithOneLineNamingTheKey() {
        Output o = main("ingest", "--set", "ingest.host=0.0.0.0", "--set", "ingest.port=0");

        assertRefused("error: ingest.host=0.0.0.0 without ingest.auth.tokens: set ingest.auth.tokens (or ingest.auth.tokens.file),"
                + " or ingest.auth.anonymous=true to serve without credentials on purpose", o);
    }

    @Test
    void ingestOnEveryInterfaceWithTokensButAnOpenMetricsEndpointExits2WithOneLineNamingTheKey() {
        Output o = main("ingest", "--set", "ingest.host=0.0.0.0", "--set", "ingest.port=0", "--set", "ingest.auth.tokens=tok-3e5a");

        assertRefused("error: ingest.host=0.0.0.0 without ingest.metrics.auth.basic.user: set ingest.metrics.auth.basic.user and"
                + " ingest.metrics.auth.basic.password, or ingest.auth.anonymous=true to serve without credentials on purpose", o);
    }

    @Test
    void theQueryApiServesOnEveryInterfaceWithoutTokensWhenApiAuthAnonymousIsSet() throws Exception {
        PipelineConfig config = PipelineConfig.defaults().with(Map.of("api.host", "0.0.0.0", "api.port", "0", "api.auth.anonymous", "true"));
        try (QueryApi api = QueryApi.bind(config.api(), config.http())) {
            api.start(streams, config.with(Map.of("api.port", Integer.toString(api.port()))));

            HttpResponse<String> r = get("http://127.0.0.1:" + api.port() + "/health");
            assertEquals("{\"state\":\"CREATED\"}", r.body());
        }
    }

    @Test
    void theMetricsEndpointServesOnEveryInterfaceWithoutBasicAuthWhenMetricsAuthAnonymousIsSet() throws Exception {
        PipelineConfig config = PipelineConfig.defaults().with(Map.of("metrics.host", "0.0.0.0", "metrics.port", "0",
                "metrics.auth.anonymous", "true"));
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        try (MetricsServer metrics = new MetricsServer(config.metrics(), config.http(), streams, registry, null)) {
            assertEquals(200, get("http://127.0.0.1:" + metrics.port() + "/metrics").statusCode());
        } finally {
            registry.close();
        }
    }

    @Test
    void runExits2NamingMetricsPortWhenThatPortIsInUse() throws Exception {
        try (ServerSocket taken = taken()) {
            Output o = main("run", "--set", "metrics.port=" + taken.getLocalPort(), "--set", "api.port=0");

            assertRefused("error: metrics.port " + taken.getLocalPort() + " is already in use on 127.0.0.1: set metrics.port"
                    + " to a free port (0 picks one)", o);
        }
    }

    @Test
    void runExits2NamingApiPortWhenThatPortIsInUse() throws Exception {
        try (ServerSocket taken = taken()) {
            Output o = main("run", "--set", "api.port=" + taken.getLocalPort(), "--set", "metrics.port=0");

            assertRefused("error: api.port " + taken.getLocalPort() + " is already in use on 127.0.0.1: set api.port"
                    + " to a free port (0 picks one)", o);
        }
    }

    @Test
    void ingestExits2NamingIngestPortWhenThatPortIsInUse() throws Exception {
        try (ServerSocket taken = taken()) {
            Output o = main("ingest", "--set", "ingest.port=" + taken.getLocalPort());

            assertRefused("error: ingest.port " + taken.getLocalPort() + " is already in use on 127.0.0.1: set ingest.port"
                    + " to a free port (0 picks one)", o);
        }
    }

    @Test
    void aPortTakenWhenTheServerBindsIsStillOneLineNamingTheKey() throws Exception {
        try (ServerSocket taken = taken()) {
            PipelineConfig config = PipelineConfig.defaults().with(Map.of("api.port", Integer.toString(taken.getLocalPort())));

            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> QueryApi.bind(config.api(), config.http()));
            assertEquals("api.port " + taken.getLocalPort() + " is already in use on 127.0.0.1: set api.port to a free port (0 picks one)",
                    e.getMessage());
        }
    }

    /** A port on 127.0.0.1 that something else listens on. */
    private static ServerSocket taken() throws Exception {
        ServerSocket s = new ServerSocket();
        s.bind(new InetSocketAddress("127.0.0.1", 0));
        return s;
    }

    private static HttpResponse<String> get(String url) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
