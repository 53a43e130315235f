package org.brandequity.bench;

import java.time.Duration;
import java.time.Instant;
import java.util.BitSet;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.brandequity.avro.CustomerInteraction;
import org.brandequity.avro.CustomerProfile;
import org.brandequity.config.PipelineConfig;
import org.brandequity.sim.CustomerJourneys;
import org.brandequity.sim.SimulationConfig;
import org.brandequity.topology.AppSerdes;

/** Writes simulated input in the Confluent wire format, as an upstream producer would. */
final class Input {
    private Input() {}

    /** What a preload wrote. {@code distinct} valid event ids are what a correct pipeline folds. */
    record Preloaded(long records, long distinct, int profiles, int customersTouched, long closedCustomerWindows, long millis,
                     Instant lastEventTime) {}

    /** The simulator as the bench drives it: {@code user}'s simulator keys, then the bench's seed, customers, rate and step. */
    static SimulationConfig simulation(Map<String, String> user, long seed, int customers, Duration step) {
        Properties p = new Properties();
        p.putAll(user);
        p.setProperty("simulator.seed", Long.toString(seed));
        p.setProperty("simulator.customers", Integer.toString(customers));
        p.setProperty("simulator.rate", "0");
        p.setProperty("simulator.step", step.toMillis() + "ms");
        // Defaults otherwise: 1% re-sent duplicates, 1% late events (at most 5 min, inside the 10 min
        // grace, so none is a dead letter), 15% high-value, 2% without profile, the default incident.
        return SimulationConfig.fromProperties(p);
    }

    static KafkaProducer<String, byte[]> producer(String bootstrap, int lingerMs) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        p.put(ProducerConfig.LINGER_MS_CONFIG, lingerMs);
        p.put(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
        p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        p.put(ProducerConfig.BUFFER_MEMORY_CONFIG, 64L * 1024 * 1024);
        // The topics were created a moment before: see Simulator.producerConfig for the lost first
        // batch that more than one request in flight led to (the latency phase lost one of profiles).
        p.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 1);
        return new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
    }

    static int sendProfiles(KafkaProducer<String, byte[]> producer, CustomerJourneys journeys, String topic, AppSerdes serdes) {
        Serializer<CustomerProfile> ser = serdes.profile().serializer();
        int n = 0;
        for (CustomerProfile profile : journeys.profiles()) {
            producer.send(new ProducerRecord<>(topic, profile.getCustomerId(), ser.serialize(topic, profile)));
            n++;
        }
        producer.flush();
        return n;
    }

    /**
     * Profiles, then {@code events} interactions spaced {@code step} apart in event time, ending about
     * a minute before now (no event lies in the future).
     */
    static Preloaded preload(PipelineConfig config, AppSerdes serdes, Map<String, String> simulator, int customers, long events, Duration step, long seed) {
        long started = System.nanoTime();
        SimulationConfig sim = simulation(simulator, seed, customers, step);
        Instant start = Instant.now().minus(step.multipliedBy(events)).minus(Duration.ofMinutes(1));
        CustomerJourneys journeys = new CustomerJourneys(sim, start);
        String interactions = config.topics().interactions();
        Serializer<CustomerInteraction> ser = serdes.interaction().serializer();
        BitSet touched = new BitSet(customers + 1);
        ClosedWindows closed = new ClosedWindows(config, customers);
        int profiles;
        try (KafkaProducer<String, byte[]> producer = producer(config.bootstrapServers(), 20)) {
            profiles = sendProfiles(producer, journeys, config.topics().profiles(), serdes);
            System.out.printf("  %,d profiles in %,d ms%n", profiles, (System.nanoTime() - started) / 1_000_000);
            long stepMs = step.toMillis();
            for (long i = 0; i < events; i++) {
                CustomerInteraction e = journeys.next(start.plusMillis(i * stepMs));
                int number = customerNumber(e.getCustomerId());
                touched.set(number);
                closed.add(e.getCustomerId(), number, e.getEventTime().toEpochMilli());
                producer.send(new ProducerRecord<>(interactions, e.getCustomerId(), ser.serialize(interactions, e)));
                if ((i + 1) % (events / 10 + 1) == 0) {
                    System.out.printf("  %,d interactions sent after %,d ms%n", i + 1, (System.nanoTime() - started) / 1_000_000);
                }
            }
            producer.flush();
        }
        return new Preloaded(events, journeys.generated(), profiles, touched.cardinality(), closed.expected(),
                (System.nanoTime() - started) / 1_000_000, start.plusMillis((events - 1) * step.toMillis()));
    }

    /**
     * {@code events} interactions of the same customers (their profiles already sent), event times
     * uniform in {@code [from, to]} and in random order: a backfill or a late export.
     */
    static Preloaded preloadBehind(PipelineConfig config, AppSerdes serdes, Map<String, String> simulator, int customers,
                                   long events, Instant from, Instant to, long seed) {
        long started = System.nanoTime();
        SimulationConfig sim = simulation(simulator, seed, customers, Duration.ofMillis(1));
        CustomerJourneys journeys = new CustomerJourneys(sim, from);
        String interactions = config.topics().interactions();
        Serializer<CustomerInteraction> ser = serdes.interaction().serializer();
        java.util.Random random = new java.util.Random(seed);
        long span = to.toEpochMilli() - from.toEpochMilli();
        BitSet touched = new BitSet(customers + 1);
        try (KafkaProducer<String, byte[]> producer = producer(config.bootstrapServers(), 20)) {
            for (long i = 0; i < events; i++) {
                CustomerInteraction e = journeys.next(from.plusMillis((long) (random.nextDouble() * span)));
                touched.set(customerNumber(e.getCustomerId()));
                producer.send(new ProducerRecord<>(interactions, e.getCustomerId(), ser.serialize(interactions, e)));
            }
            producer.flush();
        }
        return new Preloaded(events, journeys.generated(), 0, touched.cardinality(), 0, (System.nanoTime() - started) / 1_000_000, to);
    }

    /** "cust-000123" → 123. */
    static int customerNumber(String id) {
        return Integer.parseInt(id, id.indexOf('-') + 1, id.length(), 10);
    }
}
