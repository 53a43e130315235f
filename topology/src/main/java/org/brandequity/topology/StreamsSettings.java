package org.brandequity.topology;

import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.streams.StreamsConfig;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.brandequity.config.PipelineConfig;

/** Kafka Streams properties derived from the pipeline config. */
public final class StreamsSettings {
    private StreamsSettings() {}

    /**
     * The properties of an instance whose dead-letter counts nobody reads (their counters live in a
     * registry of their own): for inspecting the settings. A running instance uses
     * {@link #of(PipelineConfig, Counters)} with the counters its topology was built with.
     */
    public static Properties of(PipelineConfig c) {
        return of(c, new Counters(new SimpleMeterRegistry()));
    }

    /** The properties of the instance that counts into {@code counters}, the exception handlers included. */
    public static Properties of(PipelineConfig c, Counters counters) {
        Properties p = new Properties();
        p.put(StreamsConfig.APPLICATION_ID_CONFIG, c.applicationId());
        p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, c.bootstrapServers());
        p.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, c.processingGuarantee());
        p.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, c.streamThreads());
        p.put(StreamsConfig.NUM_STANDBY_REPLICAS_CONFIG, c.standbyReplicas());
        p.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, c.commitIntervalMs());
        p.put(StreamsConfig.STATE_DIR_CONFIG, c.stateDir());
        p.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, (int) c.topicReplicationFactor());
        // Every operator, store and internal topic is named in the topology; fail fast if one is not,
        // since a generated name changes with the topology and would orphan state on upgrade.
        p.put(StreamsConfig.ENSURE_EXPLICIT_INTERNAL_RESOURCE_NAMING_CONFIG, true);
        p.put(StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG, c.topics().deadLetters());
        p.put(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG, DeadLetterDeserializationHandler.class);
        p.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG, DeadLetterProcessingHandler.class);
        // Records the producer refuses for good: dead-lettered, or the task fails for changelogs (see the class).
        p.put(StreamsConfig.PRODUCTION_EXCEPTION_HANDLER_CLASS_CONFIG, DeadLetterProductionHandler.class);
        // Not a string: Kafka Streams configures the handlers with the original config map, so they
        // count into this instance's counters rather than into process-wide state.
        p.put(Counters.CONFIG, counters);
        // The topology has no global stores, so this changes nothing but the warning Kafka Streams 4.x
        // logs for every config it parses while it is unset (the default becomes true in 5.0).
        p.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_GLOBAL_ENABLED_CONFIG, true);
        p.put(StreamsConfig.consumerPrefix(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG), "earliest");
        p.put(StreamsConfig.producerPrefix(ProducerConfig.COMPRESSION_TYPE_CONFIG), "lz4");
        // Every event writes its customer's ledger (several hundred bytes) to a changelog: the default
        // 16 KiB batches meant ~20 records a batch, and per-batch work in the producer and the broker.
        // 512 KiB batches: broker request handling 3.8 -> 2.6 µs and producer I/O 2.2 -> 0.9 µs per
        // event in the benchmark (docs/benchmark.md). Batches fill up to this size; linger.ms bounds the wait.
        p.put(StreamsConfig.producerPrefix(ProducerConfig.BATCH_SIZE_CONFIG), 512 * 1024);
        if (c.api().enabled()) {
            // Shared with the group in every rebalance, so that each instance knows which instance's
            // query API to forward a key to (KafkaStreams#queryMetadataForKey).
            p.put(StreamsConfig.APPLICATION_SERVER_CONFIG, c.api().effectiveAdvertisedHost() + ":" + c.api().port());
        }
        p.putAll(c.kafka());
        return p;
    }
}
