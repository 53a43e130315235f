package org.brandequity.embedded;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Behaviour of one running broker; the broker is shared because starting it is the slow part. */
class EmbeddedKafkaBrokerTest {

    private static final Duration READ_TIMEOUT = Duration.ofSeconds(20);

    private static EmbeddedKafkaBroker broker;

    @BeforeAll
    static void startBroker() {
        broker = EmbeddedKafkaBroker.builder().defaultPartitions(3).start();
    }

    @AfterAll
    static void closeBroker() {
        if (broker != null) {
            broker.close();
        }
    }

    // How fast it starts is the benchmark's business, not a test's: a timed assertion fails on a
    // loaded machine without anything being wrong.
    @Test
    void startsAndListensOnLoopbackOnly() {
        assertTrue(broker.isRunning());
        assertTrue(broker.bootstrapServers().startsWith("127.0.0.1:"), broker.bootstrapServers());
    }

    @Test
    void createdTopicHasTheRequestedPartitionsAndCompaction() throws Exception {
        broker.createTopic("customer-profiles", 4, Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT));

        try (Admin admin = Admin.create(broker.clientProperties())) {
            TopicDescription description = admin.describeTopics(Set.of("customer-profiles"))
                    .allTopicNames().get(10, TimeUnit.SECONDS).get("customer-profiles");
            ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, "customer-profiles");
            Config config = admin.describeConfigs(Set.of(resource)).all().get(10, TimeUnit.SECONDS).get(resource);

            assertEquals(4, description.partitions().size());
            assertEquals(TopicConfig.CLEANUP_POLICY_COMPACT, config.get(TopicConfig.CLEANUP_POLICY_CONFIG).value());
        }
    }

    @Test
    void topicCreatedByNameGetsTheDefaultPartitionCount() throws Exception {
        broker.createTopics("interactions-by-name");

        try (Admin admin = Admin.create(broker.clientProperties())) {
            TopicDescription description = admin.describeTopics(Set.of("interactions-by-name"))
                    .allTopicNames().get(10, TimeUnit.SECONDS).get("interactions-by-name");
            assertEquals(3, description.partitions().size());
        }
    }

    @Test
    void creatingAnExistingTopicAgainLeavesItUnchanged() throws Exception {
        broker.createTopic("customer-scores", 2, Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT));

        broker.createTopic("customer-scores", 6, Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_DELETE));

        try (Admin admin = Admin.create(broker.clientProperties())) {
            TopicDescription description = admin.describeTopics(Set.of("customer-scores"))
                    .allTopicNames().get(10, TimeUnit.SECONDS).get("customer-scores");
            ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, "customer-scores");
            Config config = admin.describeConfigs(Set.of(resource)).all().get(10, TimeUnit.SECONDS).get(resource);

            assertEquals(2, description.partitions().size());
            assertEquals(TopicConfig.CLEANUP_POLICY_COMPACT, config.get(TopicConfig.CLEANUP_POLICY_CONFIG).value());
        }
    }

    @Test
    void readCommittedConsumerSeesCommittedTransactionsButNotAbortedOnes() {
        String topic = "transactional-interactions";
        broker.createTopic(topic, 1, Map.of());

        try (KafkaProducer<String, String> producer = KafkaRecords.producer(broker,
                Map.of(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "embedded-broker-test"))) {
            producer.initTransactions();

            producer.beginTransaction();
            producer.send(new ProducerRecord<>(topic, "c", "committed-1"));
            producer.send(new ProducerRecord<>(topic, "c", "committed-2"));
            producer.commitTransaction();

            producer.beginTransaction();
            producer.send(new ProducerRecord<>(topic, "a", "aborted-1"));
            producer.flush();
            producer.abortTransaction();

            producer.beginTransaction();
            producer.send(new ProducerRecord<>(topic, "c", "committed-3"));
            producer.commitTransaction();
        }

        List<String> committed = KafkaRecords.readValues(broker, topic, "read_committed", 3, READ_TIMEOUT);
        // The control: the aborted record really reached the log, so its absence above is filtering.
        List<String> uncommitted = KafkaRecords.readValues(broker, topic, "read_uncommitted", 4, READ_TIMEOUT);

        assertEquals(List.of("committed-1", "committed-2", "committed-3"), committed);
        assertEquals(List.of("committed-1", "committed-2", "aborted-1", "committed-3"), uncommitted);
    }
}
