package org.brandequity.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.common.errors.NetworkException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.brandequity.http.security.BearerTokens;
import org.brandequity.avro.CustomerInteraction;
import org.brandequity.avro.CustomerProfile;
import org.brandequity.wire.ConfluentAvroSerde;
import org.brandequity.wire.InMemorySchemaRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The HTTP contract of {@link IngestServer} with the JDK's HTTP client against the real server, on a
 * {@link MockProducer} whose acknowledgements the test gives or withholds. The same paths on a real
 * broker and registry: {@link IngestIntegrationTest}.
 */
class IngestServerTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String TOPIC = "customer-interactions";
    private final HttpClient http = HttpClient.newHttpClient();
    private final MockProducer<String, byte[]> producer = new MockProducer<>(false, null, new StringSerializer(), new ByteArraySerializer());
    private final PrometheusMeterRegistry meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private IngestServer server;

    @AfterEach
    void stop() {
        if (server != null) server.close();
    }

    private IngestServer start(int maxBodyBytes, int maxItems, Duration timeout, BearerTokens tokens) {
        InMemorySchemaRegistry registry = new InMemorySchemaRegistry();
        server = new IngestServer(new IngestConfig("127.0.0.1", 0, maxBodyBytes, maxItems, timeout, tokens), List.of(
                new IngestServer.Route<>(IngestMetrics.INTERACTIONS, TOPIC, ContractCodec.interactions(Duration.ofHours(1)),
                        new ConfluentAvroSerde<>(registry, CustomerInteraction.class, false).serializer()),
                new IngestServer.Route<>(IngestMetrics.PROFILES, "customer-profiles", ContractCodec.profiles(),
                        new ConfluentAvroSerde<>(registry, CustomerProfile.class, false).serializer())),
                producer, meters, System::currentTimeMillis);
        return server;
    }

    private IngestServer start() {
        return start(1 << 20, 100, Duration.ofSeconds(10), BearerTokens.off());
    }

    static String interaction(String eventId, String customer) {
        return "{\"eventId\":\"" + eventId + "\",\"customerId\":\"" + customer + "\",\"eventTime\":\""
                + Instant.now().minusSeconds(60) + "\",\"touchpoint\":\"DELIVERY\",\"stage\":\"PURCHASE\",\"rating\":4}";
    }

    private HttpRequest.Builder post(String body, String contentType) {
        return HttpRequest.newBuilder(URI.create(server.baseUrl() + IngestMetrics.INTERACTIONS))
                .header("Content-Type", contentType).POST(HttpRequest.BodyPublishers.ofString(body));
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode json(HttpResponse<String> response) throws Exception {
        return JSON.readTree(response.body());
    }

    /** Acknowledges every record the producer holds, as they arrive, until {@code done} completes. */
    private void acknowledgeUntil(CompletableFuture<?> done) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!done.isDone() && System.nanoTime() < deadline) {
            while (producer.completeNext()) { } // every pending send acknowledged
            Thread.sleep(10);
        }
    }

    @Test
    void theAnswerWaitsUntilKafkaAcknowledgedEveryRecord() throws Exception {
        start();
        CompletableFuture<HttpResponse<String>> answer = http.sendAsync(
                post("[" + interaction("e1", "c1") + "," + interaction("e2", "c2") + "]", "application/json").build(),
                HttpResponse.BodyHandlers.ofString());
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (producer.history().size() < 2 && System.nanoTime() < deadline) Thread.sleep(10);
        assertEquals(2, producer.history().size(), "both records sent");
        assertTrue(producer.completeNext(), "the first record acknowledged");
        Thread.sleep(300);
        assertFalse(answer.isDone(), "no answer while a record waits for its acknowledgement");
        assertTrue(producer.completeNext());
        HttpResponse<String> response = answer.get(5, TimeUnit.SECONDS);
        assertEquals(202, response.statusCode(), response.body());
        assertEquals(2, json(response).get("accepted").asInt());
    }

    @Test
    void closingAnswersTheRequestInFlightAndRefusesNewConnections() throws Exception {
        start();
        CompletableFuture<HttpResponse<String>> answer = http.sendAsync(
                post(interaction("e1", "c1"), "application/json").build(), HttpResponse.BodyHandlers.ofString());
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (producer.history().isEmpty() && System.nanoTime() < deadline) Thread.sleep(10);
        String base = server.baseUrl();
        CompletableFuture<Void> closed = CompletableFuture.runAsync(server::close);
        Thread.sleep(500);
        assertFalse(closed.isDone(), "close waits for the request in flight");
        assertTrue(producer.completeNext());
        assertEquals(202, answer.get(5, TimeUnit.SECONDS).statusCode());
        closed.get(10, TimeUnit.SECONDS);
        server = null;
        assertTrue(org.junit.jupiter.api.Assertions.assertThrows(java.util.concurrent.ExecutionException.class,
                () -> HttpClient.newHttpClient().sendAsync(HttpRequest.newBuilder(URI.create(base + "/health")).GET().build(),
                        HttpResponse.BodyHandlers.ofString()).get(5, TimeUnit.SECONDS)).getCause() instanceof java.io.IOException);
    }

    @Test
    void recordsAreKeyedByCustomerOnTheRoutesTopic() throws Exception {
        start();
        CompletableFuture<HttpResponse<String>> answer = http.sendAsync(
                post(interaction("e1", "c7"), "application/json").build(), HttpResponse.BodyHandlers.ofString());
        acknowledgeUntil(answer);
        assertEquals(202, answer.get().statusCode());
        assertEquals(TOPIC, producer.history().get(0).topic());
        assertEquals("c7", producer.history().get(0).key());
    }

    @Test
    void noAcknowledgementWithinTheRequestTimeoutIs503WithRetryAfter() throws Exception {
        start(1 << 20, 100, Duration.ofMillis(800), BearerTokens.off());
        long started = System.nanoTime();
        HttpResponse<String> response = send(post(interaction("e1", "c1"), "application/json"));
        long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
        assertEquals(503, response.statusCode(), response.body());
        assertEquals("1", response.headers().firstValue("Retry-After").orElse(null));
        assertTrue(tookMs >= 800 && tookMs < 3_000, "answered at the timeout, took " + tookMs + " ms");
    }

    @Test
    void aRetriableSendErrorIs503WithRetryAfter() throws Exception {
        start();
        CompletableFuture<HttpResponse<String>> answer = http.sendAsync(
                post(interaction("e1", "c1"), "application/json").build(), HttpResponse.BodyHandlers.ofString());
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (!producer.errorNext(new NetworkException("broker gone")) && System.nanoTime() < deadline) Thread.sleep(10);
        HttpResponse<String> response = answer.get(5, TimeUnit.SECONDS);
        assertEquals(503, response.statusCode(), response.body());
        assertTrue(response.headers().firstValue("Retry-After").isPresent());
    }

    @Test
    void anUnreachableRegistryIs503WithRetryAfterAndNothingIsSent() throws Exception {
        // A registry that does not answer: every call fails as the HTTP client's does then.
        org.brandequity.wire.SchemaRegistryClient down = new org.brandequity.wire.SchemaRegistryClient() {
            @Override
            public int register(String subject, org.apache.avro.Schema schema) {
                throw unreachable(subject);
            }

            @Override
            public org.apache.avro.Schema schemaById(int id) {
                throw unreachable(null);
            }

            private org.brandequity.wire.SchemaRegistryException unreachable(String subject) {
                return new org.brandequity.wire.SchemaRegistryException("Schema registry http://registry:8081 unreachable",
                        "http://registry:8081", subject, -1, -1, new java.net.ConnectException("Connection refused"));
            }
        };
        server = new IngestServer(new IngestConfig("127.0.0.1", 0, 1 << 20, 100, Duration.ofSeconds(10), BearerTokens.off()), List.of(
                new IngestServer.Route<>(IngestMetrics.INTERACTIONS, TOPIC, ContractCodec.interactions(Duration.ofHours(1)),
                        new ConfluentAvroSerde<>(down, CustomerInteraction.class, false).serializer())),
                producer, meters, System::currentTimeMillis);
        HttpResponse<String> response = send(post(interaction("e1", "c1") + "\n" + interaction("e2", "c2"), "application/x-ndjson"));
        assertEquals(503, response.statusCode(), response.body());
        assertTrue(response.headers().firstValue("Retry-After").isPresent());
        assertEquals(List.of(), producer.history(), "nothing of the request reached the producer");
    }

    @Test
    void aBodyLargerThanTheLimitIs413BeforeAnythingIsSent() throws Exception {
        start(200, 100, Duration.ofSeconds(10), BearerTokens.off());
        HttpResponse<String> response = send(post("[" + interaction("e1", "c1") + "," + interaction("e2", "c1") + "]", "application/json"));
        assertEquals(413, response.statusCode(), response.body());
        assertTrue(json(response).get("error").asText().contains("ingest.max.body.bytes"), response.body());
        assertEquals(List.of(), producer.history());
    }

    @Test
    void aChunkedBodyWithoutContentLengthIsCutAtTheLimitWith413() throws Exception {
        start(200, 100, Duration.ofSeconds(10), BearerTokens.off());
        byte[] body = ("[" + interaction("e1", "c1") + "," + interaction("e2", "c1") + "]").getBytes(StandardCharsets.UTF_8);
        HttpResponse<String> response = send(HttpRequest.newBuilder(URI.create(server.baseUrl() + IngestMetrics.INTERACTIONS))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body)))); // unknown length: chunked
        assertEquals(413, response.statusCode(), response.body());
        assertEquals(List.of(), producer.history());
    }

    @Test
    void moreItemsThanTheLimitIs413AndNothingIsSent() throws Exception {
        start(1 << 20, 2, Duration.ofSeconds(10), BearerTokens.off());
        String ndjson = interaction("e1", "c1") + "\n" + interaction("e2", "c1") + "\n" + interaction("e3", "c1") + "\n";
        HttpResponse<String> response = send(post(ndjson, "application/x-ndjson"));
        assertEquals(413, response.statusCode(), response.body());
        assertTrue(json(response).get("error").asText().contains("ingest.max.items"), response.body());
        assertEquals(List.of(), producer.history());
    }

    @Test
    void aContentTypeOtherThanJsonOrNdjsonIs415() throws Exception {
        start();
        HttpResponse<String> response = send(post(interaction("e1", "c1"), "text/csv"));
        assertEquals(415, response.statusCode(), response.body());
        assertEquals(List.of(), producer.history());
    }

    @Test
    void oneInvalidItemRefusesTheWholeRequestListingEveryProblemWithItsIndex() throws Exception {
        start();
        String bad = interaction("e2", "c2").replace("\"rating\":4", "\"rating\":9").replace("DELIVERY", "TELEPATHY");
        HttpResponse<String> response = send(post("[" + interaction("e1", "c1") + "," + bad + "]", "application/json"));
        assertEquals(400, response.statusCode(), response.body());
        JsonNode problems = json(response).get("problems");
        assertEquals(1, problems.size(), response.body() + ": decoding stops before validation, which needs a whole record");
        assertEquals(1, problems.get(0).get("item").asInt());
        assertEquals("touchpoint", problems.get(0).get("field").asText());
        assertEquals("UNKNOWN_SYMBOL", problems.get(0).get("code").asText());
        assertEquals(List.of(), producer.history(), "nothing of a refused request is sent");
    }

    @Test
    void withTokensARequestWithoutOneIs401WithWwwAuthenticateBearer() throws Exception {
        start(1 << 20, 100, Duration.ofSeconds(10), BearerTokens.of(List.of("s3cret"), "test"));
        HttpResponse<String> response = send(post(interaction("e1", "c1"), "application/json"));
        assertEquals(401, response.statusCode(), response.body());
        assertTrue(response.headers().firstValue("WWW-Authenticate").orElse("").startsWith("Bearer"));
        assertEquals(List.of(), producer.history());
    }

    @Test
    void withTokensAWrongTokenIs403() throws Exception {
        start(1 << 20, 100, Duration.ofSeconds(10), BearerTokens.of(List.of("s3cret"), "test"));
        HttpResponse<String> response = send(post(interaction("e1", "c1"), "application/json").header("Authorization", "Bearer s3creT"));
        assertEquals(403, response.statusCode(), response.body());
        assertEquals(List.of(), producer.history());
    }

    @Test
    void withTokensAnAcceptedTokenIsLetThrough() throws Exception {
        start(1 << 20, 100, Duration.ofSeconds(10), BearerTokens.of(List.of("one", "s3cret"), "test"));
        CompletableFuture<HttpResponse<String>> answer = http.sendAsync(
                post(interaction("e1", "c1"), "application/json").header("Authorization", "Bearer s3cret").build(),
                HttpResponse.BodyHandlers.ofString());
        acknowledgeUntil(answer);
        assertEquals(202, answer.get().statusCode());
    }

    @Test
    void healthAndMetricsNeedNoToken() throws Exception {
        start(1 << 20, 100, Duration.ofSeconds(10), BearerTokens.of(List.of("s3cret"), "test"));
        assertEquals(200, send(HttpRequest.newBuilder(URI.create(server.baseUrl() + "/health")).GET()).statusCode());
        assertEquals(200, send(HttpRequest.newBuilder(URI.create(server.baseUrl() + "/metrics")).GET()).statusCode());
    }

    @Test
    void metricsCountRequestsByRouteAndStatusAndProblemsByCode() throws Exception {
        start();
        send(post("{\"eventId\":", "application/json"));
        send(post(interaction("e1", "c1").replace("DELIVERY", "TELEPATHY"), "application/json"));
        send(HttpRequest.newBuilder(URI.create(server.baseUrl() + "/no/such/path")).GET());
        String text = send(HttpRequest.newBuilder(URI.create(server.baseUrl() + "/metrics")).GET()).body();
        assertTrue(text.contains("brandequity_ingest_request_duration_seconds_count{route=\"/v1/interactions\",status=\"400\"} 2\n"), text);
        assertTrue(text.contains("brandequity_ingest_request_duration_seconds_bucket{route=\"/v1/interactions\",status=\"400\",le="), text);
        assertTrue(text.contains("brandequity_ingest_request_duration_seconds_count{route=\"other\",status=\"404\"} 1\n"), text);
        assertTrue(text.contains("brandequity_ingest_problems_total{code=\"MALFORMED_JSON\",route=\"/v1/interactions\"} 1.0"), text);
        assertTrue(text.contains("brandequity_ingest_problems_total{code=\"UNKNOWN_SYMBOL\",route=\"/v1/interactions\"} 1.0"), text);
    }

    @Test
    void recordsSentAreCountedByTopicOnceAcknowledged() throws Exception {
        start();
        CompletableFuture<HttpResponse<String>> answer = http.sendAsync(
                post(interaction("e1", "c1") + "\n" + interaction("e2", "c2"), "application/x-ndjson").build(),
                HttpResponse.BodyHandlers.ofString());
        acknowledgeUntil(answer);
        assertEquals(202, answer.get().statusCode());
        String text = send(HttpRequest.newBuilder(URI.create(server.baseUrl() + "/metrics")).GET()).body();
        assertTrue(text.contains("brandequity_ingest_records_sent_total{topic=\"customer-interactions\"} 2.0"), text);
    }
}
