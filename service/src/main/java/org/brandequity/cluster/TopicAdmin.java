package org.brandequity.cluster;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.brandequity.config.PipelineConfig;

/**
 * Creates the pipeline's external topics when they do not exist. Interactions and profiles share a
 * partition count because the profile join needs them co-partitioned. Profiles and equity are
 * compacted: the latest record per key is the state.
 *
 * <p>Every topic is created with {@code message.timestamp.type=LogAppendTime}: the broker stamps each
 * record with the time it was appended, and time-based retention counts from then. The records'
 * event time is in their payload (an interaction's {@code eventTime}, a window's start and end), which
 * is what the pipeline and its consumers read. With the default {@code CreateTime}, an output record
 * carries its window's event time, so the outputs of a backfill of 30-day-old history would be older
 * than a 7-day retention the moment they are written, and the broker would delete them while
 * consumers are still reading them.
 */
public final class TopicAdmin {
    /** The value of {@code message.timestamp.type} that makes the broker stamp append time. */
    public static final String LOG_APPEND_TIME = "LogAppendTime";

    private TopicAdmin() {}

    public static List<NewTopic> topics(PipelineConfig c) {
        PipelineConfig.Topics t = c.topics();
        int n = c.topicPartitions();
        short rf = c.topicReplicationFactor();
        Map<String, String> delete = Map.of(TopicConfig.MESSAGE_TIMESTAMP_TYPE_CONFIG, LOG_APPEND_TIME);
        Map<String, String> compact = Map.of(TopicConfig.MESSAGE_TIMESTAMP_TYPE_CONFIG, LOG_APPEND_TIME,
                TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT);
        return List.of(
                new NewTopic(t.interactions(), n, rf).configs(delete),
                new NewTopic(t.profiles(), n, rf).configs(compact),
                new NewTopic(t.customerScores(), n, rf).configs(delete),
                new NewTopic(t.segmentScores(), n, rf).configs(delete),
                new NewTopic(t.touchpointScores(), n, rf).configs(delete),
                new NewTopic(t.equity(), 1, rf).configs(compact),
                new NewTopic(t.alerts(), 1, rf).configs(delete),
                new NewTopic(t.deadLetters(), n, rf).configs(delete),
                // Keyed by customer id, with as many partitions as the input: a customer's alerts stay in order.
                new NewTopic(t.customerAlerts(), n, rf).configs(delete),
                // Keyed brand|boundary: compaction keeps each history point's latest revision.
                new NewTopic(t.equityHistory(), 1, rf).configs(compact),
                // Keyed by segment (the brand under its id): compaction keeps each one's latest analysis.
                new NewTopic(t.keyDrivers(), n, rf).configs(compact));
    }

    /**
     * Creates missing topics; existing ones are left as they are. Then checks that interactions and
     * profiles have the same partition count: a customer's profile and events must reach the same
     * task, which keeps the customer's ledger, and nothing else in the topology would notice a mismatch;
     * and that it is {@code topic.partitions}, the number of watermarks the segment windows wait for.
     */
    public static void ensureTopics(PipelineConfig c) {
        Properties p = new Properties();
        p.putAll(c.kafka());
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, c.bootstrapServers());
        try (Admin admin = Admin.create(p)) {
            Set<String> existing = admin.listTopics().names().get(30, TimeUnit.SECONDS);
            List<NewTopic> missing = new ArrayList<>();
            for (NewTopic topic : topics(c)) {
                if (!existing.contains(topic.name())) missing.add(topic);
            }
            if (!missing.isEmpty()) {
                for (Map.Entry<String, KafkaFuture<Void>> creation : admin.createTopics(missing).values().entrySet()) {
                    try {
                        creation.getValue().get(30, TimeUnit.SECONDS);
                    } catch (ExecutionException e) {
                        if (e.getCause() instanceof TopicAuthorizationException) {
                            throw new BrokerAccessException("not authorized: " + BrokerErrors.principal(c) + " may not create topic "
                                    + creation.getKey() + " at " + c.bootstrapServers() + "; the pipeline needs Create on it, or the topics"
                                    + " created beforehand (`acls --topics-precreated`)", e.getCause());
                        }
                        if (!(e.getCause() instanceof TopicExistsException)) throw e;
                    }
                }
            }
            requireCoPartitioned(admin, c.topics().interactions(), c.topics().profiles(), c.topicPartitions());
        } catch (CoPartitioningException | BrokerAccessException e) {
            throw e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while creating topics", e);
        } catch (Exception e) {
            Throwable cause = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
            String known = BrokerErrors.describe(cause, c).orElse(null);
            if (known != null) throw new BrokerAccessException(known, cause);
            throw new IllegalStateException("Cannot create topics on " + c.bootstrapServers() + ": " + e.getMessage(), e);
        }
    }

    private static void requireCoPartitioned(Admin admin, String interactions, String profiles, int configured) throws Exception {
        Map<String, TopicDescription> d = describeWhenKnown(admin, List.of(interactions, profiles));
        int a = d.get(interactions).partitions().size();
        int b = d.get(profiles).partitions().size();
        if (a != b) {
            throw new CoPartitioningException(interactions + " has " + a + " partitions and " + profiles + " has " + b
                    + ": both are keyed by customer id and must have the same partition count, so that a customer's"
                    + " profile and events meet in the same task. Recreate " + profiles + " with " + a + " partitions.");
        }
        if (a != configured) {
            // The segment windows wait for a watermark from each interactions partition before deleting
            // a window: counting too few would delete windows a slower partition still has to fill.
            throw new CoPartitioningException(interactions + " has " + a + " partitions but topic.partitions is " + configured
                    + ": segment windows are closed on the progress of every interactions partition, so topic.partitions"
                    + " must be its partition count. Set topic.partitions=" + a + ".");
        }
    }

    /** Topics created a moment ago may not be in the broker's metadata yet: ask again for up to 30 s. */
    private static Map<String, TopicDescription> describeWhenKnown(Admin admin, List<String> topics) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (true) {
            try {
                return admin.describeTopics(topics).allTopicNames().get(30, TimeUnit.SECONDS);
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof UnknownTopicOrPartitionException) || System.nanoTime() > deadline) throw e;
                Thread.sleep(50);
            }
        }
    }

    /** Interactions and profiles are not co-partitioned: the pipeline must not start. */
    public static final class CoPartitioningException extends IllegalStateException {
        CoPartitioningException(String message) {
            super(message);
        }
    }
}
