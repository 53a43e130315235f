package org.brandequity.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.brandequity.http.security.BearerTokens;
import org.brandequity.runtime.RealCluster;
import org.brandequity.avro.CustomerInteraction;
import org.brandequity.avro.CustomerProfile;
import org.brandequity.avro.Touchpoint;
import org.brandequity.config.PipelineConfig;
import org.brandequity.wire.ConfluentAvroSerde;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The ingestion service with the JDK's HTTP client against the real server, on a real broker and a
 * real schema registry: every body form is accepted and readable from the input topics; every
 * refusal is answered with its status and problems, and nothing of a refused request reaches Kafka
 * (a valid request sent after it is the only thing on the topic). Broker outage:
 * {@link IngestBrokerOutageIntegrationTest}.
 */
class IngestIntegrationTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static RealCluster cluster;

    @BeforeAll
    static void start() throws Exception {
        cluster = new RealCluster();
    }

    @AfterAll
    static void stop() {
        cluster.close();
    }

    /** The pipeline's config with this test's own input topics. */
    private static PipelineConfig config(String name) {
        return cluster.config("ingest-" + name, Map.of("topic.interactions", name + "-interactions", "topic.profiles", name + "-profiles"));
    }

    private static IngestService service(PipelineConfig config, int maxBodyBytes, BearerTokens tokens) {
        return IngestService.start(config, new IngestConfig("127.0.0.1", 0, maxBodyBytes, 1000, Duration.ofSeconds(10), tokens));
    }

    private static IngestService service(PipelineConfig config) {
        return service(config, 1 << 20, BearerTokens.off());
    }

    static String interaction(String eventId, String customer) {
        return "{\"eventId\":\"" + eventId + "\",\"customerId\":\"" + customer + "\",\"eventTime\":\""
                + Instant.now().minusSeconds(60) + "\",\"touchpoint\":\"DELIVERY\",\"stage\":\"PURCHASE\",\"rating\":4}";
    }

    static HttpResponse<String> post(IngestService service, String path, String body, String contentType, String token) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(service.server().baseUrl() + path))
                .header("Content-Type", contentType).POST(HttpRequest.BodyPublishers.ofString(body));
        if (token != null) request.header("Authorization", "Bearer " + token);
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> post(IngestService service, String body, String contentType) throws Exception {
        return post(service, IngestMetrics.INTERACTIONS, body, contentType, null);
    }

    /** The interactions on {@code topic}, decoded with the registered schemas, keyed as sent. */
    private static List<CustomerInteraction> interactionsOn(String topic) {
        ConfluentAvroSerde<CustomerInteraction> serde = new ConfluentAvroSerde<>(cluster.registry, CustomerInteraction.class, false);
        List<ConsumerRecord<byte[], byte[]>> records = cluster.readCommitted(topic);
        List<CustomerInteraction> read = records.stream().map(r -> serde.deserializer().deserialize(topic, r.value())).toList();
        for (int i = 0; i < read.size(); i++) {
            assertEquals(read.get(i).getCustomerId(), new String(records.get(i).key(), java.nio.charset.StandardCharsets.UTF_8), "keyed by customer");
        }
        return read;
    }

    private static List<String> eventIdsOn(String topic) {
        return interactionsOn(topic).stream().map(CustomerInteraction::getEventId).sorted().toList();
    }

    /** After a refused request: a valid one is accepted, and its event is the only one on the topic. */
    private static void assertNothingOfTheRefusedRequestReachedKafka(IngestService service, PipelineConfig config, String token) throws Exception {
        HttpResponse<String> after = post(service, IngestMetrics.INTERACTIONS, interaction("after", "c0"), "application/json", token);
        assertEquals(202, after.statusCode(), after.body());
        assertEquals(List.of("after"), eventIdsOn(config.topics().interactions()));
    }

    private static JsonNode onlyProblem(HttpResponse<String> response) throws Exception {
        JsonNode problems = JSON.readTree(response.body()).get("problems");
        assertEquals(1, problems.size(), response.body());
        return problems.get(0);
    }

    @Test
    void aSingleObjectIsAcceptedAndItsRecordIsReadableFromTheInteractionsTopic() throws Exception {
        PipelineConfig config = config("single");
        try (IngestService service = service(config)) {
            HttpResponse<String> response = post(service, interaction("s1", "c1"), "application/json");
            assertEquals(202, response.statusCode(), response.body());
            assertEquals(1, JSON.readTree(response.body()).get("accepted").asInt());
            List<CustomerInteraction> read = interactionsOn(config.topics().interactions());
            assertEquals(1, read.size());
            assertEquals("s1", read.get(0).getEventId());
            assertEquals(Touchpoint.DELIVERY, read.get(0).getTouchpoint());
            assertEquals(4, read.get(0).getRating());
        }
    }

    @Test
    void anArrayIsAcceptedAndEveryItemIsReadableFromTheInteractionsTopic() throws Exception {
        PipelineConfig config = config("array");
        try (IngestService service = service(config)) {
            HttpResponse<String> response = post(service, "[" + interaction("a1", "c1") + "," + interaction("a2", "c2") + ","
                    + interaction("a3", "c1") + "]", "application/json");
            assertEquals(202, response.statusCode(), response.body());
            assertEquals(3, JSON.readTree(response.body()).get("accepted").asInt());
            assertEquals(List.of("a1", "a2", "a3"), eventIdsOn(config.topics().interactions()));
        }
    }

    @Test
    void ndjsonIsAcceptedAndEveryLineIsReadableFromTheInteractionsTopic() throws Exception {
        PipelineConfig config = config("ndjson");
        try (IngestService service = service(config)) {
            HttpResponse<String> response = post(service, interaction("n1", "c1") + "\n\n" + interaction("n2", "c2") + "\n",
                    "application/x-ndjson");
            assertEquals(202, response.statusCode(), response.body());
            assertEquals(List.of("n1", "n2"), eventIdsOn(config.topics().interactions()));
        }
    }

    @Test
    void aProfileIsAcceptedAndReadableFromTheProfilesTopic() throws Exception {
        PipelineConfig config = config("profile");
        try (IngestService service = service(config)) {
            HttpResponse<String> response = post(service, IngestMetrics.PROFILES,
                    "{\"customerId\":\"c1\",\"segment\":\"high-value\",\"valueWeight\":2.5}", "application/json", null);
            assertEquals(202, response.statusCode(), response.body());
            ConfluentAvroSerde<CustomerProfile> serde = new ConfluentAvroSerde<>(cluster.registry, CustomerProfile.class, false);
            List<ConsumerRecord<byte[], byte[]>> records = cluster.readCommitted(config.topics().profiles());
            assertEquals(1, records.size());
            CustomerProfile p = serde.deserializer().deserialize(config.topics().profiles(), records.get(0).value());
            assertEquals("high-value", p.getSegment());
            assertEquals(2.5, p.getValueWeight());
        }
    }

    @Test
    void malformedJsonIs400WithWhereItBrokeAndNothingReachesKafka() throws Exception {
        PipelineConfig config = config("malformed");
        try (IngestService service = service(config)) {
            HttpResponse<String> response = post(service, "[" + interaction("m1", "c1") + ",{\"eventId\":]", "application/json");
            assertEquals(400, response.statusCode(), response.body());
            JsonNode problem = onlyProblem(response);
            assertEquals("MALFORMED_JSON", problem.get("code").asText());
            assertTrue(problem.get("reason").asText().contains("line 1, column"), response.body());
            assertNothingOfTheRefusedRequestReachedKafka(service, config, null);
        }
    }

    @Test
    void anUnknownEnumSymbolIs400ListingTheAcceptedSymbolsAndNothingReachesKafka() throws Exception {
        PipelineConfig config = config("symbol");
        try (IngestService service = service(config)) {
            HttpResponse<String> response = post(service, "[" + interaction("u1", "c1") + ","
                    + interaction("u2", "c1").replace("DELIVERY", "TELEPATHY") + "]", "application/json");
            assertEquals(400, response.statusCode(), response.body());
            JsonNode problem = onlyProblem(response);
            assertEquals(1, problem.get("item").asInt());
            assertEquals("touchpoint", problem.get("field").asText());
            assertEquals("UNKNOWN_SYMBOL", problem.get("code").asText());
            for (Touchpoint t : Touchpoint.values()) {
                assertTrue(problem.get("reason").asText().contains(t.name()), "lists " + t + ": " + response.body());
            }
            assertNothingOfTheRefusedRequestReachedKafka(service, config, null);
        }
    }

    @Test
    void anOutOfRangeSignalIs400AndNothingReachesKafka() throws Exception {
        PipelineConfig config = config("range");
        try (IngestService service = service(config)) {
            HttpResponse<String> response = post(service, interaction("r1", "c1") + "\n"
                    + interaction("r2", "c1").replace("\"rating\":4", "\"rating\":6"), "application/x-ndjson");
            assertEquals(400, response.statusCode(), response.body());
            JsonNode problem = onlyProblem(response);
            assertEquals(1, problem.get("item").asInt());
            assertEquals("rating", problem.get("field").asText());
            assertEquals("OUT_OF_RANGE", problem.get("code").asText());
            assertNothingOfTheRefusedRequestReachedKafka(service, config, null);
        }
    }

    @Test
    void aMissingFieldIs400AndNothingReachesKafka() throws Exception {
        PipelineConfig config = config("missing");
        try (IngestService service = service(config)) {
            HttpResponse<String> response = post(service, interaction("x1", "c1").replace("\"eventId\":\"x1\",", ""), "application/json");
            assertEquals(400, response.statusCode(), response.body());
            JsonNode problem = onlyProblem(response);
            assertEquals(0, problem.get("item").asInt());
            assertEquals("eventId", problem.get("field").asText());
            assertEquals("MISSING_FIELD", problem.get("code").asText());
            assertNothingOfTheRefusedRequestReachedKafka(service, config, null);
        }
    }

    @Test
    void aBodyOverTheLimitIs413AndNothingReachesKafka() throws Exception {
        PipelineConfig config = config("oversized");
        try (IngestService service = service(config, 1024, BearerTokens.off())) {
            StringBuilder body = new StringBuilder("[");
            for (int i = 0; i < 10; i++) body.append(i == 0 ? "" : ",").append(interaction("o" + i, "c1"));
            HttpResponse<String> response = post(service, body.append("]").toString(), "application/json");
            assertEquals(413, response.statusCode(), response.body());
            assertNothingOfTheRefusedRequestReachedKafka(service, config, null);
        }
    }

    @Test
    void withTokensARequestWithoutOneIs401AndNothingReachesKafka() throws Exception {
        PipelineConfig config = config("notoken");
        try (IngestService service = service(config, 1 << 20, BearerTokens.of(List.of("s3cret"), "test"))) {
            HttpResponse<String> response = post(service, IngestMetrics.INTERACTIONS, interaction("t1", "c1"), "application/json", null);
            assertEquals(401, response.statusCode(), response.body());
            assertEquals("Bearer realm=\"brand-equity-ingest\"", response.headers().firstValue("WWW-Authenticate").orElse(null));
            assertNothingOfTheRefusedRequestReachedKafka(service, config, "s3cret");
        }
    }

    @Test
    void withTokensAWrongTokenIs403AndNothingReachesKafka() throws Exception {
        PipelineConfig config = config("wrongtoken");
        try (IngestService service = service(config, 1 << 20, BearerTokens.of(List.of("s3cret"), "test"))) {
            HttpResponse<String> response = post(service, IngestMetrics.INTERACTIONS, interaction("w1", "c1"), "application/json", "guess");
            assertEquals(403, response.statusCode(), response.body());
            assertNothingOfTheRefusedRequestReachedKafka(service, config, "s3cret");
        }
    }
}
