package org.brandequity.cluster;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;
import org.brandequity.config.PipelineConfig;

/**
 * The ACLs a deployment needs on a cluster with an authorizer, derived from the config's topic names
 * and application id: the pipeline's principal, the principal that produces its input (the
 * simulator, an ingestion service) and a downstream principal that reads its output. Nothing else:
 * every binding allows one operation on one resource, and {@code SecuredPipelineIntegrationTest}
 * applies exactly these and runs the pipeline under exactly-once on them.
 *
 * <p>What the pipeline does with each:
 * <ul>
 *   <li>input topics (interactions, profiles): Read (implies Describe, which {@link TopicAdmin}'s
 *       partition check needs);</li>
 *   <li>output topics (customer, segment and touchpoint scores, equity, alerts, customer alerts): Write;
 *       Read only on those the instance reads back ({@link PipelineConfig.Topics#readBack}: equity,
 *       segment scores and alerts for its gauges, customer scores only counted); the dead-letter topic: Write;</li>
 *   <li>the same nine topics: Create, because {@code run} creates those that are missing
 *       ({@link TopicAdmin}); left out when the topics are created beforehand;</li>
 *   <li>topics prefixed {@code <application.id>-} (Kafka Streams' repartition and changelog topics):
 *       Create, Read, Write, and Delete (Streams deletes consumed records of its repartition topics);</li>
 *   <li>consumer groups prefixed {@code <application.id>}: Read (Streams' group is the application id,
 *       each watcher's is {@code <application.id>-watcher-<uuid>});</li>
 *   <li>transactional ids prefixed {@code <application.id>-}: Write (implies Describe); exactly-once v2
 *       gives each stream thread the id {@code <application.id>-<process id>-<thread>}.</li>
 * </ul>
 * Idempotent producers need no IdempotentWrite on the cluster since Kafka 3.0 (KIP-679): Write on a
 * topic or a transactional id lets them initialise their producer id.
 */
public final class DeploymentAcls {
    /** Kafka's wildcard host: a principal is allowed from any address. */
    public static final String ANY_HOST = "*";

    private DeploymentAcls() {}

    /** {@code User:name} for a bare name; a name with a principal type is kept as it is. */
    public static String principal(String name) {
        return name.contains(":") ? name : "User:" + name;
    }

    /** What the pipeline's principal needs; without Create on its own topics when they are created beforehand. */
    public static List<AclBinding> pipeline(PipelineConfig c, String principal, boolean createsTopics) {
        PipelineConfig.Topics t = c.topics();
        String p = principal(principal);
        List<AclBinding> acls = new ArrayList<>();
        for (String input : List.of(t.interactions(), t.profiles())) {
            acls.add(allow(p, topic(input), AclOperation.READ));
        }
        List<String> watched = t.readBack();
        for (String output : outputs(c)) {
            acls.add(allow(p, topic(output), AclOperation.WRITE));
            if (watched.contains(output)) acls.add(allow(p, topic(output), AclOperation.READ));
        }
        acls.add(allow(p, topic(t.deadLetters()), AclOperation.WRITE));
        if (createsTopics) {
            for (String own : List.of(t.interactions(), t.profiles(), t.customerScores(), t.segmentScores(), t.touchpointScores(), t.equity(),
                    t.alerts(), t.deadLetters(), t.customerAlerts(), t.equityHistory(), t.keyDrivers())) {
                acls.add(allow(p, topic(own), AclOperation.CREATE));
            }
        }
        ResourcePattern internal = new ResourcePattern(ResourceType.TOPIC, c.applicationId() + "-", PatternType.PREFIXED);
        for (AclOperation op : List.of(AclOperation.CREATE, AclOperation.READ, AclOperation.WRITE, AclOperation.DELETE)) {
            acls.add(allow(p, internal, op));
        }
        acls.add(allow(p, new ResourcePattern(ResourceType.GROUP, c.applicationId(), PatternType.PREFIXED), AclOperation.READ));
        acls.add(allow(p, new ResourcePattern(ResourceType.TRANSACTIONAL_ID, c.applicationId() + "-", PatternType.PREFIXED), AclOperation.WRITE));
        return List.copyOf(acls);
    }

    /** What a producer of the input needs: Write on the interactions and profiles topics, nothing more. */
    public static List<AclBinding> producer(PipelineConfig c, String principal) {
        String p = principal(principal);
        return List.of(allow(p, topic(c.topics().interactions()), AclOperation.WRITE),
                allow(p, topic(c.topics().profiles()), AclOperation.WRITE));
    }

    /** What a downstream reader needs: Read on the output topics and on its consumer groups (by prefix). */
    public static List<AclBinding> downstream(PipelineConfig c, String principal, String groupPrefix) {
        String p = principal(principal);
        List<AclBinding> acls = new ArrayList<>();
        for (String output : outputs(c)) {
            acls.add(allow(p, topic(output), AclOperation.READ));
        }
        acls.add(allow(p, new ResourcePattern(ResourceType.GROUP, groupPrefix, PatternType.PREFIXED), AclOperation.READ));
        return List.copyOf(acls);
    }

    /** The topics downstream consumers read: customer, segment and touchpoint scores, equity, alerts, customer alerts, equity history, key drivers. */
    public static List<String> outputs(PipelineConfig c) {
        PipelineConfig.Topics t = c.topics();
        return List.of(t.customerScores(), t.segmentScores(), t.touchpointScores(), t.equity(), t.alerts(), t.customerAlerts(),
                t.equityHistory(), t.keyDrivers());
    }

    /**
     * The {@code kafka-acls.sh} commands that add {@code acls}, one per principal and resource with
     * every operation on it: {@code --command-config} names the admin's client properties file.
     */
    public static List<String> kafkaAclsLines(List<AclBinding> acls, String bootstrapServers, String commandConfig) {
        Map<String, List<AclBinding>> byPrincipalAndResource = acls.stream().collect(Collectors.groupingBy(
                b -> b.entry().principal() + " " + b.pattern(), LinkedHashMap::new, Collectors.toList()));
        List<String> lines = new ArrayList<>();
        for (List<AclBinding> same : byPrincipalAndResource.values()) {
            AclBinding first = same.get(0);
            StringBuilder line = new StringBuilder("kafka-acls.sh --bootstrap-server ").append(bootstrapServers)
                    .append(" --command-config ").append(commandConfig)
                    .append(" --add --allow-principal ").append(first.entry().principal());
            for (AclBinding b : same) line.append(" --operation ").append(operationName(b.entry().operation()));
            ResourcePattern r = first.pattern();
            if (r.patternType() == PatternType.PREFIXED) line.append(" --resource-pattern-type prefixed");
            switch (r.resourceType()) {
                case TOPIC -> line.append(" --topic ").append(r.name());
                case GROUP -> line.append(" --group ").append(r.name());
                case TRANSACTIONAL_ID -> line.append(" --transactional-id ").append(r.name());
                case CLUSTER -> line.append(" --cluster");
                default -> throw new IllegalArgumentException("no kafka-acls option for " + r.resourceType());
            }
            lines.add(line.toString());
        }
        return lines;
    }

    /** The operation as kafka-acls.sh and the authorizer's messages spell it: IDEMPOTENT_WRITE is IdempotentWrite. */
    public static String operationName(AclOperation operation) {
        StringBuilder name = new StringBuilder();
        for (String word : operation.name().split("_")) {
            name.append(word.charAt(0)).append(word.substring(1).toLowerCase(Locale.ROOT));
        }
        return name.toString();
    }

    private static ResourcePattern topic(String name) {
        return new ResourcePattern(ResourceType.TOPIC, name, PatternType.LITERAL);
    }

    private static AclBinding allow(String principal, ResourcePattern resource, AclOperation operation) {
        return new AclBinding(resource, new AccessControlEntry(principal, ANY_HOST, operation, AclPermissionType.ALLOW));
    }
}
