package org.brandequity.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.streams.KafkaStreams;
import org.brandequity.avro.BrandEquity;
import org.brandequity.avro.CustomerExperienceScore;
import org.brandequity.avro.CustomerInteraction;
import org.brandequity.avro.LifecycleStage;
import org.brandequity.avro.Touchpoint;
import org.brandequity.cluster.TopicAdmin;
import org.brandequity.config.PipelineConfig;
import org.brandequity.topology.AppSerdes;
import org.brandequity.topology.FailBeforeEquityPreAggregation;
import org.junit.jupiter.api.Test;

/**
 * An unexpected exception after the customer ledger was written, before the event reached equity,
 * under exactly-once on a real broker and registry: the instance fails instead of committing the
 * half-applied event, and once restarted (without the fault) it counts the event exactly once, in
 * its customer window and in equity, as a clean run of the same input does.
 */
class UnexpectedFailureIntegrationTest {
    private static final Map<String, String> SETTINGS = Map.of("processing.guarantee", "exactly_once_v2",
            "window.size", "10s", "window.advance", "10s", "window.grace", "1s", "equity.flush.interval", "200ms");
    private static final List<String> CUSTOMERS = List.of("c0", "c1", "c2", "c3", "c4", "c5");
    private static final int PER_CUSTOMER = 5;
    private static final String FAILING_CUSTOMER = "c1";

    @Test
    void aFailureAfterTheLedgerWriteFailsTheInstanceAndItsRestartCountsTheEventOnceInWindowAndEquity() throws Exception {
        try (RealCluster cluster = new RealCluster()) {
            AppSerdes serdes = new AppSerdes(cluster.registry);
            PipelineConfig reference = cluster.config("clean", withOutputTopics("clean"));
            PipelineConfig failing = cluster.config("failing", withOutputTopics("failing"));
            TopicAdmin.ensureTopics(reference);
            long expected = produceInput(cluster, serdes, reference.topics().interactions());

            Outcome clean;
            try (Pipeline pipeline = new Pipeline(reference).start()) {
                clean = awaitOutcome(cluster, serdes, reference.topics(), expected);
            }
            assertEquals(expected, clean.equity.getEvents(), "the clean run counts every event");

            // First run: the fault fires on the event after its ledger write.
            PipelineConfig faulty = failing.with(Map.of("kafka.processor.wrapper.class", FailBeforeEquityPreAggregation.class.getName()));
            KafkaStreams.State stoppedIn;
            try (Pipeline pipeline = new Pipeline(faulty).start()) {
                stoppedIn = awaitFailureOrDeadLetter(cluster, pipeline, failing.topics().deadLetters());
            }

            // Second run: same application id and state, no fault.
            Outcome restarted;
            try (Pipeline pipeline = new Pipeline(failing).start()) {
                restarted = awaitOutcome(cluster, serdes, failing.topics(), expected);
            }

            assertEquals(expected, restarted.equity.getEvents(), "equity counts the event once: neither lost nor twice");
            assertEquals(clean.equity.getAsOf(), restarted.equity.getAsOf());
            // Tolerance relative to the volume, not the stock: the stock is a sum of terms of either
            // sign, each at most its volume term in size (|x| <= 1), so folding the same deltas in
            // another order moves it by rounding of the order of volume * 1e-16, even when the terms
            // cancel to a stock near 0 (seen: -8.0224134891e-7 vs -8.0224134802e-7).
            assertEquals(clean.equity.getStock(), restarted.equity.getStock(), 1e-9 * clean.equity.getVolume(), "stock");
            assertEquals(clean.equity.getVolume(), restarted.equity.getVolume(), 1e-9 * clean.equity.getVolume(), "volume");
            assertEquals(clean.windows.keySet(), restarted.windows.keySet(), "customer windows");
            clean.windows.forEach((customer, window) -> {
                CustomerExperienceScore got = restarted.windows.get(customer);
                assertEquals(window.getEvents(), got.getEvents(), "events in the window of " + customer);
                assertEquals(window.getWeight(), got.getWeight(), 1e-12, "weight of the window of " + customer);
                assertEquals(window.getScore(), got.getScore(), 1e-12, "score of the window of " + customer);
            });
            assertEquals(PER_CUSTOMER, restarted.windows.get(FAILING_CUSTOMER).getEvents());
            assertEquals(0, cluster.readCommitted(failing.topics().deadLetters()).size(), "an unexpected failure is not a dead letter");
            assertEquals(KafkaStreams.State.ERROR, stoppedIn, "the instance failed on the injected exception");
        }
    }

    /** What a run committed: its latest equity and each customer's first window. */
    private record Outcome(BrandEquity equity, Map<String, CustomerExperienceScore> windows) {}

    private static Map<String, String> withOutputTopics(String run) {
        Map<String, String> s = new HashMap<>(SETTINGS);
        for (String topic : List.of("customer.scores", "segment.scores", "equity", "alerts", "dead.letters")) {
            s.put("topic." + topic, run + "-" + topic.replace('.', '-'));
        }
        return s;
    }

    /**
     * Each customer's events inside one 10 s window, the failing one among them, then one later
     * event per customer that closes that window on its partition. Returns the number of events.
     */
    private static long produceInput(RealCluster cluster, AppSerdes serdes, String topic) {
        long aligned = Instant.now().minus(Duration.ofHours(1)).toEpochMilli() / 10_000 * 10_000;
        Instant t0 = Instant.ofEpochMilli(aligned);
        long count = 0;
        try (KafkaProducer<String, byte[]> producer = cluster.producer()) {
            for (int i = 0; i < PER_CUSTOMER; i++) {
                for (String c : CUSTOMERS) {
                    String id = c.equals(FAILING_CUSTOMER) && i == 2 ? FailBeforeEquityPreAggregation.EVENT_ID : c + "-" + i;
                    send(producer, serdes, topic, event(id, c, t0.plusMillis(i * 1000L + c.hashCode() % 100), 1 + (i + c.hashCode()) % 5));
                    count++;
                }
            }
            producer.flush();
            for (String c : CUSTOMERS) {
                send(producer, serdes, topic, event(c + "-later", c, t0.plusSeconds(60), 3));
                count++;
            }
        }
        return count;
    }

    private static KafkaStreams.State awaitFailureOrDeadLetter(RealCluster cluster, Pipeline pipeline, String deadLetters)
            throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (System.nanoTime() < deadline) {
            KafkaStreams.State state = pipeline.streams().state();
            if (state == KafkaStreams.State.ERROR || state == KafkaStreams.State.NOT_RUNNING) return state;
            // With a handler that resumes on any exception the instance keeps running, and the
            // failing event shows up as a dead letter instead.
            if (!cluster.readCommitted(deadLetters).isEmpty()) return state;
            Thread.sleep(500);
        }
        throw new AssertionError("the faulty instance neither failed nor dead-lettered the event within 90 s");
    }

    private static Outcome awaitOutcome(RealCluster cluster, AppSerdes serdes, PipelineConfig.Topics topics, long expected) {
        List<ConsumerRecord<byte[], byte[]>> windows = cluster.readUntil(topics.customerScores(),
                read -> read.size() >= CUSTOMERS.size(), Duration.ofSeconds(90));
        // Equity stops growing once every event is folded; give a run that lost one 15 s to show it.
        long quietUntil = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        List<ConsumerRecord<byte[], byte[]>> equity = cluster.readUntil(topics.equity(),
                read -> !read.isEmpty() && latest(serdes, topics.equity(), read).getEvents() >= expected
                        || System.nanoTime() > quietUntil, Duration.ofSeconds(90));
        if (equity.isEmpty()) throw new AssertionError("no equity record on " + topics.equity());
        Map<String, CustomerExperienceScore> byCustomer = new TreeMap<>();
        for (ConsumerRecord<byte[], byte[]> r : windows) {
            CustomerExperienceScore s = serdes.customerScore().deserializer().deserialize(topics.customerScores(), r.value());
            byCustomer.putIfAbsent(s.getCustomerId(), s);
        }
        assertTrue(byCustomer.keySet().containsAll(CUSTOMERS), byCustomer.keySet().toString());
        return new Outcome(latest(serdes, topics.equity(), equity), byCustomer);
    }

    private static BrandEquity latest(AppSerdes serdes, String topic, List<ConsumerRecord<byte[], byte[]>> read) {
        return serdes.brandEquity().deserializer().deserialize(topic, read.get(read.size() - 1).value());
    }

    private static void send(KafkaProducer<String, byte[]> producer, AppSerdes serdes, String topic, CustomerInteraction e) {
        producer.send(new ProducerRecord<>(topic, e.getCustomerId(), serdes.interaction().serializer().serialize(topic, e)));
    }

    private static CustomerInteraction event(String id, String customer, Instant time, int rating) {
        return CustomerInteraction.newBuilder().setEventId(id).setCustomerId(customer).setEventTime(time)
                .setTouchpoint(Touchpoint.DELIVERY).setStage(LifecycleStage.PURCHASE).setRating(rating).build();
    }
}
