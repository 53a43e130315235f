package org.brandequity.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.brandequity.avro.CustomerInteraction;
import org.brandequity.avro.CustomerProfile;
import org.brandequity.config.HttpLimits;
import org.brandequity.config.PipelineConfig;
import org.brandequity.http.security.BearerTokens;
import org.brandequity.ingest.ContractCodec;
import org.brandequity.ingest.IngestConfig;
import org.brandequity.ingest.IngestServer;
import org.brandequity.metrics.MetricsServer;
import org.brandequity.query.QueryApi;
import org.brandequity.runtime.UnstartedStreams;
import org.brandequity.wire.ConfluentAvroSerde;
import org.brandequity.wire.InMemorySchemaRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Clients that connect, send one byte and then nothing (slowloris) cannot starve any port: with 64
 * of them on each of the ingestion service, the query API and the metrics endpoint, over real
 * sockets on 127.0.0.1, {@code /health} on every port and a valid ingestion request are each
 * answered within a second. The servers run with their default limits ({@link HttpLimits#DEFAULTS}),
 * the ingestion service on a {@link MockProducer} that acknowledges at once, the query API and the
 * metrics endpoint on a Kafka Streams client that is built but never started (no broker needed).
 */
@Timeout(60)
class SlowClientsTest {
    private static final int SLOW_CLIENTS_PER_PORT = 64;
    private static final Duration WITHIN = Duration.ofSeconds(1);

    private final MockProducer<String, byte[]> producer = new MockProducer<>(true, null, new StringSerializer(), new ByteArraySerializer());
    private final PrometheusMeterRegistry meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final List<Socket> slowClients = new ArrayList<>();
    private KafkaStreams streams;
    private IngestServer ingest;
    private QueryApi api;
    private MetricsServer metrics;

    @BeforeEach
    void startEveryPortAndHoldItWithSlowClients() throws Exception {
        InMemorySchemaRegistry registry = new InMemorySchemaRegistry();
        ingest = new IngestServer(new IngestConfig("127.0.0.1", 0, 1 << 20, 100, Duration.ofSeconds(10), BearerTokens.off()), List.of(
                new IngestServer.Route<>("/v1/interactions", "customer-interactions", ContractCodec.interactions(Duration.ofHours(1)),
                        new ConfluentAvroSerde<>(registry, CustomerInteraction.class, false).serializer()),
                new IngestServer.Route<>("/v1/profiles", "customer-profiles", ContractCodec.profiles(),
                        new ConfluentAvroSerde<>(registry, CustomerProfile.class, false).serializer())),
                producer, meters, System::currentTimeMillis);

        streams = UnstartedStreams.of("slow-clients-test");
        PipelineConfig config = PipelineConfig.defaults().with(Map.of("api.host", "127.0.0.1", "api.port", "0",
                "metrics.host", "127.0.0.1", "metrics.port", "0"));
        api = QueryApi.bind(config.api(), config.http());
        api.start(streams, config.with(Map.of("api.port", Integer.toString(api.port()))));
        metrics = new MetricsServer(config.metrics(), config.http(), streams, meters, null);

        for (int port : new int[] {ingest.port(), api.port(), metrics.port()}) {
            for (int i = 0; i < SLOW_CLIENTS_PER_PORT; i++) {
                Socket s = new Socket("127.0.0.1", port);
                slowClients.add(s);
                OutputStream out = s.getOutputStream();
                out.write('G'); // the first byte of "GET ...", and then nothing
                out.flush();
            }
        }
    }

    @AfterEach
    void stop() throws IOException {
        for (Socket s : slowClients) s.close();
        if (ingest != null) ingest.close();
        if (api != null) api.close();
        if (metrics != null) metrics.close();
        if (streams != null) streams.close();
        meters.close();
    }

    @Test
    void theIngestionServicesHealthIsAnsweredWithinASecondWhileSlowClientsHoldItsPort() throws Exception {
        HttpResponse<String> r = timed("ingestion /health", get(ingest.port(), "/health"));
        assertEquals(200, r.statusCode(), r.body());
        assertSlowClientsStillConnected();
    }

    @Test
    void theQueryApisHealthIsAnsweredWithinASecondWhileSlowClientsHoldItsPort() throws Exception {
        HttpResponse<String> r = timed("query API /health", get(api.port(), "/health"));
        assertEquals(503, r.statusCode(), "answered: the Streams client is built, never started");
        assertEquals("{\"state\":\"CREATED\"}", r.body());
        assertSlowClientsStillConnected();
    }

    @Test
    void theMetricsEndpointsHealthIsAnsweredWithinASecondWhileSlowClientsHoldItsPort() throws Exception {
        HttpResponse<String> r = timed("metrics /health", get(metrics.port(), "/health"));
        assertEquals(503, r.statusCode(), "answered: the Streams client is built, never started");
        assertEquals("CREATED", r.body());
        assertSlowClientsStillConnected();
    }

    @Test
    void aValidIngestionRequestIsAcceptedWithinASecondWhileSlowClientsHoldEveryPort() throws Exception {
        String body = "{\"eventId\":\"e1\",\"customerId\":\"c1\",\"eventTime\":\"" + Instant.now().minusSeconds(60)
                + "\",\"touchpoint\":\"DELIVERY\",\"stage\":\"PURCHASE\",\"rating\":4}";
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + ingest.port() + "/v1/interactions"))
                .header("Content-Type", "application/json").timeout(WITHIN).POST(HttpRequest.BodyPublishers.ofString(body)).build();
        HttpResponse<String> r = timed("ingestion POST /v1/interactions", request);
        assertEquals(202, r.statusCode(), r.body());
        assertEquals(1, producer.history().size(), "the record reached the producer");
        assertSlowClientsStillConnected();
    }

    private static HttpRequest get(int port, String path) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(WITHIN).GET().build();
    }

    /** Sends {@code request} on a new connection and fails unless the answer comes within {@link #WITHIN}. */
    private static HttpResponse<String> timed(String what, HttpRequest request) throws Exception {
        HttpClient client = HttpClient.newBuilder().connectTimeout(WITHIN).build();
        long start = System.nanoTime();
        HttpResponse<String> r = client.send(request, HttpResponse.BodyHandlers.ofString());
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        System.out.printf("%s with %d slow clients on each port: answered in %d ms%n", what, SLOW_CLIENTS_PER_PORT, took.toMillis());
        assertTrue(took.compareTo(WITHIN) < 0, what + " took " + took.toMillis() + " ms");
        return r;
    }

    /** Every slow client's connection is still open: the answers came while they held their ports, not after they were dropped. */
    private void assertSlowClientsStillConnected() throws IOException {
        for (Socket s : slowClients) {
            s.setSoTimeout(1);
            try {
                int read = s.getInputStream().read();
                throw new AssertionError("a slow client's connection was answered or closed (read " + read + ")");
            } catch (SocketTimeoutException expected) {
                // still open, nothing sent to it
            }
        }
    }
}
