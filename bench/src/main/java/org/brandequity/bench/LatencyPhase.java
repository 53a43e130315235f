package org.brandequity.bench;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.Serializer;
import org.brandequity.runtime.Pipeline;
import org.brandequity.cluster.TopicAdmin;
import org.brandequity.avro.CustomerInteraction;
import org.brandequity.config.PipelineConfig;
import org.brandequity.sim.CustomerJourneys;

/** Phase 2: produce-to-equity latency at fixed rates. */
final class LatencyPhase extends Phase {
    LatencyPhase(BenchRun run) {
        super(run);
    }

    @Override
    void run() throws Exception {
        PipelineConfig config = config("latency");
        TopicAdmin.ensureTopics(config);
        CustomerJourneys journeys = new CustomerJourneys(Input.simulation(o.simulator, 43, o.customers, Duration.ofMillis(1)), Instant.now());
        long capacity = 16;
        for (int rate : o.rates) capacity += (long) rate * o.rateSeconds + rate;
        long[] sentAt = new long[(int) capacity]; // nanoTime of send, per distinct event (in generation order)
        List<Map<String, Object>> steps = new ArrayList<>();
        Map<String, Object> consoleFigures = new LinkedHashMap<>();
        try (KafkaProducer<String, byte[]> producer = Input.producer(broker.bootstrapServers(), 5)) {
            int profiles = Input.sendProfiles(producer, journeys, config.topics().profiles(), serdes);
            log("latency: %,d profiles written; starting the pipeline", profiles);
            try (EquityWatcher watcher = new EquityWatcher(broker.bootstrapServers(), config.topics().equity(),
                    serdes.brandEquity().deserializer());
                 Pipeline pipeline = new Pipeline(config).start();
                 AutoCloseable console = ConsoleClient.open(o.consoleClients, pipeline.apiUrl(), consoleFigures)) {
                awaitRunning(pipeline.streams(), Duration.ofSeconds(60));
                String topic = config.topics().interactions();
                Serializer<CustomerInteraction> ser = serdes.interaction().serializer();
                for (int rate : o.rates) {
                    long firstDistinct = journeys.generated();
                    long total = (long) rate * o.rateSeconds;
                    double loadBefore = Machine.load1();
                    Pacer pacer = new Pacer(rate);
                    long t0 = pacer.startNanos();
                    long measuredFrom = t0 + TimeUnit.SECONDS.toNanos(o.warmupSeconds);
                    for (long i = 0; i < total; i++) {
                        pacer.awaitSend(i);
                        long before = journeys.generated();
                        CustomerInteraction e = journeys.next(Instant.now());
                        byte[] value = ser.serialize(topic, e);
                        long sent = System.nanoTime();
                        if (journeys.generated() > before) sentAt[(int) before] = sent;
                        producer.send(new ProducerRecord<>(topic, e.getCustomerId(), value));
                    }
                    producer.flush();
                    double sendSeconds = (System.nanoTime() - t0) / 1e9;
                    long lastDistinct = journeys.generated();
                    long done = watcher.awaitAtLeast(lastDistinct, Duration.ofSeconds(o.latencyDrainSeconds));
                    long drainedAt = done < 0 ? System.nanoTime() : done;
                    Map<String, Object> step = latencyFigures(watcher.observations(), sentAt, firstDistinct, lastDistinct,
                            measuredFrom, drainedAt);
                    step.put("targetEventsPerSecond", rate);
                    step.put("achievedSendEventsPerSecond", Math.round(total / sendSeconds));
                    step.put("producerMaxBehindScheduleMs", round(pacer.maxBehindNanos() / 1e6, 1));
                    step.put("allFolded", done >= 0);
                    step.put("load1Before", loadBefore);
                    step.put("load1", Machine.load1());
                    steps.add(step);
                    log("latency: %,d events/s target (%,d achieved): p50 %s ms, p99 %s ms, max %s ms%s (load %.2f)",
                            rate, step.get("achievedSendEventsPerSecond"), step.get("p50Ms"), step.get("p99Ms"), step.get("maxMs"),
                            done >= 0 ? "" : " -- NOT all folded within " + o.latencyDrainSeconds + " s (figures are lower bounds)",
                            Machine.load1());
                    table.add("| latency | " + fmt(rate) + " events/s (" + fmt(((Number) step.get("achievedSendEventsPerSecond")).doubleValue())
                            + " sent), produce to equity | p50 " + step.get("p50Ms") + " ms, p99 " + step.get("p99Ms")
                            + " ms, max " + step.get("maxMs") + " ms" + (done >= 0 ? "" : " (lower bounds: backlog)")
                            + " | load " + step.get("load1") + " |");
                    if (done < 0) break; // a backlog would distort every higher rate
                }
            }
        }
        results.put("latency", steps);
        results.put("latencyConsole", consoleFigures);
    }

    /**
     * An equity record with events = k is taken to contain the first k distinct events produced
     * (produce order; partitions progress evenly at a steady rate). Each event's latency is the
     * time of the first such record minus the time its send() was called. Events never folded get
     * {@code drainedAt - sentAt}, a lower bound.
     */
    private static Map<String, Object> latencyFigures(long[][] obs, long[] sentAt, long from, long to, long measuredFrom, long drainedAt) {
        long[] times = obs[0];
        long[] events = obs[1];
        long[] lat = new long[(int) (to - from)];
        int n = 0;
        int j = 0;
        for (long k = from; k < to; k++) {
            while (j < events.length && events[j] < k + 1) j++;
            if (sentAt[(int) k] < measuredFrom) continue;
            long seen = j < events.length ? times[j] : drainedAt;
            lat[n++] = seen - sentAt[(int) k];
        }
        long[] sorted = Arrays.copyOf(lat, n);
        Arrays.sort(sorted);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("measuredEvents", n);
        m.put("p50Ms", n == 0 ? -1 : round(quantile(sorted, 0.50) / 1e6, 1));
        m.put("p90Ms", n == 0 ? -1 : round(quantile(sorted, 0.90) / 1e6, 1));
        m.put("p99Ms", n == 0 ? -1 : round(quantile(sorted, 0.99) / 1e6, 1));
        m.put("maxMs", n == 0 ? -1 : round(sorted[n - 1] / 1e6, 1));
        return m;
    }
}
