package org.brandequity.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.apache.kafka.streams.KafkaStreams;
import org.brandequity.avro.LifecycleStage;
import org.brandequity.avro.Touchpoint;
import org.brandequity.runtime.OutputWatcher;
import org.brandequity.runtime.UnstartedStreams;
import org.brandequity.topology.Counters;
import org.junit.jupiter.api.Test;

/**
 * The /metrics endpoint over real HTTP, with a Kafka Streams client that is built but never started
 * (so no broker is needed): the pipeline's counters with their bounded labels, the Streams binder
 * and the JVM binders.
 */
class MetricsServerTest {
    @Test
    void endpointServesPipelineCountersByBoundedLabelsAndTheBinders() throws Exception {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        Counters counters = new Counters(registry);
        try (KafkaStreams streams = UnstartedStreams.of("metrics-server-test");
             MetricsServer server = new MetricsServer("127.0.0.1", 0, streams, registry, null)) {
            String before = get(server, "/metrics");
            assertFalse(before.contains("touchpoint=\"RENEWAL\",stage=\"DISPOSAL\"") || before.contains("stage=\"DISPOSAL\",touchpoint=\"RENEWAL\""),
                    "a touchpoint x stage pair gets series only once it has seen an event");

            counters.countScored(Touchpoint.RENEWAL, LifecycleStage.DISPOSAL, 0.5, 2.0);
            counters.countScored(Touchpoint.RENEWAL, LifecycleStage.DISPOSAL, -1.0, 1.0);
            String text = get(server, "/metrics");
            assertEquals(2.0, value(text, "brandequity_events_scored_total{stage=\"DISPOSAL\",touchpoint=\"RENEWAL\"}"));
            assertEquals(3.0, value(text, "brandequity_experience_weight_total{stage=\"DISPOSAL\",touchpoint=\"RENEWAL\"}"));
            assertEquals(1.0, value(text, "brandequity_experience_positive_total{stage=\"DISPOSAL\",touchpoint=\"RENEWAL\"}"), 1e-12, "2.0 * 0.5");
            assertEquals(1.0, value(text, "brandequity_experience_negative_total{stage=\"DISPOSAL\",touchpoint=\"RENEWAL\"}"), 1e-12,
                    "1.0 * |-1.0|: a sum that only grows, so it stays a valid counter when experience is negative");
            for (String name : new String[] {"brandequity_dead_letters_total{reason=\"UNDECODABLE\"}", "brandequity_duplicates_dropped_total",
                    "brandequity_late_events_accepted_total", "brandequity_late_events_rejected_total", "kafka_stream_alive_stream_threads",
                    "jvm_memory_used_bytes", "process_cpu_usage"}) {
                assertTrue(text.contains(name), name + " missing from /metrics");
            }
            assertFalse(text.contains("brandequity_equity_stock"), "without an OutputWatcher there are no brand gauges");
        }
    }

    private static String get(MetricsServer server, String path) throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode());
        return r.body();
    }

    private static double value(String text, String series) {
        return text.lines().filter(l -> l.startsWith(series + " ")).map(l -> Double.parseDouble(l.substring(series.length() + 1)))
                .findFirst().orElseThrow(() -> new AssertionError(series + " not in /metrics"));
    }
}
