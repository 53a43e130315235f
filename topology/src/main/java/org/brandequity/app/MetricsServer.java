package org.brandequity.app;

import com.sun.net.httpserver.HttpServer;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
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
import java.util.concurrent.atomic.LongAdder;
import org.apache.kafka.streams.KafkaStreams;
import org.brandequity.avro.BrandEquity;
import org.brandequity.model.DeadLetterReason;
import org.brandequity.topology.Counters;
import org.brandequity.topology.DeadLetters;

/**
 * Prometheus endpoint at {@code /metrics} (and {@code /health}): Kafka Streams client metrics
 * through Micrometer's binder, JVM metrics, and the pipeline's own counters and equity gauges.
 * Labels are bounded (reasons, segments): never a customer id.
 */
public final class MetricsServer implements AutoCloseable {
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final HttpServer server;
    private final KafkaStreamsMetrics streamsMetrics;

    public MetricsServer(String host, int port, KafkaStreams streams, OutputWatcher watcher) throws IOException {
        new JvmMemoryMetrics().bindTo(registry);
        new JvmGcMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        streamsMetrics = new KafkaStreamsMetrics(streams);
        streamsMetrics.bindTo(registry);
        counter("brandequity_events_scored", "Events scored and counted", Counters.SCORED);
        counter("brandequity_duplicates_dropped", "Events dropped as duplicates of a counted event id", Counters.DUPLICATES);
        counter("brandequity_late_events_accepted", "Events behind stream time but inside the grace period", Counters.LATE_ACCEPTED);
        for (DeadLetterReason reason : DeadLetterReason.values()) {
            FunctionCounter.builder("brandequity_dead_letters", reason, DeadLetters::count)
                    .description("Records sent to the dead-letter topic").tag("reason", reason.name()).register(registry);
        }
        if (watcher != null) {
            Gauge.builder("brandequity_equity_stock", watcher, w -> value(w.equity(), BrandEquity::getStock))
                    .description("Brand equity stock BE at asOf").register(registry);
            Gauge.builder("brandequity_equity_index", watcher, w -> value(w.equity(), BrandEquity::getIndex))
                    .description("Brand equity index in (-100, 100)").register(registry);
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

    private static double value(BrandEquity e, java.util.function.ToDoubleFunction<BrandEquity> f) {
        return e == null ? Double.NaN : f.applyAsDouble(e);
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
        registry.close();
    }
}
