package org.brandequity.cluster;

import java.time.Duration;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.CreateTopicsOptions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.clients.admin.DescribeConsumerGroupsOptions;
import org.apache.kafka.clients.admin.DescribeTopicsOptions;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.errors.UnsupportedVersionException;
import org.apache.kafka.common.errors.GroupIdNotFoundException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.errors.TransactionalIdNotFoundException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourceType;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TopologyDescription;
import org.brandequity.config.PipelineConfig;

/**
 * What {@code run} checks with one admin client before it starts anything, so that a cluster the
 * pipeline cannot use stops it within seconds with one line ({@link BrokerAccessException}) instead
 * of minutes of client retries and warnings:
 * <ol>
 *   <li>a broker answers at bootstrap.servers within {@link #TIMEOUT}, and accepts the TLS handshake
 *       and the SASL credentials;</li>
 *   <li>on each of its topics that exists, the principal has the operations {@link DeploymentAcls}
 *       lists (the broker reports a client's authorized operations: no ACL needs to be readable);</li>
 *   <li>Kafka Streams' internal topics of the topology can be created (a validate-only creation) or,
 *       when they exist, read and written;</li>
 *   <li>its consumer group can be read and, under exactly-once, its transactional ids described.</li>
 * </ol>
 * What is left (a transaction's Write, say) fails in Kafka Streams, whose exception {@link BrokerErrors}
 * words the same way.
 */
public final class BrokerPreflight {
    /** Bound of the whole check; an unreachable broker is reported after it. */
    public static final Duration TIMEOUT = Duration.ofSeconds(15);
    /** Suffix of the check's client id; the production log4j2.xml drops that client's connection warnings. */
    public static final String CLIENT_ID_SUFFIX = "-preflight";

    private BrokerPreflight() {}

    /** {@link #check(PipelineConfig, TopologyDescription)} without the internal topics: for the external ones only. */
    public static void check(PipelineConfig c) {
        check(c, null);
    }

    /**
     * Checks the cluster for {@code c}; with the topology, also that its internal topics can be created
     * (or, existing, read and written): Kafka Streams would otherwise find out only in its first
     * rebalance, and stop only after every stream thread has left it.
     */
    public static void check(PipelineConfig c, TopologyDescription topology) {
        Properties p = new Properties();
        p.putAll(c.kafka());
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, c.bootstrapServers());
        p.put(AdminClientConfig.CLIENT_ID_CONFIG, c.applicationId() + CLIENT_ID_SUFFIX);
        p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) TIMEOUT.toMillis());
        p.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) TIMEOUT.toMillis());
        Admin admin;
        try {
            admin = Admin.create(p);
        } catch (KafkaException e) {
            // A truststore that cannot be read, a JAAS line that does not parse: the client is never made.
            Throwable root = e;
            while (root.getCause() != null) root = root.getCause();
            if (root instanceof ConfigException config) throw config;
            throw new BrokerAccessException("cannot make a Kafka client for " + c.bootstrapServers() + ": " + BrokerErrors.oneLine(root.getMessage()), e);
        }
        try {
            admin.describeCluster(new DescribeClusterOptions().timeoutMs((int) TIMEOUT.toMillis()))
                    .clusterId().get(TIMEOUT.toMillis() + 1_000, TimeUnit.MILLISECONDS);
            checkTopics(admin, c);
            if (topology != null) checkInternalTopics(admin, c, internalTopics(topology, c.applicationId()));
            checkGroup(admin, c);
            if (StreamsConfig.EXACTLY_ONCE_V2.equals(c.processingGuarantee())) checkTransactionalIds(admin, c);
        } catch (java.util.concurrent.TimeoutException e) {
            throw unreachable(c, e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof org.apache.kafka.common.errors.TimeoutException) throw unreachable(c, e.getCause());
            throw BrokerErrors.describe(e.getCause(), c).map(m -> new BrokerAccessException(m, e.getCause()))
                    .orElseGet(() -> new BrokerAccessException("cannot use the Kafka cluster at " + c.bootstrapServers() + ": "
                            + BrokerErrors.oneLine(e.getCause().getMessage()), e.getCause()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BrokerAccessException("interrupted while checking the Kafka cluster at " + c.bootstrapServers(), e);
        } finally {
            admin.close(Duration.ZERO);
        }
    }

    private static BrokerAccessException unreachable(PipelineConfig c, Throwable e) {
        Object protocol = c.kafka().getOrDefault("security.protocol", "PLAINTEXT");
        return new BrokerAccessException("no Kafka broker answered at " + c.bootstrapServers() + " within " + TIMEOUT.toSeconds()
                + " s: check that it runs and is reachable from here, and that kafka.security.protocol (" + protocol
                + ") is its listener's", e);
    }

    /** Each existing topic of the pipeline: the operations it needs there that the broker does not grant. */
    private static void checkTopics(Admin admin, PipelineConfig c) throws ExecutionException, InterruptedException {
        Map<String, Set<AclOperation>> needed = new LinkedHashMap<>();
        for (AclBinding b : DeploymentAcls.pipeline(c, "x", false)) {
            if (b.pattern().resourceType() == ResourceType.TOPIC && b.pattern().patternType() == PatternType.LITERAL) {
                needed.computeIfAbsent(b.pattern().name(), k -> EnumSet.noneOf(AclOperation.class)).add(b.entry().operation());
            }
        }
        // Described one by one: a topic that does not exist yet is TopicAdmin's to create; one the principal
        // may not even Describe (every operation the pipeline needs implies Describe) lacks all of them.
        Map<String, KafkaFuture<TopicDescription>> described = admin.describeTopics(needed.keySet(),
                new DescribeTopicsOptions().includeAuthorizedOperations(true)).topicNameValues();
        for (Map.Entry<String, Set<AclOperation>> topic : needed.entrySet()) {
            Set<AclOperation> granted;
            try {
                granted = described.get(topic.getKey()).get().authorizedOperations();
            } catch (ExecutionException e) {
                if (e.getCause() instanceof UnknownTopicOrPartitionException) continue;
                if (e.getCause() instanceof TopicAuthorizationException) granted = Set.of();
                else throw e;
            }
            if (granted == null) continue; // a broker that does not report them: Kafka Streams will tell
            for (AclOperation op : topic.getValue()) {
                if (!granted.contains(op)) throw missing(c, op, "topic " + topic.getKey());
            }
        }
    }

    /**
     * The repartition and changelog topics Kafka Streams creates for {@code topology}: a topic named
     * {@code <name>-repartition} in the description is {@code <application.id>-<name>-repartition},
     * and each store's changelog is {@code <application.id>-<store>-changelog} (every store of the
     * topology is logged). Kafka Streams computes the same names internally but does not expose them.
     */
    public static Set<String> internalTopics(TopologyDescription topology, String applicationId) {
        Set<String> names = new java.util.TreeSet<>();
        for (TopologyDescription.Subtopology sub : topology.subtopologies()) {
            for (TopologyDescription.Node node : sub.nodes()) {
                List<String> topics = new java.util.ArrayList<>();
                if (node instanceof TopologyDescription.Source source && source.topicSet() != null) topics.addAll(source.topicSet());
                if (node instanceof TopologyDescription.Sink sink && sink.topic() != null) topics.add(sink.topic());
                for (String t : topics) if (t.endsWith("-repartition")) names.add(applicationId + "-" + t);
                if (node instanceof TopologyDescription.Processor processor) {
                    for (String store : processor.stores()) names.add(applicationId + "-" + store + "-changelog");
                }
            }
        }
        return names;
    }

    /** Missing internal topics: Create, asked with a validate-only creation; existing ones: the other operations on them. */
    private static void checkInternalTopics(Admin admin, PipelineConfig c, Set<String> internal) throws ExecutionException, InterruptedException {
        Set<AclOperation> needed = EnumSet.noneOf(AclOperation.class);
        for (AclBinding b : DeploymentAcls.pipeline(c, "x", false)) {
            if (b.pattern().resourceType() == ResourceType.TOPIC && b.pattern().patternType() == PatternType.PREFIXED) needed.add(b.entry().operation());
        }
        needed.remove(AclOperation.CREATE);
        Map<String, KafkaFuture<TopicDescription>> described = admin.describeTopics(internal,
                new DescribeTopicsOptions().includeAuthorizedOperations(true)).topicNameValues();
        List<NewTopic> missing = new java.util.ArrayList<>();
        for (String topic : internal) {
            Set<AclOperation> granted;
            try {
                granted = described.get(topic).get().authorizedOperations();
            } catch (ExecutionException e) {
                if (e.getCause() instanceof UnknownTopicOrPartitionException) {
                    missing.add(new NewTopic(topic, 1, c.topicReplicationFactor()));
                    continue;
                }
                if (e.getCause() instanceof TopicAuthorizationException) throw missing(c, AclOperation.CREATE, "topic " + topic);
                throw e;
            }
            if (granted == null) continue;
            for (AclOperation op : needed) {
                if (!granted.contains(op)) throw missing(c, op, "topic " + topic);
            }
        }
        if (missing.isEmpty()) return;
        for (Map.Entry<String, KafkaFuture<Void>> creation : admin.createTopics(missing, new CreateTopicsOptions().validateOnly(true)).values().entrySet()) {
            try {
                creation.getValue().get();
            } catch (ExecutionException e) {
                // Only the permission is checked here; Kafka Streams reports any other problem with its own topics.
                if (e.getCause() instanceof TopicAuthorizationException) throw missing(c, AclOperation.CREATE, "topic " + creation.getKey());
            }
        }
    }

    private static void checkGroup(Admin admin, PipelineConfig c) throws ExecutionException, InterruptedException {
        ConsumerGroupDescription group;
        try {
            group = admin.describeConsumerGroups(List.of(c.applicationId()),
                    new DescribeConsumerGroupsOptions().includeAuthorizedOperations(true)).all().get().get(c.applicationId());
        } catch (ExecutionException e) {
            // Not found means allowed to ask (Describe, which Read implies): the broker checks before it looks.
            // A cluster without the API is left to Kafka Streams to report.
            if (e.getCause() instanceof GroupIdNotFoundException || e.getCause() instanceof UnsupportedVersionException) return;
            throw e;
        }
        Set<AclOperation> granted = group.authorizedOperations();
        if (granted != null && !granted.isEmpty() && !granted.contains(AclOperation.READ)) {
            throw missing(c, AclOperation.READ, "consumer group " + c.applicationId());
        }
    }

    /** Describe on an id with the pipeline's prefix: granted by the Write ACL the pipeline needs (Write implies Describe). */
    private static void checkTransactionalIds(Admin admin, PipelineConfig c) throws ExecutionException, InterruptedException {
        try {
            admin.describeTransactions(List.of(c.applicationId() + CLIENT_ID_SUFFIX)).all().get();
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TransactionalIdNotFoundException || e.getCause() instanceof UnsupportedVersionException)) throw e;
        }
    }

    private static BrokerAccessException missing(PipelineConfig c, AclOperation op, String resource) {
        return new BrokerAccessException("not authorized: " + BrokerErrors.principal(c) + " lacks " + DeploymentAcls.operationName(op)
                + " on " + resource + " at " + c.bootstrapServers() + " (the `acls` command prints every ACL the pipeline needs)", null);
    }
}
