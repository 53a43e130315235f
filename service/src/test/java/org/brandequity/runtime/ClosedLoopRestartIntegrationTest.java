package org.brandequity.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.streams.KafkaStreams;
import org.brandequity.avro.CustomerAlert;
import org.brandequity.avro.CustomerAlertState;
import org.brandequity.avro.CustomerInteraction;
import org.brandequity.avro.CustomerProfile;
import org.brandequity.avro.LifecycleStage;
import org.brandequity.avro.Touchpoint;
import org.brandequity.cluster.TopicAdmin;
import org.brandequity.config.PipelineConfig;
import org.brandequity.topology.AppSerdes;
import org.junit.jupiter.api.Test;

/**
 * An open at-risk alert survives a restart because it is state (the customer's ledger and the
 * task's open-alert store, on disk and changelogged), not memory: an instance fires it, stops, and a
 * new instance on the same state directory counts it as open, absorbs a further detractor and
 * resolves it with the same alert id. (The topology test driver wipes its state on close, hence a
 * real broker here.)
 */
class ClosedLoopRestartIntegrationTest {
    @Test
    void anOpenAlertSurvivesARestartOfTheInstance() throws Exception {
        try (RealCluster cluster = new RealCluster()) {
            PipelineConfig config = cluster.config("it-closed-loop-restart", Map.of("topic.partitions", "1"));
            AppSerdes serdes = new AppSerdes(cluster.registry);
            PipelineConfig.Topics t = config.topics();
            TopicAdmin.ensureTopics(config);
            Instant t0 = Instant.now().minusSeconds(600);

            send(cluster, serdes, t, CustomerProfile.newBuilder().setCustomerId("vip").setSegment("high-value").setValueWeight(3.0)
                    .setTier("gold").setCustomerSince(null).build());
            for (int i = 0; i < 4; i++) send(cluster, serdes, t, rated("happy-" + i, t0.plusSeconds(i), Touchpoint.SURVEY_RESPONSE, 5));
            send(cluster, serdes, t, rated("bad", t0.plusSeconds(10), Touchpoint.DELIVERY, 1));
            String alertId;
            try (Pipeline first = new Pipeline(config).start()) {
                List<CustomerAlert> fired = alerts(cluster, serdes, t, 1);
                assertEquals(CustomerAlertState.FIRING, fired.get(0).getState());
                alertId = fired.get(0).getAlertId();
            }

            try (Pipeline second = new Pipeline(config).start()) {
                long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
                while (second.streams().state() != KafkaStreams.State.RUNNING && System.nanoTime() < deadline) Thread.sleep(100);
                assertEquals(1, second.counters().customerAlertsOpen(), "the restarted instance holds the open alert");
                send(cluster, serdes, t, rated("worse", t0.plusSeconds(20), Touchpoint.CHECKOUT, 1));
                Map<?, ?> customer = (Map<?, ?>) getUntil(second.apiUrl() + "/customers/vip", c -> ((Map<?, ?>) c).get("equity") instanceof Map<?, ?> e
                        && ((Number) e.get("events")).longValue() == 6);
                assertEquals("gold", customer.get("tier"));
                assertEquals(alertId, ((Map<?, ?>) customer.get("alert")).get("alertId"));
                List<?> atRisk = (List<?>) getUntil(second.apiUrl() + "/customers/at-risk?segment=high-value&limit=10", r -> true);
                assertEquals(1, atRisk.size());
                Map<?, ?> entry = (Map<?, ?>) atRisk.get(0);
                assertEquals("vip", entry.get("customerId"));
                double index = ((Number) ((Map<?, ?>) customer.get("equity")).get("index")).doubleValue();
                assertEquals(index, ((Number) entry.get("index")).doubleValue(), 1e-9);
                assertEquals(3.0 * Math.max(0, -20 - index), ((Number) entry.get("priority")).doubleValue(), 1e-9);
                send(cluster, serdes, t, rated("good", t0.plusSeconds(30), Touchpoint.DELIVERY, 5));
                List<CustomerAlert> all = alerts(cluster, serdes, t, 2);
                assertEquals(CustomerAlertState.RESOLVED, all.get(1).getState(), "the detractor after the restart was absorbed");
                assertEquals(alertId, all.get(1).getAlertId());
                assertEquals("positive-signal", all.get(1).getResolution());
                assertEquals(0, second.counters().customerAlertsOpen());
                assertEquals(List.of(), getUntil(second.apiUrl() + "/customers/at-risk", r -> true), "resolved: no longer at risk");
            }
        }
    }

    /** GETs {@code url} until it answers 200 with a body {@code done} accepts (the instance may still be catching up). */
    private static Object getUntil(String url, java.util.function.Predicate<Object> done) throws Exception {
        java.net.http.HttpClient client = java.net.http.HttpClient.newHttpClient();
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (true) {
            java.net.http.HttpResponse<String> r = client.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(url)).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() == 200) {
                Object body = new com.fasterxml.jackson.databind.ObjectMapper().readValue(r.body(), Object.class);
                if (done.test(body)) return body;
            }
            if (System.nanoTime() > deadline) throw new AssertionError(url + " answered " + r.statusCode() + ": " + r.body());
            Thread.sleep(200);
        }
    }

    private static CustomerInteraction rated(String id, Instant time, Touchpoint tp, int rating) {
        return CustomerInteraction.newBuilder().setEventId(id).setCustomerId("vip").setEventTime(time).setTouchpoint(tp)
                .setStage(LifecycleStage.USAGE).setRating(rating).build();
    }

    private static void send(RealCluster cluster, AppSerdes serdes, PipelineConfig.Topics t, Object record) {
        try (KafkaProducer<String, byte[]> producer = cluster.producer()) {
            if (record instanceof CustomerProfile p) {
                producer.send(new ProducerRecord<>(t.profiles(), p.getCustomerId(), serdes.profile().serializer().serialize(t.profiles(), p)));
            } else {
                CustomerInteraction e = (CustomerInteraction) record;
                producer.send(new ProducerRecord<>(t.interactions(), e.getCustomerId(),
                        serdes.interaction().serializer().serialize(t.interactions(), e)));
            }
        }
    }

    private static List<CustomerAlert> alerts(RealCluster cluster, AppSerdes serdes, PipelineConfig.Topics t, int n) {
        List<ConsumerRecord<byte[], byte[]>> read = cluster.readUntil(t.customerAlerts(), r -> r.size() >= n, Duration.ofSeconds(90));
        assertEquals(n, read.size());
        return read.stream().map(r -> serdes.customerAlert().deserializer().deserialize(t.customerAlerts(), r.value())).toList();
    }
}
