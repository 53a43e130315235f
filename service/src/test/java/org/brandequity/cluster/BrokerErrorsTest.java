package org.brandequity.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import java.util.Optional;
import org.apache.kafka.common.errors.GroupAuthorizationException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.errors.TransactionalIdAuthorizationException;
import org.apache.kafka.streams.errors.StreamsException;
import org.brandequity.config.PipelineConfig;
import org.junit.jupiter.api.Test;

/** The exception that stopped Kafka Streams, in the one line `run` prints (BrokerFailuresIntegrationTest covers the preflight's). */
class BrokerErrorsTest {
    private final PipelineConfig config = PipelineConfig.defaults().with(Map.of("bootstrap.servers", "kafka-1:9093",
            "kafka.sasl.jaas.config", "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"brand-equity\" password=\"x\";"));

    @Test
    void aRefusedInternalTopicCreationNamesTheTopicKafkaStreamsWasCreating() {
        StreamsException e = new StreamsException("Could not create topic brand-equity-customer-ledger-store-changelog.",
                new TopicAuthorizationException("Authorization failed."));
        assertEquals(Optional.of("not authorized: User:brand-equity may not use topic brand-equity-customer-ledger-store-changelog at kafka-1:9093;"
                        + " the pipeline needs Create, Read, Write, Delete on it (the `acls` command prints every ACL it needs)"),
                BrokerErrors.describe(e, config));
    }

    @Test
    void aRefusedTransactionalIdNamesThePrefixAndTheOperation() {
        StreamsException e = new StreamsException("Error encountered trying to initialize transactions",
                new TransactionalIdAuthorizationException("Transactional Id authorization failed."));
        assertEquals(Optional.of("not authorized: User:brand-equity may not use transactional id brand-equity-* at kafka-1:9093;"
                        + " the pipeline needs Write on it (the `acls` command prints every ACL it needs)"),
                BrokerErrors.describe(e, config));
    }

    @Test
    void aRefusedGroupNamesTheGroupAndTheOperation() {
        StreamsException e = new StreamsException(new GroupAuthorizationException("Not authorized to access group: brand-equity", "brand-equity"));
        assertEquals(Optional.of("not authorized: User:brand-equity may not use consumer group brand-equity at kafka-1:9093;"
                        + " the pipeline needs Read on it (the `acls` command prints every ACL it needs)"),
                BrokerErrors.describe(e, config));
    }

    @Test
    void aFailureThatIsNotTheClustersIsLeftToTheStackTrace() {
        assertEquals(Optional.empty(), BrokerErrors.describe(new StreamsException(new IllegalStateException("a bug")), config));
    }
}
