package org.brandequity.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.record.TimestampType;
import org.brandequity.cluster.TopicAdmin;
import org.brandequity.config.PipelineConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * History stays readable downstream: the topics the pipeline creates are stamped with the time a
 * record is appended, so time-based retention counts from when a window of a backfill was written,
 * not from the window's event time (which its payload carries).
 */
class TopicTimestampsIntegrationTest {
    private static RealCluster cluster;
    private static PipelineConfig config;

    @BeforeAll
    static void createTopics() throws Exception {
        cluster = new RealCluster();
        config = cluster.config("it-timestamps", Map.of(
                "topic.interactions", "ts-interactions", "topic.profiles", "ts-profiles",
                "topic.customer.scores", "ts-customer-scores", "topic.segment.scores", "ts-segment-scores",
                "topic.equity", "ts-equity", "topic.alerts", "ts-alerts", "topic.dead.letters", "ts-dead-letters",
                "topic.touchpoint.scores", "ts-touchpoint-scores", "topic.customer.alerts", "ts-customer-alerts"));
        TopicAdmin.ensureTopics(config);
    }

    @AfterAll
    static void stop() {
        cluster.close();
    }

    @Test
    void everyTopicThePipelineCreatesIsStampedWithAppendTime() throws Exception {
        Set<String> names = TopicAdmin.topics(config).stream().map(NewTopic::name).collect(Collectors.toSet());
        try (Admin admin = Admin.create(Map.<String, Object>of("bootstrap.servers", config.bootstrapServers()))) {
            List<ConfigResource> resources = names.stream().map(n -> new ConfigResource(ConfigResource.Type.TOPIC, n)).toList();
            Map<ConfigResource, Config> configs = admin.describeConfigs(resources).all().get(30, TimeUnit.SECONDS);
            configs.forEach((resource, topicConfig) -> assertEquals(TopicAdmin.LOG_APPEND_TIME,
                    topicConfig.get(TopicConfig.MESSAGE_TIMESTAMP_TYPE_CONFIG).value(), resource.name()));
            assertEquals(11, configs.size(), "the nine output and input topics, the equity history and the key drivers: " + configs.keySet());
        }
    }

    @Test
    void aWindowFromThirtyDaysAgoIsStampedWhenWrittenSoRetentionCountsFromThen() {
        Instant before = Instant.now();
        long thirtyDaysAgo = before.minus(Duration.ofDays(30)).toEpochMilli();
        try (KafkaProducer<String, byte[]> producer = cluster.producer()) {
            producer.send(new ProducerRecord<>(config.topics().customerScores(), null, thirtyDaysAgo, "c-1", new byte[] {1}));
        }

        List<ConsumerRecord<byte[], byte[]>> read = cluster.readUntil(config.topics().customerScores(),
                records -> !records.isEmpty(), Duration.ofSeconds(30));

        ConsumerRecord<byte[], byte[]> r = read.get(0);
        assertEquals(TimestampType.LOG_APPEND_TIME, r.timestampType());
        assertTrue(r.timestamp() >= before.toEpochMilli() - 1_000,
                "stamped " + Instant.ofEpochMilli(r.timestamp()) + ", not when it was appended (after " + before + ")");
    }
}
