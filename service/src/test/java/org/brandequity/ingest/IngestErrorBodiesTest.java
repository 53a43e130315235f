package org.brandequity.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.common.errors.NetworkException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.brandequity.http.security.BearerTokens;
import org.brandequity.avro.CustomerInteraction;
import org.brandequity.avro.CustomerProfile;
import org.brandequity.wire.ConfluentAvroSerde;
import org.brandequity.wire.InMemorySchemaRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The ingestion service's 500 and 503 answers carry a problem code and a message for the client,
 * never the failure's class, text or the address of a broker: the producer (a {@link MockProducer})
 * fails a send with an exception whose message names a broker, as Kafka's do.
 */
@Timeout(30)
class IngestErrorBodiesTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String BROKER = "10.20.30.40:9092";
    private static final String INTERACTION = "{\"eventId\":\"e1\",\"customerId\":\"c1\",\"eventTime\":\""
            + java.time.Instant.now().minusSeconds(60) + "\",\"touchpoint\":\"DELIVERY\",\"stage\":\"PURCHASE\",\"rating\":4}";
    private final MockProducer<String, byte[]> producer = new MockProducer<>(false, null, new StringSerializer(), new ByteArraySerializer());
    private final PrometheusMeterRegistry meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private IngestServer server;

    @BeforeEach
    void start() {
        InMemorySchemaRegistry registry = new InMemorySchemaRegistry();
        server = new IngestServer(new IngestConfig("127.0.0.1", 0, 1 << 20, 100, Duration.ofSeconds(10), BearerTokens.off()), List.of(
                new IngestServer.Route<>(IngestMetrics.INTERACTIONS, "customer-interactions", ContractCodec.interactions(Duration.ofHours(1)),
                        new ConfluentAvroSerde<>(registry, CustomerInteraction.class, false).serializer()),
                new IngestServer.Route<>(IngestMetrics.PROFILES, "customer-profiles", ContractCodec.profiles(),
                        new ConfluentAvroSerde<>(registry, CustomerProfile.class, false).serializer())),
                producer, meters, System::currentTimeMillis);
    }

    @AfterEach
    void stop() {
        server.close();
        meters.close();
    }

    /** Posts one valid interaction and fails its send with {@code failure}; the answer. */
    private HttpResponse<String> postFailingWith(RuntimeException failure) throws Exception {
        CompletableFuture<HttpResponse<String>> answer = HttpClient.newHttpClient().sendAsync(
                HttpRequest.newBuilder(URI.create(server.baseUrl() + IngestMetrics.INTERACTIONS)).header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(INTERACTION)).build(),
                HttpResponse.BodyHandlers.ofString());
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (producer.history().isEmpty() && System.nanoTime() < deadline) Thread.sleep(10);
        producer.errorNext(failure);
        return answer.get(5, TimeUnit.SECONDS);
    }

    private static void assertNoInternals(HttpResponse<String> r, RuntimeException failure) {
        for (String internal : List.of(BROKER, failure.getClass().getSimpleName(), failure.getMessage(), "Exception", "at org.")) {
            assertFalse(r.body().contains(internal), "'" + internal + "' in the answer: " + r.body());
        }
    }

    @Test
    void aFailedSendIsAnswered500WithAProblemCodeAndNoExceptionOrBrokerAddress() throws Exception {
        TopicAuthorizationException failure = new TopicAuthorizationException("Not authorized to access topics on " + BROKER);
        HttpResponse<String> r = postFailingWith(failure);

        assertEquals(500, r.statusCode(), r.body());
        JsonNode body = JSON.readTree(r.body());
        assertEquals("INTERNAL", body.path("code").asText(), r.body());
        assertNoInternals(r, failure);
    }

    @Test
    void anUnavailableBrokerIsAnswered503WithAProblemCodeAndNoExceptionOrBrokerAddress() throws Exception {
        NetworkException failure = new NetworkException("Disconnected from node " + BROKER);
        HttpResponse<String> r = postFailingWith(failure);

        assertEquals(503, r.statusCode(), r.body());
        JsonNode body = JSON.readTree(r.body());
        assertEquals("UNAVAILABLE", body.path("code").asText(), r.body());
        assertNoInternals(r, failure);
    }

    @Test
    void aRecordKafkaRefusesAsTooLargeIsAnswered413WithAProblemCodeAndNoBrokerText() throws Exception {
        RecordTooLargeException failure = new RecordTooLargeException("The request included a message larger than the max message size the server "
                + BROKER + " will accept.");
        HttpResponse<String> r = postFailingWith(failure);

        assertEquals(413, r.statusCode(), r.body());
        assertEquals("RECORD_TOO_LARGE", JSON.readTree(r.body()).path("code").asText(), r.body());
        assertNoInternals(r, failure);
    }
}
