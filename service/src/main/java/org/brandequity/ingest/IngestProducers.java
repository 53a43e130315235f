package org.brandequity.ingest;

import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.brandequity.cluster.ClientProperties;
import org.brandequity.config.PipelineConfig;

/**
 * The producer both ingestion doors write with: keys are customer ids, values arrive already in the
 * Confluent wire format (serialize with {@link org.brandequity.wire.ConfluentAvroSerde} before
 * sending, so that a registry failure surfaces before anything is sent).
 *
 * <p>{@code acks=all} and idempotence are not negotiable: an acknowledged record must survive a
 * broker failure, and the producer's own retries must not add copies. Batching and compression
 * defaults suit bulk writes; every {@code kafka.*} key overrides them.
 */
public final class IngestProducers {
    private IngestProducers() {}

    /**
     * Producer settings: defaults for bulk writes, then the {@code kafka.*} keys and
     * {@code bootstrap.servers}, then {@code acks=all} and idempotence, which nothing overrides.
     */
    public static Map<String, Object> properties(PipelineConfig config, String clientId) {
        Map<String, Object> p = new java.util.HashMap<>();
        p.put(ProducerConfig.CLIENT_ID_CONFIG, clientId);
        p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        p.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        p.put(ProducerConfig.BATCH_SIZE_CONFIG, 64 * 1024);
        // One request in flight per connection, as the simulator does: with Kafka 4.3.1 the first
        // batch to a partition created a moment before can be refused as "not leader" while a later
        // one is accepted, and the retried first batch is then refused as out of sequence until its
        // delivery timeout drops it. One in flight keeps the order; kafka.* may raise it.
        p.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 1);
        p.putAll(ClientProperties.producer(config));
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        return p;
    }

    /** A producer with {@link #properties}: string keys, values already serialized. */
    public static KafkaProducer<String, byte[]> create(PipelineConfig config, String clientId) {
        return new KafkaProducer<>(properties(config, clientId), new StringSerializer(), new ByteArraySerializer());
    }
}
