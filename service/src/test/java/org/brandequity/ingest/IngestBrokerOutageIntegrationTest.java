package org.brandequity.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.brandequity.http.security.BearerTokens;
import org.brandequity.runtime.Pipeline;
import org.brandequity.runtime.RealCluster;
import org.brandequity.avro.BrandEquity;
import org.brandequity.config.PipelineConfig;
import org.brandequity.topology.AppSerdes;
import org.junit.jupiter.api.Test;

/**
 * Kafka down while a client posts: the answer is 503 with {@code Retry-After} within the request
 * timeout; once the broker is back the same request is accepted, and the real pipeline counts its
 * events once although the first attempt's records landed too (they waited in the producer's
 * buffer and were delivered when the broker returned).
 */
class IngestBrokerOutageIntegrationTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(3);

    @Test
    void aRequestDuringABrokerOutageIs503AndItsRetryAfterTheOutageCountsOnce() throws Exception {
        try (RealCluster cluster = new RealCluster()) {
            PipelineConfig config = cluster.config("outage", Map.of("window.size", "10s", "window.advance", "10s", "window.grace", "1s"));
            String topic = config.topics().interactions();
            String before = IngestIntegrationTest.interaction("before", "c0");
            StringBuilder body = new StringBuilder();
            for (int i = 0; i < 10; i++) body.append(IngestIntegrationTest.interaction("outage-" + i, "c" + (i % 4))).append('\n');
            int distinct = 11;

            try (IngestService service = IngestService.start(config,
                    new IngestConfig("127.0.0.1", 0, 1 << 20, 1000, TIMEOUT, BearerTokens.off()))) {
                // The service has been up a while: schema registered, topic metadata known.
                assertEquals(202, post(service, before).statusCode());

                cluster.broker.stop();
                long started = System.nanoTime();
                HttpResponse<String> during = post(service, body.toString());
                long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
                assertEquals(503, during.statusCode(), during.body());
                assertEquals("3", during.headers().firstValue("Retry-After").orElse(null));
                assertTrue(tookMs < TIMEOUT.toMillis() + 1_000, "answered within the request timeout, took " + tookMs + " ms");

                cluster.broker.start();
                HttpResponse<String> retry = retryUntilAccepted(service, body.toString(), Duration.ofSeconds(60));
                assertEquals(202, retry.statusCode(), retry.body());
            }

            List<ConsumerRecord<byte[], byte[]>> records = cluster.readCommitted(topic);
            AppSerdes serdes = new AppSerdes(cluster.registry);
            Set<String> ids = new TreeSet<>();
            for (ConsumerRecord<byte[], byte[]> r : records) ids.add(serdes.interaction().deserializer().deserialize(topic, r.value()).getEventId());
            assertEquals(distinct, ids.size(), ids.toString());
            // The first attempt's records wait in the producer and are delivered once the broker is
            // back, unless a batch's delivery timeout ran out first: between 1 and 10 copies.
            int copies = records.size() - distinct;
            assertTrue(copies >= 1 && copies <= 10,
                    "some of the first attempt's records were delivered after the outage too, so the retry wrote copies: " + copies);

            try (Pipeline pipeline = new Pipeline(config).start()) {
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
                while (pipeline.counters().scored() + pipeline.counters().duplicates() < records.size()) {
                    if (System.nanoTime() > deadline) throw new AssertionError("the pipeline did not read all " + records.size() + " records");
                    Thread.sleep(100);
                }
                assertEquals(copies, pipeline.counters().duplicates(), "every copy dropped by event id");
                BrandEquity equity = latestEquity(cluster, serdes, config.topics().equity(), distinct);
                assertEquals(distinct, equity.getEvents(), "each event counted once");
            }
        }
    }

    private static HttpResponse<String> post(IngestService service, String body) throws Exception {
        return IngestIntegrationTest.post(service, IngestMetrics.INTERACTIONS, body, "application/x-ndjson", null);
    }

    /** Posts {@code body} again, honouring Retry-After, until it is accepted or {@code patience} is spent. */
    private static HttpResponse<String> retryUntilAccepted(IngestService service, String body, Duration patience) throws Exception {
        long deadline = System.nanoTime() + patience.toNanos();
        while (true) {
            HttpResponse<String> response = post(service, body);
            if (response.statusCode() != 503 || System.nanoTime() > deadline) return response;
            Thread.sleep(1000L * Long.parseLong(response.headers().firstValue("Retry-After").orElse("1")));
        }
    }

    /** The brand-equity record once it counts {@code events}, then a few seconds more to catch any later count. */
    private static BrandEquity latestEquity(RealCluster cluster, AppSerdes serdes, String topic, long events) {
        List<ConsumerRecord<byte[], byte[]>> read = cluster.readUntil(topic, r -> !r.isEmpty()
                && serdes.brandEquity().deserializer().deserialize(topic, r.get(r.size() - 1).value()).getEvents() >= events, Duration.ofSeconds(60));
        List<ConsumerRecord<byte[], byte[]>> later = cluster.readFor(topic, Duration.ofSeconds(3));
        ConsumerRecord<byte[], byte[]> last = later.isEmpty() ? read.get(read.size() - 1) : later.get(later.size() - 1);
        return serdes.brandEquity().deserializer().deserialize(topic, last.value());
    }
}
