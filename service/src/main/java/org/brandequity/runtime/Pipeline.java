package org.brandequity.runtime;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.brandequity.avro.BrandEquity;
import org.brandequity.avro.CustomerAlert;
import org.brandequity.avro.EquityHistoryPoint;
import org.brandequity.avro.KeyDrivers;
import org.brandequity.avro.CustomerExperienceScore;
import org.brandequity.avro.ScoreDropAlert;
import org.brandequity.avro.SegmentExperienceScore;
import org.brandequity.avro.TouchpointExperienceScore;
import org.brandequity.cluster.SchemaRegistries;
import org.brandequity.cluster.TopicAdmin;
import org.brandequity.config.PipelineConfig;
import org.brandequity.query.QueryApi;
import org.brandequity.topology.AppSerdes;
import org.brandequity.topology.BrandEquityTopology;
import org.brandequity.topology.Counters;
import org.brandequity.topology.StreamsSettings;
import org.brandequity.wire.SchemaRegistryClient;
import org.brandequity.wire.WireFormat;
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
 * fault without anyone noticing. The same holds for an unexpected exception while processing a
 * record ({@code DeadLetterProcessingHandler} fails the task rather than commit a half-applied event).
 *
 * <p>Each instance has its own meter registry: its topology's and handlers' {@link Counters} live in
 * it, and {@link org.brandequity.metrics.MetricsServer} serves it, so two instances in one JVM never mix their counts.
 * Dead letters are logged as one summary line per {@link #DEAD_LETTER_SUMMARY_INTERVAL}.
 */
public final class Pipeline implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Pipeline.class);
    /** How often the records dead-lettered since the last summary are logged (one line, by reason). */
    static final Duration DEAD_LETTER_SUMMARY_INTERVAL = Duration.ofSeconds(30);

    private final PipelineConfig config;
    private final SchemaRegistryClient registry;
    private final KafkaStreams streams;
    private final PrometheusMeterRegistry meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final Counters counters = new Counters(meters);
    private final DeadLetterSummary deadLetterSummary;
    private final QueryApi api;
    private final CountDownLatch stopped = new CountDownLatch(1);
    private volatile boolean failed;
    private volatile Throwable failure;

    public Pipeline(PipelineConfig config) {
        FormatLocale.pin(); // before Kafka Streams formats anything: see FormatLocale
        // The query API binds first: with api.port=0 its port is known only once bound, and Kafka
        // Streams must advertise it (application.server) to the group from the start.
        this.api = config.api().enabled() ? QueryApi.bind(config.api(), config.http()) : null;
        if (api != null && config.api().port() == 0) {
            config = config.with(Map.of("api.port", Integer.toString(api.port())));
        }
        this.config = config;
        this.registry = SchemaRegistries.fromConfig(config);
        Topology topology = BrandEquityTopology.build(config, new AppSerdes(registry), counters);
        this.streams = new KafkaStreams(topology, StreamsSettings.of(config, counters));
        this.deadLetterSummary = new DeadLetterSummary(counters, config.topics().deadLetters(), DEAD_LETTER_SUMMARY_INTERVAL);
        streams.setUncaughtExceptionHandler(e -> {
            // Kafka Streams has logged the stack trace already (with the failed task, and again with this decision).
            log.error("Stream thread failed ({}); shutting this instance down so its supervisor restarts it", e.toString());
            failure = e;
            failed = true;
            return StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
        });
        streams.setStateListener((now, before) -> {
            log.info("Kafka Streams {} -> {}", before, now);
            if (now == KafkaStreams.State.NOT_RUNNING || now == KafkaStreams.State.ERROR) stopped.countDown();
        });
    }

    public Pipeline start() {
        registerOutputSchemas(registry, config.topics());
        TopicAdmin.ensureTopics(config);
        if (config.warmupEvents() > 0) StartupWarmup.run(config, config.warmupEvents());
        streams.start();
        deadLetterSummary.start();
        if (api != null) api.start(streams, config);
        return this;
    }

    /**
     * The value schemas of the output topics, registered (with {@code schema.registry.auto.register=false}:
     * found under their subjects) before the first record is read, as the serdes would on the
     * first write: refused credentials, an untrusted certificate or a missing schema stop the start
     * with one line instead of killing a stream thread minutes later. Internal topics and stores
     * use the registry-free binary encoding, so these are all the subjects the pipeline writes.
     */
    public static void registerOutputSchemas(SchemaRegistryClient registry, PipelineConfig.Topics t) {
        registry.register(WireFormat.subject(t.customerScores(), false), CustomerExperienceScore.getClassSchema());
        registry.register(WireFormat.subject(t.segmentScores(), false), SegmentExperienceScore.getClassSchema());
        registry.register(WireFormat.subject(t.touchpointScores(), false), TouchpointExperienceScore.getClassSchema());
        registry.register(WireFormat.subject(t.equity(), false), BrandEquity.getClassSchema());
        registry.register(WireFormat.subject(t.alerts(), false), ScoreDropAlert.getClassSchema());
        registry.register(WireFormat.subject(t.customerAlerts(), false), CustomerAlert.getClassSchema());
        registry.register(WireFormat.subject(t.equityHistory(), false), EquityHistoryPoint.getClassSchema());
        registry.register(WireFormat.subject(t.keyDrivers(), false), KeyDrivers.getClassSchema());
    }

    public KafkaStreams streams() {
        return streams;
    }

    /** This instance's meter registry, holding its {@link #counters()}; {@link org.brandequity.metrics.MetricsServer} serves it. */
    public PrometheusMeterRegistry meterRegistry() {
        return meters;
    }

    /** What this instance's topology decided about events (scored, duplicates, dead letters by reason). */
    public Counters counters() {
        return counters;
    }

    /** The config in effect: with {@code api.port=0}, it carries the port actually bound. */
    public PipelineConfig config() {
        return config;
    }

    /** The query API's base URL as advertised to the other instances, or null when the API is disabled. */
    public String apiUrl() {
        return api == null ? null : api.scheme() + "://" + config.api().effectiveAdvertisedHost() + ":" + config.api().port();
    }

    /** Blocks until the instance stops; true when it stopped because of a failure. */
    public boolean awaitTermination() throws InterruptedException {
        stopped.await();
        return failed;
    }

    /** The exception that stopped a stream thread, or null. */
    public Throwable failure() {
        return failure;
    }

    @Override
    public void close() {
        if (api != null) api.close();
        streams.close(Duration.ofSeconds(30));
        deadLetterSummary.close();
        registry.close();
        meters.close();
    }
}
