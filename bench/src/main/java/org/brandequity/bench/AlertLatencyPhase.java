package org.brandequity.bench;

import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.Serializer;
import org.brandequity.runtime.Pipeline;
import org.brandequity.cluster.TopicAdmin;
import org.brandequity.avro.CustomerAlert;
import org.brandequity.avro.CustomerInteraction;
import org.brandequity.avro.CustomerProfile;
import org.brandequity.avro.LifecycleStage;
import org.brandequity.avro.Outcome;
import org.brandequity.avro.Touchpoint;
import org.brandequity.config.PipelineConfig;
import org.brandequity.sim.CustomerJourneys;
import org.brandequity.wire.ConfluentAvroSerde;

/** Phase 2b: produce-to-alert latency of probe customers among the simulator's traffic. */
final class AlertLatencyPhase extends Phase {
    AlertLatencyPhase(BenchRun run) {
        super(run);
    }

    /** Customer ids of the probes: customers of their own, so that nothing else opens their alert first. */
    private static final String PROBE_PREFIX = "probe-";

    /**
     * Produce-to-alert latency: the simulator's traffic at {@code bench.alert.rate} events/s (event
     * time = wall clock, as in the latency phase), and among it, {@code bench.alert.probes} times a
     * second, one detractor-level event (a failed delivery rated 1) of a probe customer: a customer
     * of a watched segment with a profile and no other event, so that this event, their first, fires
     * DETRACTOR_EXPERIENCE. Each probe's latency is the time of the poll that returned its FIRING
     * record on topic.customer.alerts (read_committed) minus the time its send() was called. Unlike the
     * equity latency there is no inference: every probe's own alert is seen.
     */
    @Override
    void run() throws Exception {
        PipelineConfig config = config("alertlatency");
        if (config.closedLoop().segments().isEmpty()) {
            throw new IllegalArgumentException("alertlatency needs a watched segment (closedloop.segments is empty)");
        }
        String segment = config.closedLoop().segments().iterator().next();
        Touchpoint touchpoint = config.closedLoop().touchpoints().isEmpty() ? Touchpoint.DELIVERY
                : config.closedLoop().touchpoints().iterator().next();
        TopicAdmin.ensureTopics(config);
        CustomerJourneys journeys = new CustomerJourneys(Input.simulation(o.simulator, 48, o.customers, Duration.ofMillis(1)), Instant.now());
        int rate = o.alertRate;
        long total = (long) rate * o.rateSeconds;
        int probes = (int) Math.max(1, Math.min(total, (long) o.alertProbes * o.rateSeconds));
        long every = total / probes; // one probe after every `every` events of traffic
        long[] probeSentAt = new long[probes];
        Map<String, Object> r = new LinkedHashMap<>();
        try (KafkaProducer<String, byte[]> producer = Input.producer(broker.bootstrapServers(), 5)) {
            int profiles = Input.sendProfiles(producer, journeys, config.topics().profiles(), serdes);
            Serializer<CustomerProfile> profileSer = serdes.profile().serializer();
            for (int k = 0; k < probes; k++) {
                CustomerProfile profile = CustomerProfile.newBuilder().setCustomerId(probe(k)).setSegment(segment).setTier("gold")
                        .setValueWeight(5.0).setCustomerSince(null).build();
                producer.send(new ProducerRecord<>(config.topics().profiles(), probe(k), profileSer.serialize(config.topics().profiles(), profile)));
            }
            producer.flush();
            log("alertlatency: %,d profiles and %,d probe customers (%s) written; starting the pipeline", profiles, probes, segment);
            try (AlertWatcher alerts = new AlertWatcher(broker.bootstrapServers(), config.topics().customerAlerts(), PROBE_PREFIX,
                    new ConfluentAvroSerde<>(registry, CustomerAlert.class, false).deserializer());
                 Pipeline pipeline = new Pipeline(config).start()) {
                awaitRunning(pipeline.streams(), Duration.ofSeconds(60));
                String topic = config.topics().interactions();
                Serializer<CustomerInteraction> ser = serdes.interaction().serializer();
                double loadBefore = Machine.load1();
                Pacer pacer = new Pacer(rate);
                long t0 = pacer.startNanos();
                long measuredFrom = t0 + TimeUnit.SECONDS.toNanos(o.warmupSeconds);
                int sent = 0;
                for (long i = 0; i < total; i++) {
                    pacer.awaitSend(i);
                    CustomerInteraction e = journeys.next(Instant.now());
                    producer.send(new ProducerRecord<>(topic, e.getCustomerId(), ser.serialize(topic, e)));
                    if (i % every == every / 2 && sent < probes) {
                        CustomerInteraction p = failedDelivery(PROBE_PREFIX + "event-" + sent, probe(sent), touchpoint);
                        byte[] value = ser.serialize(topic, p);
                        probeSentAt[sent] = System.nanoTime();
                        producer.send(new ProducerRecord<>(topic, p.getCustomerId(), value));
                        sent++;
                    }
                }
                producer.flush();
                double sendSeconds = (System.nanoTime() - t0) / 1e9;
                long done = alerts.awaitFired(sent, Duration.ofSeconds(o.latencyDrainSeconds));
                long drainedAt = done < 0 ? System.nanoTime() : done;
                long[] lat = new long[sent];
                int n = 0;
                int missing = 0;
                for (int k = 0; k < sent; k++) {
                    Long seen = alerts.firstFiring(probe(k));
                    if (seen == null) missing++;
                    if (probeSentAt[k] < measuredFrom) continue;
                    lat[n++] = (seen == null ? drainedAt : seen) - probeSentAt[k];
                }
                long[] sorted = Arrays.copyOf(lat, n);
                Arrays.sort(sorted);
                r.put("targetEventsPerSecond", rate);
                r.put("achievedSendEventsPerSecond", Math.round((total + sent) / sendSeconds));
                r.put("producerMaxBehindScheduleMs", round(pacer.maxBehindNanos() / 1e6, 1));
                r.put("probesSent", sent);
                r.put("probesMeasured", n);
                r.put("probesWithoutAlert", missing);
                r.put("p50Ms", n == 0 ? -1 : round(quantile(sorted, 0.50) / 1e6, 1));
                r.put("p90Ms", n == 0 ? -1 : round(quantile(sorted, 0.90) / 1e6, 1));
                r.put("p99Ms", n == 0 ? -1 : round(quantile(sorted, 0.99) / 1e6, 1));
                r.put("maxMs", n == 0 ? -1 : round(sorted[n - 1] / 1e6, 1));
                r.put("otherFiringAlerts", alerts.otherFiring());
                r.put("load1Before", loadBefore);
                r.put("load1", Machine.load1());
                log("alertlatency: %,d events/s target (%,d achieved), %,d probes: produce to FIRING alert p50 %s ms, p99 %s ms, max %s ms%s"
                                + "; %,d other FIRING alerts (load %.2f)",
                        rate, r.get("achievedSendEventsPerSecond"), n, r.get("p50Ms"), r.get("p99Ms"), r.get("maxMs"),
                        missing == 0 ? "" : " -- " + missing + " probes without an alert after " + o.latencyDrainSeconds + " s (figures are lower bounds)",
                        alerts.otherFiring(), Machine.load1());
                table.add("| alertlatency | " + fmt(rate) + " events/s (" + fmt(((Number) r.get("achievedSendEventsPerSecond")).doubleValue())
                        + " sent), produce to at-risk alert, " + fmt(n) + " probes | p50 " + r.get("p50Ms") + " ms, p99 " + r.get("p99Ms")
                        + " ms, max " + r.get("maxMs") + " ms" + (missing == 0 ? "" : " (lower bounds: " + missing + " probes without alert)")
                        + " | load " + r.get("load1") + " |");
            }
        }
        results.put("alertLatency", r);
    }

    /** A probe: a failed delivery rated 1 (x = -1, detractor-level) at the wall clock, the first event of its customer. */
    static CustomerInteraction failedDelivery(String eventId, String customer, Touchpoint touchpoint) {
        return CustomerInteraction.newBuilder().setEventId(eventId).setCustomerId(customer).setEventTime(Instant.now())
                .setTouchpoint(touchpoint).setStage(LifecycleStage.PURCHASE).setChannel("partner").setOutcome(Outcome.FAILURE)
                .setRating(1).build();
    }

    private static String probe(int k) {
        return String.format("%s%06d", PROBE_PREFIX, k);
    }
}
