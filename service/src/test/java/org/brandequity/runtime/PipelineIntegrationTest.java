package org.brandequity.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.brandequity.avro.BrandEquity;
import org.brandequity.avro.CustomerExperienceScore;
import org.brandequity.avro.CustomerInteraction;
import org.brandequity.avro.CustomerProfile;
import org.brandequity.avro.LifecycleStage;
import org.brandequity.avro.SegmentExperienceScore;
import org.brandequity.avro.Touchpoint;
import org.brandequity.cluster.TopicAdmin;
import org.brandequity.config.PipelineConfig;
import org.brandequity.topology.AppSerdes;
import org.brandequity.topology.DeadLetters;
import org.brandequity.wire.WireFormat;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The pipeline against a real broker and a real schema registry, under exactly-once: events produced
 * by a plain KafkaProducer as Confluent wire-format bytes come out as customer, segment and equity
 * records that decode with the registered schemas; bad bytes reach the dead-letter topic.
 */
class PipelineIntegrationTest {
    private static RealCluster cluster;

    @BeforeAll
    static void start() throws Exception {
        cluster = new RealCluster();
    }

    @AfterAll
    static void stop() {
        cluster.close();
    }

    @Test
    void profilesNotCoPartitionedWithInteractionsStopTheStartWithTheReason() throws Exception {
        PipelineConfig config = cluster.config("it-copartition", Map.of("topic.partitions", "3",
                "topic.interactions", "copartition-interactions", "topic.profiles", "copartition-profiles"));
        try (org.apache.kafka.clients.admin.Admin admin = org.apache.kafka.clients.admin.Admin.create(
                Map.<String, Object>of("bootstrap.servers", config.bootstrapServers()))) {
            admin.createTopics(List.of(new org.apache.kafka.clients.admin.NewTopic(config.topics().profiles(), 1, (short) 1)))
                    .all().get();
        }

        TopicAdmin.CoPartitioningException e = org.junit.jupiter.api.Assertions.assertThrows(
                TopicAdmin.CoPartitioningException.class, () -> TopicAdmin.ensureTopics(config));
        assertTrue(e.getMessage().contains(config.topics().interactions() + " has 3 partitions and "
                + config.topics().profiles() + " has 1"), e.getMessage());
    }

    @Test
    void topicPartitionsOtherThanTheInteractionsPartitionCountStopsTheStartWithTheReason() throws Exception {
        PipelineConfig created = cluster.config("it-partitions", Map.of("topic.partitions", "3",
                "topic.interactions", "partitions-interactions", "topic.profiles", "partitions-profiles"));
        TopicAdmin.ensureTopics(created);
        PipelineConfig config = created.with(Map.of("topic.partitions", "2"));

        TopicAdmin.CoPartitioningException e = org.junit.jupiter.api.Assertions.assertThrows(
                TopicAdmin.CoPartitioningException.class, () -> TopicAdmin.ensureTopics(config));
        assertTrue(e.getMessage().contains("partitions-interactions has 3 partitions but topic.partitions is 2"), e.getMessage());
    }

    @Test
    void wireFormatEventsBecomeCustomerSegmentAndEquityRecordsAndBadBytesBecomeDeadLetters() throws Exception {
        PipelineConfig config = cluster.config("it-pipeline", Map.of("window.size", "10s", "window.advance", "10s", "window.grace", "1s"));
        AppSerdes serdes = new AppSerdes(cluster.registry);
        PipelineConfig.Topics t = config.topics();
        TopicAdmin.ensureTopics(config);
        Instant t0 = Instant.now().minusSeconds(60);

        try (KafkaProducer<String, byte[]> producer = cluster.producer()) {
            producer.send(new ProducerRecord<>(t.profiles(), "vip", serdes.profile().serializer().serialize(t.profiles(),
                    CustomerProfile.newBuilder().setCustomerId("vip").setSegment("high-value").setValueWeight(2.0).setTier("gold").setCustomerSince(null).build())));
            producer.flush();
            for (int i = 0; i < 10; i++) {
                CustomerInteraction e = CustomerInteraction.newBuilder().setEventId("ok-" + i).setCustomerId(i % 2 == 0 ? "vip" : "anon")
                        .setEventTime(t0.plusSeconds(i)).setTouchpoint(Touchpoint.DELIVERY).setStage(LifecycleStage.PURCHASE)
                        .setRating(i % 2 == 0 ? 5 : 2).build();
                producer.send(new ProducerRecord<>(t.interactions(), e.getCustomerId(), serdes.interaction().serializer().serialize(t.interactions(), e)));
            }
            producer.send(new ProducerRecord<>(t.interactions(), "vip", "not avro".getBytes(StandardCharsets.UTF_8)));
            byte[] unknownId = WireFormat.header(987654);
            producer.send(new ProducerRecord<>(t.interactions(), "vip", unknownId));
        }

        try (Pipeline pipeline = new Pipeline(config).start()) {
            List<ConsumerRecord<byte[], byte[]>> equity = cluster.readUntil(t.equity(),
                    read -> !read.isEmpty() && decode(serdes, t.equity(), read.get(read.size() - 1)).getEvents() == 10, Duration.ofSeconds(90));
            BrandEquity last = decode(serdes, t.equity(), equity.get(equity.size() - 1));
            assertEquals("acme", last.getBrandId());
            assertTrue(last.getSegments().stream().anyMatch(s -> s.getSegment().equals("high-value") && s.getContribution() > 0));
            assertTrue(last.getSegments().stream().anyMatch(s -> s.getSegment().equals("unassigned") && s.getContribution() < 0));

            // Kafka Streams emits closed windows when a later record arrives, checking at most once per
            // second of wall-clock time: keep a trickle of later events flowing until they come out.
            List<ConsumerRecord<byte[], byte[]>> customers = new java.util.ArrayList<>();
            long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
            try (KafkaProducer<String, byte[]> producer = cluster.producer()) {
                for (int tick = 0; customers.size() < 2; tick++) {
                    if (System.nanoTime() > deadline) throw new AssertionError("no closed customer windows after 90 s");
                    for (String c : List.of("vip", "anon")) {
                        CustomerInteraction clock = CustomerInteraction.newBuilder().setEventId("clock-" + c + "-" + tick).setCustomerId(c)
                                .setEventTime(t0.plusSeconds(40 + tick)).setTouchpoint(Touchpoint.AD).setStage(LifecycleStage.AWARENESS).build();
                        producer.send(new ProducerRecord<>(t.interactions(), c, serdes.interaction().serializer().serialize(t.interactions(), clock)));
                    }
                    producer.flush();
                    customers = cluster.readFor(t.customerScores(), Duration.ofMillis(1500));
                }
            }
            CustomerExperienceScore vip = customers.stream().map(r -> serdes.customerScore().deserializer().deserialize(t.customerScores(), r.value()))
                    .filter(s -> s.getCustomerId().equals("vip")).findFirst().orElseThrow();
            assertEquals("high-value", vip.getSegment());
            assertEquals(1.0, vip.getScore(), 1e-12);

            List<ConsumerRecord<byte[], byte[]>> segments = cluster.readUntil(t.segmentScores(), read -> read.size() >= 2, Duration.ofSeconds(60));
            SegmentExperienceScore segment = serdes.segmentScore().deserializer().deserialize(t.segmentScores(), segments.get(0).value());
            assertTrue(segment.getCustomers() >= 1);

            List<ConsumerRecord<byte[], byte[]>> dead = cluster.readUntil(t.deadLetters(), read -> read.size() >= 2, Duration.ofSeconds(60));
            assertEquals(List.of("BAD_MAGIC_BYTE", "UNKNOWN_SCHEMA_ID"),
                    dead.stream().map(r -> new String(r.headers().lastHeader(DeadLetters.REASON_HEADER).value(), StandardCharsets.UTF_8)).sorted().toList());
            assertTrue(cluster.registry.schemaById(WireFormat.schemaId(equity.get(0).value())).getName().equals("BrandEquity"),
                    "equity records carry the id of the registered BrandEquity schema");
        }
    }

    /**
     * The brand's key drivers are folded in the one task that reads the observation changes, so
     * their repartition topic must have one partition whatever the input has (BrandEquityTopology).
     */
    @Test
    void theKeyDriverObservationChangesCrossATopicOfOnePartitionWhateverTheInputHas() throws Exception {
        PipelineConfig config = cluster.config("it-driver-partitions", Map.of());
        TopicAdmin.ensureTopics(config);
        String changes = "it-driver-partitions-key-driver-observation-changes-repartition";
        try (Pipeline pipeline = new Pipeline(config).start();
             org.apache.kafka.clients.admin.Admin admin = org.apache.kafka.clients.admin.Admin.create(
                     Map.<String, Object>of("bootstrap.servers", config.bootstrapServers()))) {
            // Kafka Streams creates its internal topics when the group first assigns its tasks.
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (!admin.listTopics().names().get(30, java.util.concurrent.TimeUnit.SECONDS).contains(changes)) {
                if (System.nanoTime() > deadline) throw new AssertionError(changes + " not created after 60 s");
                Thread.sleep(200);
            }
            var topics = admin.describeTopics(List.of(changes, config.topics().interactions())).allTopicNames()
                    .get(30, java.util.concurrent.TimeUnit.SECONDS);
            assertEquals(3, topics.get(config.topics().interactions()).partitions().size());
            assertEquals(1, topics.get(changes).partitions().size());
        }
    }

    /**
     * Kafka Streams 4.3.1 formats log text on every record, which under a locale other than exactly
     * en-US builds a DecimalFormatSymbols each time (FormatLocale): a pipeline pins it.
     */
    @Test
    void aPipelineFormatsTextInUsEnglishWhateverTheMachinesLocaleWas() {
        Locale was = Locale.getDefault(Locale.Category.FORMAT);
        Locale.setDefault(Locale.Category.FORMAT, Locale.GERMANY);
        try (Pipeline pipeline = new Pipeline(cluster.config("it-locale", Map.of()))) {
            assertEquals(Locale.US, Locale.getDefault(Locale.Category.FORMAT));
            assertEquals("1.5 1,234", String.format("%.1f %,d", 1.5, 1234));
        } finally {
            Locale.setDefault(Locale.Category.FORMAT, was);
        }
    }

    private static BrandEquity decode(AppSerdes serdes, String topic, ConsumerRecord<byte[], byte[]> r) {
        return serdes.brandEquity().deserializer().deserialize(topic, r.value());
    }
}
