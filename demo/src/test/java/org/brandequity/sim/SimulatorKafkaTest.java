package org.brandequity.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.brandequity.avro.CustomerInteraction;
import org.brandequity.avro.CustomerProfile;
import org.brandequity.embedded.EmbeddedKafkaBroker;
import org.brandequity.wire.ConfluentAvroSerde;
import org.brandequity.wire.InMemorySchemaRegistry;
import org.junit.jupiter.api.Test;

/** The simulator against a real in-process broker. */
class SimulatorKafkaTest {
    private static final String INTERACTIONS = "customer-interactions";
    private static final String PROFILES = "customer-profiles";

    @Test
    void profilesLandBeforeAnyInteractionAndTheTopicHoldsExactlyTheConfiguredTotal() {
        InMemorySchemaRegistry registry = new InMemorySchemaRegistry();
        Properties p = new Properties();
        p.setProperty("simulator.customers", "300");
        p.setProperty("simulator.rate", "0");
        p.setProperty("simulator.total.events", "3000");
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.builder().defaultPartitions(3).start()) {
            // The broker stamps append time, so the order in which records landed is observable
            // across the two topics.
            broker.createTopic(PROFILES, 3, Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT,
                    TopicConfig.MESSAGE_TIMESTAMP_TYPE_CONFIG, "LogAppendTime"));
            broker.createTopic(INTERACTIONS, 3, Map.of(TopicConfig.MESSAGE_TIMESTAMP_TYPE_CONFIG, "LogAppendTime"));

            try (Simulator simulator = new Simulator(SimulationConfig.fromProperties(p), broker.clientProperties(),
                    registry, INTERACTIONS, PROFILES)) {
                assertEquals(3000, simulator.run());
            }

            List<ConsumerRecord<String, byte[]>> profiles = readAll(broker, PROFILES, 294);
            List<ConsumerRecord<String, byte[]>> interactions = readAll(broker, INTERACTIONS, 3000);
            assertEquals(294, profiles.size());
            assertEquals(3000, interactions.size());
            long lastProfile = profiles.stream().mapToLong(ConsumerRecord::timestamp).max().orElseThrow();
            long firstInteraction = interactions.stream().mapToLong(ConsumerRecord::timestamp).min().orElseThrow();
            assertTrue(lastProfile <= firstInteraction,
                    "last profile appended at " + lastProfile + ", first interaction at " + firstInteraction);

            var profileSerde = new ConfluentAvroSerde<>(registry, CustomerProfile.class, false).deserializer();
            var interactionSerde = new ConfluentAvroSerde<>(registry, CustomerInteraction.class, false).deserializer();
            profiles.forEach(r -> assertEquals(r.key(), profileSerde.deserialize(PROFILES, r.value()).getCustomerId()));
            interactions.forEach(r -> assertEquals(r.key(), interactionSerde.deserialize(INTERACTIONS, r.value()).getCustomerId()));
        }
    }

    /** Every record of the topic, reading until {@code expected} arrived or 10 s passed. */
    private static List<ConsumerRecord<String, byte[]>> readAll(EmbeddedKafkaBroker broker, String topic, int expected) {
        Map<String, Object> config = broker.clientProperties();
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer =
                     new KafkaConsumer<>(config, new StringDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(info -> new TopicPartition(topic, info.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (records.size() < expected && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
        }
        return records;
    }
}
