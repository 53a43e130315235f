package org.brandequity.app;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.brandequity.config.PipelineConfig;
import org.brandequity.topology.AppSerdes;
import org.brandequity.topology.BrandEquityTopology;
import org.brandequity.topology.StreamsSettings;
import org.brandequity.wire.HttpSchemaRegistryClient;
import org.brandequity.wire.SchemaRegistryClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One running instance of the topology.
 *
 * <p>Uncaught-exception policy: a stream thread that dies (e.g. the schema registry stayed
 * unreachable through all retries, or a fenced producer) shuts this client down and
 * {@link #awaitTermination()} returns, so the process exits non-zero and its supervisor
 * (Kubernetes, systemd) restarts it. Under exactly-once, uncommitted work is redone on restart, so
 * nothing is lost or counted twice. Replacing the thread in-process would loop on a persistent
 * fault without anyone noticing.
 */
public final class Pipeline implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Pipeline.class);

    private final PipelineConfig config;
    private final SchemaRegistryClient registry;
    private final KafkaStreams streams;
    private final CountDownLatch stopped = new CountDownLatch(1);
    private volatile boolean failed;

    public Pipeline(PipelineConfig config) {
        this.config = config;
        this.registry = new HttpSchemaRegistryClient(config.schemaRegistryUrl());
        Topology topology = BrandEquityTopology.build(config, new AppSerdes(registry));
        this.streams = new KafkaStreams(topology, StreamsSettings.of(config));
        streams.setUncaughtExceptionHandler(e -> {
            log.error("Stream thread failed; shutting this instance down so its supervisor restarts it", e);
            failed = true;
            return StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
        });
        streams.setStateListener((now, before) -> {
            log.info("Kafka Streams {} -> {}", before, now);
            if (now == KafkaStreams.State.NOT_RUNNING || now == KafkaStreams.State.ERROR) stopped.countDown();
        });
    }

    public Pipeline start() {
        TopicAdmin.ensureTopics(config);
        streams.start();
        return this;
    }

    public KafkaStreams streams() {
        return streams;
    }

    public PipelineConfig config() {
        return config;
    }

    /** Blocks until the instance stops; true when it stopped because of a failure. */
    public boolean awaitTermination() throws InterruptedException {
        stopped.await();
        return failed;
    }

    @Override
    public void close() {
        streams.close(Duration.ofSeconds(30));
        registry.close();
    }
}
