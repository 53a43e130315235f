package org.brandequity.runtime;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.Map;
import java.util.Properties;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.apache.avro.Schema;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.brandequity.avro.CustomerInteraction;
import org.brandequity.avro.CustomerProfile;
import org.brandequity.avro.LifecycleStage;
import org.brandequity.avro.Touchpoint;
import org.brandequity.config.PipelineConfig;
import org.brandequity.topology.AppSerdes;
import org.brandequity.topology.BrandEquityTopology;
import org.brandequity.topology.Counters;
import org.brandequity.topology.StreamsSettings;
import org.brandequity.wire.SchemaRegistryClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs synthetic events through this instance's own topology in memory, before the instance joins
 * its consumer group, so that the JIT has compiled the per-event path (validation, the ledger and its
 * RocksDB store, scoring, windows, pre-aggregation, the Avro serdes) before the first real event. A
 * fresh JVM under load otherwise spends its first seconds interpreting that path while the compiler
 * threads take the cores the stream threads need: the first alerts then wait seconds
 * (docs/benchmark.md, "Warm start").
 *
 * <p>Nothing leaves the process: Kafka Streams' {@link TopologyTestDriver} runs the topology on this
 * thread, with its own state directory (deleted afterwards), an in-memory schema registry and
 * counters of its own, so the instance's metrics, topics and registry never see the synthetic events.
 * The events cover the paths a real stream takes: on-time events of many customers with survey
 * answers, profiles, duplicates, late events behind closed windows and detractors that fire at-risk
 * alerts, with wall-clock time advanced so that the equity flush runs.
 */
final class StartupWarmup {
    private static final Logger log = LoggerFactory.getLogger(StartupWarmup.class);
    private static final Touchpoint[] TOUCHPOINTS = Touchpoint.values();
    private static final LifecycleStage[] STAGES = LifecycleStage.values();
    private static final int CUSTOMERS = 2_000;

    private StartupWarmup() {}

    /** Runs {@code events} synthetic interactions through the topology of {@code config}; returns how long it took. */
    static Duration run(PipelineConfig config, int events) {
        long start = System.nanoTime();
        Path stateDir;
        try {
            stateDir = Files.createTempDirectory("brand-equity-warmup");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Counters counters = new Counters(new SimpleMeterRegistry());
        AppSerdes serdes = new AppSerdes(new LocalRegistry());
        Properties props = StreamsSettings.of(config, counters);
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, config.applicationId() + "-warmup");
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        props.remove(StreamsConfig.APPLICATION_SERVER_CONFIG);
        Instant now = Instant.now();
        try (TopologyTestDriver driver = new TopologyTestDriver(BrandEquityTopology.build(config, serdes, counters), props, now)) {
            PipelineConfig.Topics t = config.topics();
            TestInputTopic<String, CustomerProfile> profiles =
                    driver.createInputTopic(t.profiles(), serdes.string().serializer(), serdes.profile().serializer());
            TestInputTopic<String, CustomerInteraction> interactions =
                    driver.createInputTopic(t.interactions(), serdes.string().serializer(), serdes.interaction().serializer());
            SplittableRandom random = new SplittableRandom(42);
            for (int c = 0; c < CUSTOMERS; c += 4) {
                profiles.pipeInput(customer(c), CustomerProfile.newBuilder().setCustomerId(customer(c))
                        .setSegment(c % 8 == 0 ? "high-value" : "broad-base").setValueWeight(1 + c % 3).setTier(null).build(), 0L);
            }
            // Event time spans several windows, so that windows close and late events revise them.
            long stepMs = Math.max(1, config.windows().size().toMillis() * 4 / Math.max(1, events));
            Instant time = now.minus(config.windows().size().multipliedBy(4));
            for (int i = 0; i < events; i++) {
                time = time.plusMillis(stepMs);
                String customer = customer(random.nextInt(CUSTOMERS));
                Instant eventTime = i % 50 == 49 ? time.minus(config.windows().size().plus(config.windows().grace())) : time;
                String id = i % 100 == 99 ? "warmup-" + (i - 1) : "warmup-" + i; // a late one, and a duplicate, now and then
                CustomerInteraction.Builder e = CustomerInteraction.newBuilder().setEventId(id).setCustomerId(customer)
                        .setEventTime(eventTime).setTouchpoint(TOUCHPOINTS[random.nextInt(TOUCHPOINTS.length)])
                        .setStage(STAGES[random.nextInt(STAGES.length)]);
                if (random.nextInt(3) == 0) {
                    e.setLikelihoodToRecommend(random.nextInt(11)).setRating(1 + random.nextInt(5)).setEffort(1 + random.nextInt(7));
                }
                interactions.pipeInput(customer, e.build(), eventTime);
                if (i % 1_000 == 999) driver.advanceWallClockTime(config.equityFlushInterval());
            }
        } finally {
            deleteQuietly(stateDir);
        }
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        log.info("Warm-up: {} synthetic events through the topology in memory in {} ms, before joining the group", events, took.toMillis());
        return took;
    }

    private static String customer(int n) {
        return "warmup-customer-" + n;
    }

    private static void deleteQuietly(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            log.warn("Could not delete the warm-up's state directory {}: {}", dir, e.toString());
        }
    }

    /** Schemas by id, in memory: the warm-up's serdes must not register anything in the real registry. */
    private static final class LocalRegistry implements SchemaRegistryClient {
        private final Map<Integer, Schema> byId = new ConcurrentHashMap<>();
        private final Map<Schema, Integer> ids = new ConcurrentHashMap<>();
        private final AtomicInteger next = new AtomicInteger(1);

        @Override
        public int register(String subject, Schema schema) {
            return ids.computeIfAbsent(schema, s -> {
                int id = next.getAndIncrement();
                byId.put(id, s);
                return id;
            });
        }

        @Override
        public Schema schemaById(int id) {
            Schema s = byId.get(id);
            if (s == null) throw new IllegalStateException("no schema " + id + " in the warm-up's registry");
            return s;
        }

        @Override
        public void close() {}
    }
}
