package org.brandequity.app;

import com.sun.net.httpserver.BasicAuthenticator;
import com.sun.net.httpserver.HttpContext;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.apache.kafka.common.config.types.Password;
import org.apache.kafka.streams.KafkaStreams;
import org.brandequity.config.PipelineConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Prometheus endpoint at {@code /metrics} (optionally behind basic auth, {@code metrics.auth.basic.*}) and {@code /health} (open) of one pipeline instance: its meter
 * registry, which holds the pipeline's own counters ({@link org.brandequity.topology.Counters}), plus
 * Kafka Streams client metrics through Micrometer's binder, JVM metrics and (given an
 * {@link OutputWatcher}) the brand-level gauges of {@link DomainMetrics}. Labels are bounded
 * (reasons, touchpoints, stages, segments): never a customer id.
 */
public final class MetricsServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(MetricsServer.class);
    private final PrometheusMeterRegistry registry;
    private final HttpServer server;
    /** How often the Kafka Streams binder registers newly appeared Kafka metrics. */
    static final Duration KAFKA_METRICS_REFRESH = Duration.ofSeconds(5);

    private final KafkaStreamsMetrics streamsMetrics;
    private final ScheduledExecutorService kafkaRefresh;
    /** Kept here so the gauges' weakly referenced state lives as long as the endpoint. */
    private final DomainMetrics domain;

    /** The endpoint of {@code pipeline}, open: its registry, its Kafka Streams client. */
    public MetricsServer(String host, int port, Pipeline pipeline, OutputWatcher watcher) throws IOException {
        this(host, port, pipeline.streams(), pipeline.meterRegistry(), watcher);
    }

    /** The endpoint of {@code pipeline} as {@code metrics} configures it: address and optional basic auth. */
    public MetricsServer(PipelineConfig.Metrics metrics, Pipeline pipeline, OutputWatcher watcher) throws IOException {
        this(metrics, pipeline.streams(), pipeline.meterRegistry(), watcher);
    }

    /** Serves {@code registry} (which its owner closes), open, with the binders and {@code streams}' client metrics added. */
    public MetricsServer(String host, int port, KafkaStreams streams, PrometheusMeterRegistry registry, OutputWatcher watcher)
            throws IOException {
        this(new PipelineConfig.Metrics(host, port), streams, registry, watcher);
    }

    /**
     * Serves {@code registry} (which its owner closes) on {@code metrics}' address, with the binders
     * and {@code streams}' client metrics added; {@code /metrics} behind basic auth when
     * {@code metrics} has a user, {@code /health} always open.
     */
    public MetricsServer(PipelineConfig.Metrics metrics, KafkaStreams streams, PrometheusMeterRegistry registry, OutputWatcher watcher)
            throws IOException {
        String host = metrics.host();
        int port = metrics.port();
        this.registry = registry;
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
        if (watcher != null) {
            domain = new DomainMetrics(registry, System::currentTimeMillis, watcher.config().metricSegments());
            watcher.listener(domain);
        } else {
            domain = null;
        }
        server = HttpServer.create(new InetSocketAddress(host, port), 0);
        HttpContext scrapes = server.createContext("/metrics", exchange -> {
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
        if (metrics.authenticated()) scrapes.setAuthenticator(new Credentials(metrics.basicUser(), metrics.basicPassword()));
        server.createContext("/health", exchange -> {
            boolean up = streams.state().isRunningOrRebalancing();
            respond(exchange, up ? 200 : 503, streams.state().name());
        });
        server.start();
    }

    /**
     * The JDK's basic authenticator, checking both parts in constant time (digests compared with {@link MessageDigest#isEqual}).
     * The ingestion service's {@code /metrics} checks its credentials with {@link #checkCredentials} too.
     */
    public static final class Credentials extends BasicAuthenticator {
        private final byte[] user;
        private final byte[] password;

        public Credentials(String user, Password password) {
            super("metrics", StandardCharsets.UTF_8);
            this.user = sha256(user);
            this.password = sha256(password.value());
        }

        @Override
        public boolean checkCredentials(String username, String password) {
            // Both compared, always: '&' not '&&', so a right user name takes no longer to refuse than a wrong one.
            return MessageDigest.isEqual(user, sha256(username)) & MessageDigest.isEqual(this.password, sha256(password));
        }

        private static byte[] sha256(String s) {
            try {
                return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
            } catch (java.security.NoSuchAlgorithmException e) {
                throw new IllegalStateException("every JDK has SHA-256", e);
            }
        }
    }

    /** The exposition text. */
    String scrape() {
        if (domain != null) domain.refresh();
        return registry.scrape();
    }

    public PrometheusMeterRegistry registry() {
        return registry;
    }

    public int port() {
        return server.getAddress().getPort();
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
    }
}
