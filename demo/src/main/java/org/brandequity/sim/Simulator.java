package org.brandequity.sim;

import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.brandequity.avro.CustomerInteraction;
import org.brandequity.avro.CustomerProfile;
import org.brandequity.wire.ConfluentAvroSerde;
import org.brandequity.wire.SchemaRegistryClient;

/**
 * Produces the simulated customers to Kafka: every profile first, then interactions keyed by
 * customer id, in the Confluent Avro wire format.
 *
 * <p>Event time starts at {@link SimulationConfig#startAt} and advances with the produced
 * interactions. With a rate, interactions are paced against the wall clock and event time
 * follows it; with rate 0 they are produced as fast as the producer takes them and event time
 * advances by {@link SimulationConfig#step()} per interaction, so a preload still spreads over
 * realistic time.
 *
 * <p>{@link #run()} blocks on the calling thread; {@link #stop()} and {@link #sent()} may be
 * called from any other (a shutdown hook, a progress printer). Close after run returns.
 */
public final class Simulator implements AutoCloseable {

    /** Pacing sleeps at least this long, so that high rates are produced in batches, not per event. */
    private static final long MIN_SLEEP_NANOS = TimeUnit.MILLISECONDS.toNanos(5);
    /** Longest single sleep, so that stop() is honoured promptly even at a rate of 1 event/s. */
    private static final long MAX_SLEEP_NANOS = TimeUnit.MILLISECONDS.toNanos(100);
    /**
     * Falling further behind than this (a GC pause, a slow broker) forgets the backlog instead of
     * bursting to catch up, which would also make event time run ahead of the wall clock.
     */
    private static final long MAX_BACKLOG_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final SimulationConfig config;
    private final Producer<String, byte[]> producer;
    private final Serializer<CustomerInteraction> interactionSerializer;
    private final Serializer<CustomerProfile> profileSerializer;
    private final String interactionsTopic;
    private final String profilesTopic;
    private final Clock clock;

    private final AtomicBoolean started = new AtomicBoolean();
    private volatile boolean stopped;
    private volatile long sent;
    private final AtomicReference<Exception> sendFailure = new AtomicReference<>();
    private final Callback onCompletion = (metadata, exception) -> {
        if (exception != null) sendFailure.compareAndSet(null, exception);
    };

    /**
     * @param producerProperties Kafka producer settings, at least {@code bootstrap.servers}; they
     *     may override compression, linger and batching, but not acks and idempotence
     * @param registry shared schema registry client, not closed by this simulator
     */
    public Simulator(SimulationConfig config, Map<String, ?> producerProperties, SchemaRegistryClient registry,
                     String interactionsTopic, String profilesTopic) {
        this(config, new KafkaProducer<>(producerConfig(producerProperties), new StringSerializer(),
                new ByteArraySerializer()), registry, interactionsTopic, profilesTopic, Clock.systemUTC());
    }

    /** For tests: any producer (a MockProducer) and clock; the simulator closes the producer. */
    Simulator(SimulationConfig config, Producer<String, byte[]> producer, SchemaRegistryClient registry,
              String interactionsTopic, String profilesTopic, Clock clock) {
        this.config = Objects.requireNonNull(config, "config");
        this.producer = Objects.requireNonNull(producer, "producer");
        this.interactionSerializer = new ConfluentAvroSerde<>(registry, CustomerInteraction.class, false).serializer();
        this.profileSerializer = new ConfluentAvroSerde<>(registry, CustomerProfile.class, false).serializer();
        this.interactionsTopic = Objects.requireNonNull(interactionsTopic, "interactionsTopic");
        this.profilesTopic = Objects.requireNonNull(profilesTopic, "profilesTopic");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    static Map<String, Object> producerConfig(Map<String, ?> overrides) {
        Map<String, Object> p = new HashMap<>();
        p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        p.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        p.put(ProducerConfig.BATCH_SIZE_CONFIG, 64 * 1024);
        p.put(ProducerConfig.CLIENT_ID_CONFIG, "brand-equity-simulator");
        p.putAll(overrides);
        // Idempotence keeps producer retries from adding duplicates of their own: the only
        // repeated event ids on the topic are the deliberate ones the config asks for.
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        // One request in flight per connection: the simulator writes into topics created a moment
        // before. Seen with Kafka 4.3.1: the first batch to a new partition is refused as "not leader",
        // the second is accepted with a later sequence number, and the retried first batch is then
        // refused as out of order until the delivery timeout drops it. One in flight keeps the order.
        p.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 1);
        return p;
    }

    /**
     * Publishes every profile and waits for them to be acknowledged, then produces interactions
     * until {@link SimulationConfig#totalEvents()} are sent or {@link #stop()} is called, and
     * flushes. Runs once.
     *
     * @return the number of interactions sent
     * @throws IllegalStateException when called twice
     * @throws SimulationFailedException when Kafka refuses a record; the run stops at the first one
     */
    public long run() {
        if (!started.compareAndSet(false, true)) {
            throw new IllegalStateException("A simulator runs once");
        }
        // Read together: pacing counts from here, so event time matches the wall clock even though
        // the profiles go first (the interactions due meanwhile follow as one catch-up batch).
        long runStartNanos = System.nanoTime();
        CustomerJourneys journeys = new CustomerJourneys(config, config.startAt(clock.instant()));
        publishProfiles(journeys.profiles());
        if (config.rate() > 0) {
            paced(journeys, runStartNanos);
        } else {
            unpaced(journeys);
        }
        producer.flush();
        failIfSendFailed();
        return sent;
    }

    /** Asks {@link #run()} to return after the batch in flight; safe from any thread, idempotent. */
    public void stop() {
        stopped = true;
    }

    /** Interactions handed to the producer so far (duplicates included). */
    public long sent() {
        return sent;
    }

    public SimulationConfig config() {
        return config;
    }

    /** Stops a run still in progress and closes the producer, waiting for records in flight. */
    @Override
    public void close() {
        stop();
        producer.close();
    }

    private void publishProfiles(List<CustomerProfile> profiles) {
        for (CustomerProfile profile : profiles) {
            if (stopped) return;
            String key = profile.getCustomerId().toString();
            producer.send(new ProducerRecord<>(profilesTopic, key, profileSerializer.serialize(profilesTopic, profile)),
                    onCompletion);
        }
        // Interactions must find their customer's profile: the pipeline would otherwise count an
        // early interaction as unassigned.
        producer.flush();
        failIfSendFailed();
    }

    private void unpaced(CustomerJourneys journeys) {
        Instant start = journeys.start();
        double stepMillis = config.eventSpacingMillis();
        long i = 0;
        while (!stopped && !done()) {
            send(journeys.next(start.plusMillis((long) (i * stepMillis))));
            i++;
            if ((i & 1023) == 0) failIfSendFailed();
        }
    }

    /**
     * Event i is due at {@code origin + i / rate}. Each round sends everything due, then sleeps
     * until a batch of at least {@link #MIN_SLEEP_NANOS} worth of events is due again: the
     * average rate is exact however coarse the sleeps are.
     */
    private void paced(CustomerJourneys journeys, long runStart) {
        double nanosPerEvent = 1e9 / config.rate();
        long batch = Math.max(1, (long) Math.ceil(MIN_SLEEP_NANOS / nanosPerEvent));
        long origin = runStart;
        long i = 0;
        while (!stopped && !done()) {
            long now = System.nanoTime();
            long due = (long) ((now - origin) / nanosPerEvent) + 1;
            if (due <= i) {
                long wake = origin + (long) ((i + batch - 1) * nanosPerEvent);
                LockSupport.parkNanos(Math.min(MAX_SLEEP_NANOS, Math.max(0, wake - now)));
                continue;
            }
            if ((due - i) * nanosPerEvent > MAX_BACKLOG_NANOS) {
                origin = now - (long) (i * nanosPerEvent);
                due = i + 1;
            }
            long offsetNanos = origin - runStart;
            for (; i < due && !stopped && !done(); i++) {
                long eventNanos = offsetNanos + (long) (i * nanosPerEvent);
                send(journeys.next(journeys.start().plusMillis(eventNanos / 1_000_000)));
            }
            failIfSendFailed();
        }
    }

    private boolean done() {
        return config.totalEvents() > 0 && sent >= config.totalEvents();
    }

    private void send(CustomerInteraction event) {
        String key = event.getCustomerId().toString();
        producer.send(new ProducerRecord<>(interactionsTopic, key,
                interactionSerializer.serialize(interactionsTopic, event)), onCompletion);
        // Only the run thread writes; volatile makes the count visible to a progress display.
        sent = sent + 1;
    }

    private void failIfSendFailed() {
        Exception failure = sendFailure.get();
        if (failure != null) {
            stopped = true;
            throw new SimulationFailedException("Kafka refused a simulated record after " + sent
                    + " interactions: " + failure.getMessage(), failure);
        }
    }

    /** Kafka refused a record (topic missing, not authorised, broker gone past the delivery timeout). */
    public static final class SimulationFailedException extends RuntimeException {
        SimulationFailedException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
