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
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.LongAdder;
import org.apache.kafka.streams.KafkaStreams;
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
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final HttpServer server;
    /** How often the Kafka Streams binder registers newly appeared Kafka metrics. */
    static final Duration KAFKA_METRICS_REFRESH = Duration.ofSeconds(5);

    private final KafkaStreamsMetrics streamsMetrics;
    private final ScheduledExecutorService kafkaRefresh;
    /** Kept here so the gauges' weakly referenced state lives as long as the endpoint. */
    private final DomainMetrics domain;

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
        for (Touchpoint t : Touchpoint.values()) {
            FunctionCounter.builder("brandequity_events_scored", t, Counters::scoredAt)
                    .description("Events scored and counted, by touchpoint").tag("touchpoint", t.name()).register(registry);
        }
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
        server.createContext("/metrics", exchange -> respond(exchange, 200, registry.scrape()));
        server.createContext("/health", exchange -> {
            boolean up = streams.state().isRunningOrRebalancing();
            respond(exchange, up ? 200 : 503, streams.state().name());
        });
        server.start();
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
