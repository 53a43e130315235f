package org.brandequity.ingest;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.List;

/**
 * The ingestion service's own meters, in Prometheus names:
 * <ul>
 *   <li>{@code brandequity_ingest_request_duration_seconds{route,status}}: a histogram of request
 *       latency (buckets for {@code histogram_quantile}); its {@code _count} is the requests by route
 *       and status;</li>
 *   <li>{@code brandequity_ingest_problems_total{route,code}}: the problems that refused requests
 *       (400) were answered with, by {@link Problem.Code} (one item can have several);</li>
 *   <li>{@code brandequity_ingest_records_sent_total{topic}}: records Kafka acknowledged.</li>
 * </ul>
 * Every label value comes from a fixed set (the routes below, HTTP status codes, problem codes,
 * the two input topics): never an item's content or a client's address.
 */
final class IngestMetrics {
    static final String INTERACTIONS = "/v1/interactions";
    static final String PROFILES = "/v1/profiles";
    static final String HEALTH = "/health";
    static final String METRICS = "/metrics";
    /** The label of every path not served here (404s), so scanners cannot add series. */
    static final String OTHER = "other";
    private static final List<String> ROUTES = List.of(INTERACTIONS, PROFILES, HEALTH, METRICS);

    private final MeterRegistry registry;

    IngestMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    /** The route label of a request path. */
    static String route(String path) {
        return ROUTES.contains(path) ? path : OTHER;
    }

    void request(String path, int status, Duration took) {
        Timer.builder("brandequity_ingest_request_duration")
                .description("Ingestion requests: latency from arrival until the answer is complete, by route and status")
                .tag("route", route(path)).tag("status", Integer.toString(status))
                .publishPercentileHistogram()
                // The default buckets start at 1 ms and stop at 30 s; a request waits at most
                // ingest.request.timeout (10 s by default) for its acknowledgements.
                .minimumExpectedValue(Duration.ofMillis(1)).maximumExpectedValue(Duration.ofSeconds(30))
                .register(registry)
                .record(took);
    }

    void problem(String route, Problem.Code code) {
        Counter.builder("brandequity_ingest_problems")
                .description("Problems refused ingestion requests were answered with (one item can have several), by problem code")
                .tag("route", route).tag("code", code.name())
                .register(registry).increment();
    }

    void sent(String topic, int records) {
        Counter.builder("brandequity_ingest_records_sent")
                .description("Records the ingestion service sent and Kafka acknowledged, by topic")
                .tag("topic", topic).register(registry).increment(records);
    }
}
