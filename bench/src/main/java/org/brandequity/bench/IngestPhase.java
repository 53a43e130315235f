package org.brandequity.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.brandequity.cluster.TopicAdmin;
import org.brandequity.avro.CustomerInteraction;
import org.brandequity.config.PipelineConfig;

/** Phase 5: the ingestion doors, a plain KafkaProducer against the HTTP ingestion service. */
final class IngestPhase extends Phase {
    IngestPhase(BenchRun run) {
        super(run);
    }

    /**
     * The same events through a plain {@code KafkaProducer} and through the HTTP ingestion service,
     * alternately, twice each (the first pair warms the JIT); the ratio is taken from the second pair.
     */
    @Override
    void run() throws Exception {
        PipelineConfig plain = config("ingest-producer");
        PipelineConfig http = config("ingest-http");
        TopicAdmin.ensureTopics(plain);
        TopicAdmin.ensureTopics(http);
        log("ingest: generating %,d interactions...", o.ingestEvents);
        List<CustomerInteraction> events = IngestBench.events(o.simulator, o.customers, o.ingestEvents, Duration.ofMillis(o.stepMs), 47);
        Map<String, Object> r = new LinkedHashMap<>();
        List<Object> rounds = new ArrayList<>();
        Map<String, Object> p = null;
        Map<String, Object> h = null;
        for (int round = 1; round <= 2; round++) {
            p = IngestBench.producer(plain, registry, events);
            log("ingest: round %d: plain KafkaProducer %,d events/s", round, p.get("eventsPerSecond"));
            h = IngestBench.http(http, events, o.ingestClients, o.ingestBatch);
            log("ingest: round %d: HTTP %,d events/s (%d clients, %d events per request): p50 %s ms, p99 %s ms",
                    round, h.get("eventsPerSecond"), o.ingestClients, o.ingestBatch, h.get("p50Ms"), h.get("p99Ms"));
            rounds.add(Map.of("producer", p, "http", h));
        }
        long sent = IngestBench.endOffsets(broker.bootstrapServers(), http.topics().interactions());
        long expected = 2L * events.size();
        if (sent != expected) throw new IllegalStateException("the HTTP topic holds " + sent + " records, expected " + expected);
        double ratio = number(h, "eventsPerSecond") / number(p, "eventsPerSecond");
        r.put("rounds", rounds);
        r.put("httpToProducerRatio", round(ratio, 3));
        r.put("loadAfter", Machine.load1());
        results.put("ingest", r);
        table.add("| ingest | " + fmt(events.size()) + " interactions: plain KafkaProducer (acks=all, idempotent) vs HTTP POST "
                + o.ingestBatch + " per request (NDJSON), " + o.ingestClients + " clients; second of two rounds | producer "
                + fmt(number(p, "eventsPerSecond")) + " events/s, HTTP " + fmt(number(h, "eventsPerSecond")) + " events/s = "
                + Math.round(ratio * 100) + " % (target ≥ 50 %); request p50 " + h.get("p50Ms") + " ms, p99 " + h.get("p99Ms")
                + " ms | " + String.format("%.2f", Machine.load1()) + " |");
    }
}
