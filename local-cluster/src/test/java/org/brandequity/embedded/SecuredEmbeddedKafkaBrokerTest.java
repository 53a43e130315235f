package org.brandequity.embedded;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The locked-down broker: SCRAM over TLS for clients, and nothing allowed that no ACL allows. */
class SecuredEmbeddedKafkaBrokerTest {
    private static EmbeddedKafkaBroker broker;

    @BeforeAll
    static void startBroker() {
        broker = EmbeddedKafkaBroker.builder().saslSsl().start();
        broker.createTopics("allowed", "forbidden");
        broker.createScramUser("alice", "alice-secret");
        broker.createAcls(List.of(new AclBinding(new ResourcePattern(ResourceType.TOPIC, "allowed", PatternType.LITERAL),
                new AccessControlEntry("User:alice", "*", AclOperation.WRITE, AclPermissionType.ALLOW))));
    }

    @AfterAll
    static void closeBroker() {
        if (broker != null) broker.close();
    }

    private static KafkaProducer<String, String> producer(String user, String password) {
        Map<String, Object> p = broker.clientProperties(user, password);
        p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 10_000);
        p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 10_000);
        p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000);
        return new KafkaProducer<>(p, new StringSerializer(), new StringSerializer());
    }

    @Test
    void clientsListenOnSaslSslAndTheBrokerIsItsOnlySuperUser() {
        assertEquals("SASL_SSL", broker.clientProperties().get("security.protocol"));
        assertEquals("User:CN=broker", broker.brokerPrincipal());
    }

    @Test
    void aScramUserWritesATopicItsAclAllows() throws Exception {
        try (KafkaProducer<String, String> producer = producer("alice", "alice-secret")) {
            assertEquals("allowed", producer.send(new ProducerRecord<>("allowed", "k", "v")).get(20, TimeUnit.SECONDS).topic());
        }
    }

    @Test
    void theSameUserIsRefusedATopicNoAclMentions() {
        try (KafkaProducer<String, String> producer = producer("alice", "alice-secret")) {
            ExecutionException e = assertThrows(ExecutionException.class,
                    () -> producer.send(new ProducerRecord<>("forbidden", "k", "v")).get(20, TimeUnit.SECONDS));
            assertInstanceOf(TopicAuthorizationException.class, e.getCause());
        }
    }

    @Test
    void aWrongPasswordFailsAuthentication() {
        Map<String, Object> p = broker.clientProperties("alice", "wrong");
        p.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000);
        p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 10_000);
        try (Admin admin = Admin.create(p)) {
            ExecutionException e = assertThrows(ExecutionException.class, () -> admin.describeCluster().nodes().get(20, TimeUnit.SECONDS));
            assertInstanceOf(SaslAuthenticationException.class, e.getCause());
        }
    }

    @Test
    void anAuthenticatedUserSeesOnlyTheTopicsItMayDescribe() throws Exception {
        try (Admin admin = Admin.create(broker.clientProperties("alice", "alice-secret"))) {
            Set<String> names = admin.listTopics().names().get(20, TimeUnit.SECONDS);
            assertTrue(names.contains("allowed") && !names.contains("forbidden"), names.toString());
        }
    }
}
