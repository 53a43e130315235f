package org.brandequity.app;

import com.sun.net.httpserver.HttpServer;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.LongAdder;
import org.apache.kafka.streams.KafkaStreams;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.brandequity.avro.LifecycleStage;
import org.brandequity.avro.Touchpoint;
import org.brandequity.model.DeadLetterReason;
import org.brandequity.topology.Counters;
import org.brandequity.topology.DeadLetters;

/**
 * Prometheus endpoint at {@code /metrics} (and {@code /health}): Kafka Streams client metrics
 * through Micrometer's binder, JVM metrics, the pipeline's own counters, and (given an
 * {@link OutputWatcher}) the brand-level gauges of {@link DomainMetrics}. Labels are bounded
 * (reasons, touchpoints, stages, segments): never a customer id.
 */
public final class MetricsServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(MetricsServer.class);
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final HttpServer server;
    /** How often the Kafka Streams binder registers newly appeared Kafka metrics. */
    static final Duration KAFKA_METRICS_REFRESH = Duration.ofSeconds(5);

    private final KafkaStreamsMetrics streamsMetrics;
    private final ScheduledExecutorService kafkaRefresh;
    /** Kept here so the gauges' weakly referenced state lives as long as the endpoint. */
    private final DomainMetrics domain;
    private final Set<Integer> scoredPairs = ConcurrentHashMap.newKeySet();

    public MetricsServer(String host, int port, KafkaStreams streams, OutputWatcher watcher) throws IOException {
        new JvmMemoryMetrics().bindTo(registry);
        new JvmGcMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        // The binder looks for new Kafka metrics (per task, store and partition, which appear only
        // after the first assignment) every refresh; its default of a minute leaves lag and state
        // store panels empty for the first minute of every start. Comparing the metric names is cheap.
        kafkaRefresh = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "kafka-metrics-refresh");
            t.setDaemon(true);
            return t;
        });
        streamsMetrics = new KafkaStreamsMetrics(streams, List.of(), kafkaRefresh, KAFKA_METRICS_REFRESH);
        streamsMetrics.bindTo(registry);
        counter("brandequity_duplicates_dropped", "Events dropped as duplicates of a counted event id", Counters.DUPLICATES);
        counter("brandequity_late_events_accepted", "Events behind stream time but inside the grace period", Counters.LATE_ACCEPTED);
        for (DeadLetterReason reason : DeadLetterReason.values()) {
            FunctionCounter.builder("brandequity_dead_letters", reason, DeadLetters::count)
                    .description("Records sent to the dead-letter topic").tag("reason", reason.name()).register(registry);
        }
        counter("brandequity_late_events_rejected", "Events behind stream time by more than the grace period (dead-lettered as TOO_LATE)",
                Counters.LATE_REJECTED);
        if (watcher != null) {
            domain = new DomainMetrics(registry, System::currentTimeMillis);
            watcher.listener(domain);
        } else {
            domain = null;
        }
        server = HttpServer.create(new InetSocketAddress(host, port), 0);
        server.createContext("/metrics", exchange -> {
            // An exception escaping a handler makes HttpServer drop the connection without a word;
            // answer 500 with the cause instead, so Prometheus' target page shows what broke.
            String body;
            int status = 200;
            try {
                body = scrape();
            } catch (RuntimeException e) {
                log.error("Cannot render /metrics", e);
                status = 500;
                body = "cannot render metrics: " + e + "\n";
            }
            respond(exchange, status, body);
        });
        server.createContext("/health", exchange -> {
            boolean up = streams.state().isRunningOrRebalancing();
            respond(exchange, up ? 200 : 503, streams.state().name());
        });
        server.start();
    }

    /** The exposition text, after registering the touchpoint x stage pairs seen since the last scrape. */
    String scrape() {
        registerScoredPairs();
        return registry.scrape();
    }

    /**
     * Registers the four touchpoint x stage counters of each pair once it has seen an event: the
     * 152 possible pairs would otherwise be mostly zero series that every dashboard query drags along.
     */
    void registerScoredPairs() {
        for (Touchpoint t : Touchpoint.values()) {
            for (LifecycleStage st : LifecycleStage.values()) {
                if (Counters.scored(t, st) == 0 || !scoredPairs.add(t.ordinal() * 100 + st.ordinal())) continue;
                FunctionCounter.builder("brandequity_events_scored", t, x -> Counters.scored(x, st))
                        .description("Events scored and counted, by touchpoint and lifecycle stage")
                        .tag("touchpoint", t.name()).tag("stage", st.name()).register(registry);
                FunctionCounter.builder("brandequity_experience_weight", t, x -> Counters.weight(x, st))
                        .description("Sum of the experience weights w of the scored events, by touchpoint and stage")
                        .tag("touchpoint", t.name()).tag("stage", st.name()).register(registry);
                FunctionCounter.builder("brandequity_experience_positive", t, x -> Counters.positive(x, st))
                        .description("Sum of w * x over scored events with positive experience x, by touchpoint and stage")
                        .tag("touchpoint", t.name()).tag("stage", st.name()).register(registry);
                FunctionCounter.builder("brandequity_experience_negative", t, x -> Counters.negative(x, st))
                        .description("Sum of w * |x| over scored events with negative experience x; (positive - negative) "
                                + "/ weight is their mean experience").tag("touchpoint", t.name()).tag("stage", st.name()).register(registry);
            }
        }
    }

    public PrometheusMeterRegistry registry() {
        return registry;
    }

    public int port() {
        return server.getAddress().getPort();
    }

    private void counter(String name, String description, LongAdder adder) {
        FunctionCounter.builder(name, adder, LongAdder::sum).description(description).register(registry);
    }

    private static void respond(com.sun.net.httpserver.HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        streamsMetrics.close();
        kafkaRefresh.shutdownNow();
        registry.close();
    }
}
