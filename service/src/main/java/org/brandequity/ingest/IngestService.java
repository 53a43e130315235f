package org.brandequity.ingest;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.brandequity.cluster.SchemaRegistries;
import org.brandequity.cluster.TopicAdmin;
import org.brandequity.avro.CustomerInteraction;
import org.brandequity.avro.CustomerProfile;
import org.brandequity.config.IngestKeys;
import org.brandequity.config.PipelineConfig;
import org.brandequity.http.HttpServers;
import org.brandequity.config.PipelineKeys;
import org.brandequity.wire.ConfluentAvroSerde;
import org.brandequity.wire.SchemaRegistryClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ingestion service put together: registry client, producer ({@link IngestProducers}), meters
 * and the {@link IngestServer}. Used by the {@code ingest} command and by the demo.
 */
public final class IngestService implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(IngestService.class);
    public static final String CLIENT_ID = "brand-equity-ingest";

    private final IngestConfig ingest;
    private final SchemaRegistryClient registry;
    private final KafkaProducer<String, byte[]> producer;
    private final KafkaClientMetrics producerMetrics;
    private final PrometheusMeterRegistry meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final IngestServer server;

    private IngestService(PipelineConfig config, IngestConfig ingest, javax.net.ssl.SSLContext tls) {
        this.ingest = ingest;
        this.registry = SchemaRegistries.fromConfig(config);
        this.producer = IngestProducers.create(producerConfig(config, ingest), CLIENT_ID);
        try {
            new JvmMemoryMetrics().bindTo(meters);
            new JvmGcMetrics().bindTo(meters);
            new JvmThreadMetrics().bindTo(meters);
            new ProcessorMetrics().bindTo(meters);
            producerMetrics = new KafkaClientMetrics(producer);
            producerMetrics.bindTo(meters);
            PipelineConfig.Topics t = config.topics();
            List<IngestServer.Route<?>> routes = List.of(
                    new IngestServer.Route<>(IngestMetrics.INTERACTIONS, t.interactions(), ContractCodec.interactions(config.maxFutureSkew()),
                            new ConfluentAvroSerde<>(registry, CustomerInteraction.class, false).serializer()),
                    new IngestServer.Route<>(IngestMetrics.PROFILES, t.profiles(), ContractCodec.profiles(),
                            new ConfluentAvroSerde<>(registry, CustomerProfile.class, false).serializer()));
            this.server = new IngestServer(ingest, tls, routes, producer, meters, System::currentTimeMillis);
        } catch (RuntimeException e) {
            producer.close(Duration.ZERO);
            registry.close();
            throw e;
        }
    }

    /**
     * Creates the pipeline's topics when missing (as {@code run} does, so the first records do not
     * land in auto-created topics of the wrong size), then starts serving. The credentials of a
     * non-loopback bind, the keystore and the port are checked first: each fails at once, whether or not Kafka answers.
     */
    public static IngestService start(PipelineConfig config, IngestConfig ingest) {
        // Each a one-line refusal (exit 2) before Kafka is touched: a bind beyond this machine
        // without credentials, the keystore, a port already in use.
        ingest.requireCredentials();
        javax.net.ssl.SSLContext tls = IngestServer.tls(ingest);
        HttpServers.requireFree(ingest.host(), ingest.port(), IngestKeys.PORT_CONFIG);
        TopicAdmin.ensureTopics(config);
        return new IngestService(config, ingest, tls);
    }

    /**
     * The producer settings: a send must not wait for metadata longer than a request may take
     * ({@code max.block.ms}, 60 s by default), unless {@code kafka.max.block.ms} says otherwise.
     */
    static PipelineConfig producerConfig(PipelineConfig config, IngestConfig ingest) {
        if (config.kafka().containsKey(ProducerConfig.MAX_BLOCK_MS_CONFIG)) return config;
        return config.with(Map.of(PipelineKeys.KAFKA_PREFIX + ProducerConfig.MAX_BLOCK_MS_CONFIG,
                Long.toString(ingest.requestTimeout().toMillis())));
    }

    public IngestServer server() {
        return server;
    }

    /**
     * The start banner's line: the interactions URL (https with a keystore), where the tokens come
     * from when authentication is on, and whether {@code /metrics} needs basic auth. Never a secret.
     */
    public String banner() {
        return "ingestion " + server.interactionsUrl() + " (also " + IngestMetrics.PROFILES + ", " + IngestMetrics.HEALTH + ", "
                + IngestMetrics.METRICS + "); " + (ingest.tokens().enabled()
                ? "bearer tokens required, from " + ingest.tokens().source()
                : "no authentication (set ingest.auth.tokens or ingest.auth.tokens.file)")
                + (ingest.metricsAuthenticated() ? "; " + IngestMetrics.METRICS + " behind basic auth" : "");
    }

    /** Stops the server gracefully (requests in flight are answered), then flushes and closes the producer. */
    @Override
    public void close() {
        try {
            server.close();
        } finally {
            producerMetrics.close();
            // Records of requests that were answered 503 may still be in the producer's buffer:
            // give them the request timeout to land (their retries count once either way).
            producer.close(ingest.requestTimeout());
            registry.close();
            meters.close();
            log.info("ingestion service stopped");
        }
    }
}
