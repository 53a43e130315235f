package org.brandequity.query;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.Measurement;
import io.micrometer.core.instrument.Meter;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.KafkaStreams;
import org.brandequity.config.PipelineConfig;
import org.brandequity.metrics.MetricsServer;
import org.brandequity.runtime.UnstartedStreams;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The query API's and the metrics endpoint's 500 and 503 answers carry a problem code and a message
 * for the user, never an exception's class or text or Kafka Streams' internals, over real HTTP with a
 * Kafka Streams client that is built but never started.
 */
@Timeout(30)
class ErrorBodiesTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private KafkaStreams streams;
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);

    @BeforeEach
    void streams() {
        streams = UnstartedStreams.of("error-bodies-test");
    }

    @AfterEach
    void close() {
        streams.close();
        registry.close();
    }

    private static HttpResponse<String> get(String url) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aQueryWhileStoresAreNotQueryableIsAnswered503WithAProblemCodeAndNoStreamsInternals() throws Exception {
        PipelineConfig config = PipelineConfig.defaults().with(Map.of("api.port", "0"));
        try (QueryApi api = QueryApi.bind(config.api(), config.http())) {
            api.start(streams, config.with(Map.of("api.port", Integer.toString(api.port()))));

            HttpResponse<String> r = get("http://127.0.0.1:" + api.port() + "/customers/c-1/windows");
            assertEquals(503, r.statusCode(), r.body());
            JsonNode body = JSON.readTree(r.body());
            assertEquals("UNAVAILABLE", body.path("code").asText(), r.body());
            // What StoreQueries says to the log: the Streams state and the word "state stores".
            for (String internal : List.of("CREATED", "state store", "Exception", "c-1")) {
                assertFalse(r.body().contains(internal), "'" + internal + "' in the answer: " + r.body());
            }
        }
    }

    @Test
    void aScrapeThatFailsIsAnswered500WithoutTheExceptionItsTextOrItsTrace() throws Exception {
        // A meter whose measurement throws, as a broken binder's would, while /metrics renders it.
        Meter.builder("broken", Meter.Type.OTHER, () -> new Iterator<Measurement>() {
            @Override
            public boolean hasNext() {
                throw new IllegalStateException("secret detail of 10.20.30.40:9092");
            }

            @Override
            public Measurement next() {
                throw new IllegalStateException("unreachable");
            }
        }).register(registry);
        PipelineConfig.Metrics settings = PipelineConfig.defaults().with(Map.of("metrics.port", "0")).metrics();
        try (MetricsServer metrics = new MetricsServer(settings, streams, registry, null)) {
            HttpResponse<String> r = get("http://127.0.0.1:" + metrics.port() + "/metrics");

            assertEquals(500, r.statusCode(), r.body());
            for (String internal : List.of("IllegalStateException", "secret detail", "10.20.30.40:9092", "at org.", "at io.")) {
                assertFalse(r.body().contains(internal), "'" + internal + "' in the answer: " + r.body());
            }
        }
    }
}
