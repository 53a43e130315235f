package org.brandequity.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.brandequity.avro.CustomerInteraction;
import org.brandequity.wire.ConfluentAvroSerde;
import org.brandequity.wire.InMemorySchemaRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The producing side against a MockProducer: order, counts, pacing and event time. */
class SimulatorTest {
    private static final String INTERACTIONS = "customer-interactions";
    private static final String PROFILES = "customer-profiles";

    private final InMemorySchemaRegistry registry = new InMemorySchemaRegistry();
    private final Deserializer<CustomerInteraction> interactions =
            new ConfluentAvroSerde<>(registry, CustomerInteraction.class, false).deserializer();
    private final RecordingProducer producer = new RecordingProducer();

    @AfterEach
    void closeProducer() {
        producer.close();
    }

    private static SimulationConfig config(String... keyValues) {
        Properties p = new Properties();
        p.setProperty("simulator.customers", "500");
        for (int i = 0; i < keyValues.length; i += 2) p.setProperty(keyValues[i], keyValues[i + 1]);
        return SimulationConfig.fromProperties(p);
    }

    private Simulator simulator(SimulationConfig config) {
        return new Simulator(config, producer, registry, INTERACTIONS, PROFILES, Clock.systemUTC());
    }

    private List<ProducerRecord<String, byte[]>> sentTo(String topic) {
        return producer.history().stream().filter(r -> r.topic().equals(topic)).toList();
    }

    private CustomerInteraction decode(ProducerRecord<String, byte[]> record) {
        return interactions.deserialize(record.topic(), record.value());
    }

    @Test
    void everyProfileIsFlushedBeforeTheFirstInteractionIsSent() {
        simulator(config("simulator.rate", "0", "simulator.total.events", "2000")).run();

        List<String> topics = producer.history().stream().map(ProducerRecord::topic).toList();
        assertEquals(490, topics.lastIndexOf(PROFILES) + 1);
        assertEquals(490, topics.indexOf(INTERACTIONS));
        assertEquals(490, producer.flushedAt.get(0), "the first flush comes right after the profiles");
    }

    @Test
    void theConfiguredTotalOfInteractionsIsProducedKeyedByCustomerIdInTheWireFormat() {
        Simulator simulator = simulator(config("simulator.rate", "0", "simulator.total.events", "2000"));

        long returned = simulator.run();

        List<ProducerRecord<String, byte[]>> records = sentTo(INTERACTIONS);
        assertEquals(2000, records.size());
        assertEquals(2000, returned);
        assertEquals(2000, simulator.sent());
        records.forEach(r -> assertEquals(r.key(), decode(r).getCustomerId()));
        assertTrue(registry.subjects().containsAll(List.of("customer-interactions-value", "customer-profiles-value")),
                registry.subjects()::toString);
    }

    @Test
    void anUnpacedRunAdvancesEventTimeByTheStepFromTheStart() {
        simulator(config("simulator.rate", "0", "simulator.total.events", "1000", "simulator.step", "10ms",
                "simulator.start", "2025-01-01T00:00:00Z", "simulator.late.share", "0", "simulator.duplicate.share", "0"))
                .run();

        List<ProducerRecord<String, byte[]>> records = sentTo(INTERACTIONS);
        for (int i = 0; i < records.size(); i++) {
            assertEquals(Instant.parse("2025-01-01T00:00:00Z").plusMillis(10L * i), decode(records.get(i)).getEventTime());
        }
    }

    @ParameterizedTest(name = "{0} events/s")
    @CsvSource({"500, 250", "50000, 25000"})
    void aPacedRunHoldsTheConfiguredRate(int rate, int events) {
        warmUp();
        long runStart = System.nanoTime();

        simulator(config("simulator.rate", String.valueOf(rate), "simulator.total.events", String.valueOf(events))).run();

        List<Long> sentAt = producer.interactionSentAtNanos;
        assertEquals(events, sentAt.size());
        // The last event is due (events - 1) / rate after the start; profiles are sent in that time too.
        double expectedSeconds = (events - 1) / (double) rate;
        double seconds = (sentAt.get(events - 1) - runStart) / 1e9;
        // Never ahead of the rate; behind it by at most a factor of two plus half a second, which a
        // loaded CI machine meets and a pacing bug (say, a sleep per event) does not. How fast the
        // simulator can go is the benchmark's business.
        assertTrue(seconds >= expectedSeconds, events + " events took " + seconds + " s, ahead of the " + expectedSeconds + " s due");
        assertTrue(seconds <= expectedSeconds * 2 + 0.5, events + " events took " + seconds + " s, expected " + expectedSeconds + " s");
    }

    /** A cold JVM generates several times slower than a warm one; the rate is a steady-state promise. */
    private void warmUp() {
        try (MockProducer<String, byte[]> other = new MockProducer<>(true, null, new StringSerializer(), new ByteArraySerializer())) {
            new Simulator(config("simulator.rate", "0", "simulator.total.events", "50000"), other, registry,
                    INTERACTIONS, PROFILES, Clock.systemUTC()).run();
        }
    }

    @Test
    void aPacedRunStampsEventTimeFromTheWallClock() {
        simulator(config("simulator.rate", "2000", "simulator.total.events", "1000", "simulator.late.share", "0",
                "simulator.duplicate.share", "0")).run();

        List<ProducerRecord<String, byte[]>> records = sentTo(INTERACTIONS);
        for (int i = 0; i < records.size(); i++) {
            long skew = decode(records.get(i)).getEventTime().toEpochMilli() - producer.interactionSentAtMillis.get(i);
            assertTrue(Math.abs(skew) < 250, "event " + i + " is " + skew + " ms off the wall clock");
        }
    }

    @Test
    void stopEndsAnUnboundedRunFromAnotherThread() throws Exception {
        Simulator simulator = simulator(config("simulator.rate", "1000"));
        CompletableFuture<Long> run = CompletableFuture.supplyAsync(simulator::run);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (simulator.sent() < 100 && System.nanoTime() < deadline) Thread.sleep(5);

        simulator.stop();

        long sent = run.get(1, TimeUnit.SECONDS);
        assertTrue(sent >= 100, "sent " + sent);
        assertEquals(sent, sentTo(INTERACTIONS).size());
    }

    @Test
    void aRecordKafkaRefusesFailsTheRun() {
        producer.refuseWith = new TopicAuthorizationException("not authorised");

        Simulator.SimulationFailedException e = assertThrows(Simulator.SimulationFailedException.class,
                () -> simulator(config("simulator.rate", "0", "simulator.total.events", "100")).run());
        assertTrue(e.getCause() instanceof TopicAuthorizationException, e.toString());
        assertTrue(sentTo(INTERACTIONS).isEmpty());
    }

    @Test
    void aSimulatorRunsOnlyOnce() {
        Simulator simulator = simulator(config("simulator.rate", "0", "simulator.total.events", "10"));
        simulator.run();

        assertThrows(IllegalStateException.class, simulator::run);
    }

    @Test
    void callersTuneBatchingButCannotDropAcksAllIdempotenceOrOneRequestInFlight() {
        Map<String, Object> p = Simulator.producerConfig(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, "localhost:9092",
                ProducerConfig.ACKS_CONFIG, "1",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "false",
                ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 5,
                ProducerConfig.LINGER_MS_CONFIG, 20));

        assertEquals("all", p.get(ProducerConfig.ACKS_CONFIG));
        assertEquals(true, p.get(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG));
        assertEquals(1, p.get(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION));
        assertEquals(20, p.get(ProducerConfig.LINGER_MS_CONFIG));
        assertEquals("lz4", p.get(ProducerConfig.COMPRESSION_TYPE_CONFIG));
        assertFalse(Simulator.producerConfig(Map.of()).containsKey(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG));
    }

    /** Remembers when each interaction was sent and how many records preceded each flush. */
    private static final class RecordingProducer extends MockProducer<String, byte[]> {
        // Written under the producer's lock, read after the run has returned.
        final List<Integer> flushedAt = new ArrayList<>();
        final List<Long> interactionSentAtNanos = new ArrayList<>();
        final List<Long> interactionSentAtMillis = new ArrayList<>();
        volatile RuntimeException refuseWith;

        RecordingProducer() {
            super(true, null, new StringSerializer(), new ByteArraySerializer());
        }

        @Override
        public synchronized Future<RecordMetadata> send(ProducerRecord<String, byte[]> record, Callback callback) {
            if (refuseWith != null) {
                callback.onCompletion(null, refuseWith);
                return CompletableFuture.failedFuture(refuseWith);
            }
            if (record.topic().equals(INTERACTIONS)) {
                interactionSentAtNanos.add(System.nanoTime());
                interactionSentAtMillis.add(System.currentTimeMillis());
            }
            return super.send(record, callback);
        }

        @Override
        public synchronized void flush() {
            flushedAt.add(history().size());
            super.flush();
        }
    }
}
