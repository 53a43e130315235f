package org.brandequity.metrics;

import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.security.BasicAuthCredentials;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.apache.kafka.streams.KafkaStreams;
import org.brandequity.config.HttpLimits;
import org.brandequity.config.PipelineConfig;
import org.brandequity.config.PipelineKeys;
import org.brandequity.http.HttpServers;
import org.brandequity.http.security.BasicCredentials;
import org.brandequity.runtime.OutputWatcher;
import org.brandequity.runtime.Pipeline;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Prometheus endpoint at {@code /metrics} (optionally behind basic auth, {@code metrics.auth.basic.*}) and {@code /health} (open) of one pipeline instance: its meter
 * registry, which holds the pipeline's own counters ({@link org.brandequity.topology.Counters}), plus
 * Kafka Streams client metrics through Micrometer's binder, JVM metrics and (given an
 * {@link OutputWatcher}) the brand-level gauges of {@link DomainMetrics}. Labels are bounded
 * (reasons, touchpoints, stages, segments): never a customer id. On Javalin (Jetty), set up as
 * every port of this project is ({@link HttpServers}).
 */
public final class MetricsServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(MetricsServer.class);
    private final PrometheusMeterRegistry registry;
    static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";
    static final String CHALLENGE = "Basic realm=\"metrics\", charset=\"UTF-8\"";
    private final Javalin server;
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
        this(metrics, pipeline.config().http(), pipeline.streams(), pipeline.meterRegistry(), watcher);
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
        this(metrics, HttpLimits.DEFAULTS, streams, registry, watcher);
    }

    /**
     * As above, with {@code limits} on the port.
     *
     * @throws IllegalArgumentException one line naming the key, for a non-loopback host without
     *     credentials or a port in use
     */
    public MetricsServer(PipelineConfig.Metrics metrics, HttpLimits limits, KafkaStreams streams, PrometheusMeterRegistry registry,
                         OutputWatcher watcher) throws IOException {
        requireCredentials(metrics);
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
        BasicCredentials scrapers = metrics.authenticated() ? new BasicCredentials(metrics.basicUser(), metrics.basicPassword()) : null;
        server = Javalin.create(c -> {
            // One request thread at a time is plenty for scrapes and probes, but the pool is shared
            // setup: idle connections hold no thread, so /health answers whatever they do.
            HttpServers.configure(c, HttpServers.threadPool("metrics-http", limits), host, port, null, limits);
            if (scrapers != null) c.routes.before("/metrics", ctx -> authenticate(ctx, scrapers));
            c.routes.get("/metrics", ctx -> {
                try {
                    respond(ctx, 200, scrape());
                } catch (RuntimeException e) {
                    // Prometheus' target page shows the body: it says where to look, the log has the cause.
                    log.error("Cannot render /metrics", e);
                    respond(ctx, 500, "cannot render metrics; the instance's log has the details\n");
                }
            });
            c.routes.get("/health", ctx -> {
                KafkaStreams.State state = streams.state();
                respond(ctx, state.isRunningOrRebalancing() ? 200 : 503, state.name());
            });
        });
        try {
            HttpServers.start(server, host, port, PipelineKeys.METRICS_PORT_CONFIG);
        } catch (RuntimeException e) {
            streamsMetrics.close();
            kafkaRefresh.shutdownNow();
            throw e;
        }
    }

    /** A non-loopback {@code metrics.host} without basic auth is refused unless {@code metrics.auth.anonymous}. */
    public static void requireCredentials(PipelineConfig.Metrics metrics) {
        HttpServers.requireCredentials(PipelineKeys.METRICS_HOST_CONFIG, metrics.host(), metrics.authenticated(),
                PipelineKeys.METRICS_BASIC_USER_CONFIG,
                PipelineKeys.METRICS_BASIC_USER_CONFIG + " and " + PipelineKeys.METRICS_BASIC_PASSWORD_CONFIG,
                PipelineKeys.METRICS_AUTH_ANONYMOUS_CONFIG, metrics.anonymous());
    }

    /** {@code /metrics} behind basic auth: 401 with the challenge Prometheus answers, for no, malformed or wrong credentials alike. */
    private static void authenticate(Context ctx, BasicCredentials scrapers) {
        BasicAuthCredentials offered;
        try {
            offered = ctx.basicAuthCredentials();
        } catch (RuntimeException e) {
            offered = null; // not base64 or no ':': as good as none
        }
        if (offered == null || !scrapers.checkCredentials(offered.getUsername(), offered.getPassword())) {
            ctx.header("WWW-Authenticate", CHALLENGE);
            respond(ctx, 401, "basic auth credentials are required for /metrics\n");
            ctx.skipRemainingHandlers();
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
        return server.port();
    }

    private static void respond(Context ctx, int status, String body) {
        ctx.status(status).contentType(PROMETHEUS_TEXT).result(body.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public void close() {
        server.stop();
        streamsMetrics.close();
        kafkaRefresh.shutdownNow();
    }
}
