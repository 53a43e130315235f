package org.brandequity.cluster;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.errors.ClusterAuthorizationException;
import org.apache.kafka.common.errors.GroupAuthorizationException;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.SslAuthenticationException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.errors.TransactionalIdAuthorizationException;
import org.apache.kafka.common.resource.ResourceType;
import org.brandequity.config.PipelineConfig;

/**
 * One line for a failure to use the cluster, naming what is wrong: whose credentials, which address,
 * which certificate, which operation on which resource. Used for the preflight of {@code run}, for
 * topic creation and for the exception that stopped Kafka Streams, so every path reads the same.
 */
public final class BrokerErrors {
    private static final Pattern STREAMS_CREATE = Pattern.compile("Could not create topic (\\S+?)\\.?$");
    private static final Pattern USERNAME = Pattern.compile("username\\s*=\\s*\"([^\"]*)\"");

    private BrokerErrors() {}

    /** The user the config authenticates as (the SASL JAAS username), or a description when it names none. */
    public static String principal(PipelineConfig c) {
        Object jaas = c.kafka().get("sasl.jaas.config");
        if (jaas != null) {
            Matcher m = USERNAME.matcher(jaas.toString());
            if (m.find()) return "User:" + m.group(1);
        }
        Object protocol = c.kafka().get("security.protocol");
        return "the " + (protocol == null ? "PLAINTEXT" : protocol) + " client";
    }

    /** The one-line description of {@code failure} (or of a cause of it), when it is one this class knows. */
    public static Optional<String> describe(Throwable failure, PipelineConfig c) {
        String at = c.bootstrapServers();
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof SaslAuthenticationException) {
                return Optional.of("authentication failed for " + principal(c) + " at " + at + ": " + oneLine(t.getMessage())
                        + " (check kafka.sasl.jaas.config and kafka.sasl.mechanism)");
            }
            if (t instanceof SslAuthenticationException) {
                return Optional.of(untrusted(t)
                        ? "TLS handshake with " + at + " failed: the broker's certificate is not trusted; set kafka.ssl.truststore.location"
                                + " (and kafka.ssl.truststore.password) to a truststore holding the CA that signed it"
                        : "TLS handshake with " + at + " failed: " + oneLine(rootMessage(t)));
            }
            if (t instanceof TopicAuthorizationException e) {
                Set<String> named = e.unauthorizedTopics().isEmpty() ? topicsNamedAbove(failure, t) : e.unauthorizedTopics();
                String topics = named.isEmpty() ? "(unnamed)" : String.join(", ", named.stream().sorted().toList());
                return Optional.of("not authorized: " + principal(c) + " may not use topic " + topics + " at " + at
                        + needs(c, ResourceType.TOPIC, named));
            }
            if (t instanceof GroupAuthorizationException e) {
                String group = e.groupId() == null ? c.applicationId() : e.groupId();
                return Optional.of("not authorized: " + principal(c) + " may not use consumer group " + group + " at " + at
                        + needs(c, ResourceType.GROUP, Set.of(group)));
            }
            if (t instanceof TransactionalIdAuthorizationException) {
                return Optional.of("not authorized: " + principal(c) + " may not use transactional id " + c.applicationId() + "-* at " + at
                        + needs(c, ResourceType.TRANSACTIONAL_ID, Set.of(c.applicationId() + "-")));
            }
            if (t instanceof ClusterAuthorizationException) {
                return Optional.of("not authorized: " + principal(c) + " was refused a cluster operation at " + at + ": " + oneLine(t.getMessage()));
            }
        }
        return Optional.empty();
    }

    /** "; it needs Read, Write on it" from {@link DeploymentAcls}: what the `acls` command grants on that resource. */
    private static String needs(PipelineConfig c, ResourceType type, Set<String> names) {
        List<AclBinding> acls = DeploymentAcls.pipeline(c, "x", true);
        String ops = acls.stream()
                .filter(b -> b.pattern().resourceType() == type)
                .filter(b -> names.stream().anyMatch(n -> switch (b.pattern().patternType()) {
                    case LITERAL -> b.pattern().name().equals(n);
                    case PREFIXED -> n.startsWith(b.pattern().name());
                    default -> false;
                }))
                .map(b -> DeploymentAcls.operationName(b.entry().operation()))
                .distinct().collect(Collectors.joining(", "));
        return ops.isEmpty() ? "" : "; the pipeline needs " + ops + " on it (the `acls` command prints every ACL it needs)";
    }

    /**
     * A CreateTopics refusal names no topic; Kafka Streams' wrapper does ("Could not create topic X."):
     * its message is the only place the name is kept, so it is read from there.
     */
    private static Set<String> topicsNamedAbove(Throwable failure, Throwable cause) {
        for (Throwable t = failure; t != null && t != cause; t = t.getCause()) {
            Matcher m = STREAMS_CREATE.matcher(String.valueOf(t.getMessage()));
            if (m.find()) return Set.of(m.group(1));
        }
        return Set.of();
    }

    /** PKIX path building failed: the chain does not lead to a certificate in the truststore. */
    private static boolean untrusted(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof java.security.cert.CertPathValidatorException || c instanceof java.security.cert.CertPathBuilderException
                    || (c.getMessage() != null && c.getMessage().contains("PKIX path"))) {
                return true;
            }
        }
        return false;
    }

    private static String rootMessage(Throwable t) {
        Throwable root = t;
        while (root.getCause() != null) root = root.getCause();
        return root.getMessage() == null ? root.toString() : root.getMessage();
    }

    static String oneLine(String message) {
        return message == null ? "" : message.replaceAll("\\s*\\R\\s*", " ").strip();
    }
}
