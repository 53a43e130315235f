package org.brandequity.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.function.Predicate;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.utils.Utils;
import org.brandequity.avro.CustomerInteraction;
import org.brandequity.avro.LifecycleStage;
import org.brandequity.avro.Touchpoint;
import org.brandequity.cluster.TopicAdmin;
import org.brandequity.config.PipelineConfig;
import org.brandequity.topology.AppSerdes;
import org.junit.jupiter.api.Test;

/**
 * The equity history survives a restart even without the instance's disk: an instance keeps a few
 * history points and stops; its state directory is deleted, so the next instance restores the
 * history from the changelogs on the real broker; it answers the same points, and a late event then
 * revises them as restatement. (The topology test driver wipes its state on close, hence a real broker.)
 */
class EquityHistoryRestartIntegrationTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @Test
    void theHistoryIsRestoredFromItsChangelogAndRevisedAfterARestart() throws Exception {
        try (RealCluster cluster = new RealCluster()) {
            PipelineConfig config = cluster.config("it-history-restart", Map.of("topic.partitions", "1",
                    "equity.history.interval", "10s", "equity.history.retention", "1h"));
            AppSerdes serdes = new AppSerdes(cluster.registry);
            TopicAdmin.ensureTopics(config);
            // On the 10 s grid, so that the points are known: 00, 10, 20 and 30 are passed once an event at 45 arrives.
            Instant t0 = Instant.ofEpochMilli((Instant.now().minusSeconds(600).toEpochMilli() / 10_000) * 10_000);
            for (int s : new int[] {1, 5, 12, 24, 33, 45}) send(cluster, serdes, config, "e" + s, t0.plusSeconds(s), 5);

            JsonNode before;
            try (Pipeline first = new Pipeline(config).start()) {
                before = getUntil(first.apiUrl() + "/equity/history", h -> h.get("points").size() == 4).get("points");
            }
            Utils.delete(Path.of(config.stateDir()).toFile());

            try (Pipeline second = new Pipeline(config).start()) {
                JsonNode restored = getUntil(second.apiUrl() + "/equity/history", h -> h.get("points").size() == 4).get("points");
                assertEquals(before, restored, "the same points, restored from the changelog");

                send(cluster, serdes, config, "late", t0.plusSeconds(8), 1);
                JsonNode revised = getUntil(second.apiUrl() + "/equity/history",
                        h -> h.get("points").get(0).get("revisions").asInt() == 1).get("points");
                for (int i = 0; i < 4; i++) {
                    JsonNode p = revised.get(i);
                    assertEquals(1, p.get("restatedEvents").asLong(), p.toString());
                    assertEquals(before.get(i).get("events").asLong() + 1, p.get("events").asLong(), p.toString());
                    assertEquals(before.get(i).get("index").asDouble(), p.get("firstPublishedIndex").asDouble(), 1e-9,
                            "as first published: the point from before the restart");
                    assertTrue(p.get("index").asDouble() < p.get("firstPublishedIndex").asDouble(), "a detractor lowered it: " + p);
                }
            }
        }
    }

    private static JsonNode getUntil(String url, Predicate<JsonNode> done) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (true) {
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() == 200) {
                JsonNode body = JSON.readTree(r.body());
                if (done.test(body)) return body;
            }
            if (System.nanoTime() > deadline) throw new AssertionError(url + " answered " + r.statusCode() + ": " + r.body());
            Thread.sleep(200);
        }
    }

    private static void send(RealCluster cluster, AppSerdes serdes, PipelineConfig config, String id, Instant time, int rating) {
        CustomerInteraction e = CustomerInteraction.newBuilder().setEventId(id).setCustomerId("c-" + id).setEventTime(time)
                .setTouchpoint(Touchpoint.DELIVERY).setStage(LifecycleStage.PURCHASE).setRating(rating).build();
        String topic = config.topics().interactions();
        try (KafkaProducer<String, byte[]> producer = cluster.producer()) {
            producer.send(new ProducerRecord<>(topic, e.getCustomerId(), serdes.interaction().serializer().serialize(topic, e)));
        }
    }
}
