package org.brandequity.app;

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
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.brandequity.config.PipelineConfig;

/**
 * Creates the pipeline's external topics when they do not exist. Interactions and profiles share a
 * partition count because the profile join needs them co-partitioned. Profiles and equity are
 * compacted: the latest record per key is the state.
 */
public final class TopicAdmin {
    private TopicAdmin() {}

    public static List<NewTopic> topics(PipelineConfig c) {
        PipelineConfig.Topics t = c.topics();
        int n = c.topicPartitions();
        short rf = c.topicReplicationFactor();
        Map<String, String> compact = Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT);
        return List.of(
                new NewTopic(t.interactions(), n, rf),
                new NewTopic(t.profiles(), n, rf).configs(compact),
                new NewTopic(t.customerScores(), n, rf),
                new NewTopic(t.segmentScores(), n, rf),
                new NewTopic(t.equity(), 1, rf).configs(compact),
                new NewTopic(t.alerts(), 1, rf),
                new NewTopic(t.deadLetters(), n, rf));
    }

    /** Creates missing topics; existing ones are left as they are. */
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
            if (missing.isEmpty()) return;
            try {
                admin.createTopics(missing).all().get(30, TimeUnit.SECONDS);
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof TopicExistsException)) throw e;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while creating topics", e);
        } catch (Exception e) {
            throw new IllegalStateException("Cannot create topics on " + c.bootstrapServers() + ": " + e.getMessage(), e);
        }
    }
}
