package org.brandequity.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.brandequity.avro.BrandEquity;
import org.brandequity.avro.CustomerInteraction;
import org.brandequity.avro.CustomerProfile;
import org.brandequity.avro.SegmentContribution;
import org.brandequity.cluster.TopicAdmin;
import org.brandequity.config.PipelineConfig;
import org.brandequity.sim.CustomerJourneys;
import org.brandequity.sim.SimulationConfig;
import org.brandequity.topology.AppSerdes;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Exactly-once under a hard crash: the pipeline, running in a child JVM, is SIGKILLed half-way
 * through a fixed input, then restarted with the same application id and state directory. Its final
 * brand equity must equal that of an uninterrupted run over the same input: every event counted
 * once (including re-sent duplicates), none lost, none folded twice by a replayed, uncommitted batch.
 */
class ExactlyOnceCrashTest {
    private static final int INTERACTIONS = 30_000;
    private static final int CUSTOMERS = 500;
    private static final long SPACING_MS = 10;
    /** Share of events re-sent later as exact copies (same event id), on top of the generator's own duplicates. */
    private static final double RESEND_SHARE = 0.02;

    private static RealCluster cluster;

    @BeforeAll
    static void start() throws Exception {
        cluster = new RealCluster();
    }

    @AfterAll
    static void stop() {
        cluster.close();
    }

    @Test
    void killingTheAppMidStreamAndRestartingGivesTheSameEquityAsAnUninterruptedRun() throws Exception {
        long testStart = System.nanoTime();
        AppSerdes serdes = new AppSerdes(cluster.registry);
        PipelineConfig reference = cluster.config("eos-reference", outputTopics("eos-reference"));
        PipelineConfig.Topics in = reference.topics();
        TopicAdmin.ensureTopics(reference);

        long expected = produceInput(serdes, in);

        // Reference: one uninterrupted in-process run.
        long refStart = System.nanoTime();
        BrandEquity expectedEquity;
        try (Pipeline pipeline = new Pipeline(reference).start()) {
            expectedEquity = awaitEvents(serdes, reference.topics().equity(), expected, Duration.ofSeconds(90));
        }
        long refMs = millisSince(refStart);
        System.out.printf("EOS reference run: %d events folded in %d ms; stock=%.12f volume=%.12f index=%.9f%n",
                expectedEquity.getEvents(), refMs, expectedEquity.getStock(), expectedEquity.getVolume(), expectedEquity.getIndex());

        // Crash run: a child JVM, so that SIGKILL really skips every shutdown path (no close, no commit).
        Map<String, String> crashTopics = outputTopics("eos-crash");
        String equityTopic = crashTopics.get("topic.equity");
        Path stateDir = cluster.dir.resolve("state-eos-crash");
        Map<String, String> crashSettings = new HashMap<>(crashTopics);
        // Smaller batches mean more, smaller transactions, so the kill lands between commits mid-stream.
        crashSettings.put("kafka.max.poll.records", "200");
        List<String> command = cluster.runCommand("eos-crash", stateDir, crashSettings);

        long crashStart = System.nanoTime();
        Process first = RealCluster.startProcess(command, cluster.dir.resolve("eos-crash-1.log"));
        long seenBeforeKill;
        try {
            // Kill at the first committed equity update that shows a partial fold.
            List<ConsumerRecord<byte[], byte[]>> partial = cluster.readUntil(equityTopic,
                    read -> !read.isEmpty() && latest(serdes, equityTopic, read).getEvents() > 0, Duration.ofSeconds(90));
            seenBeforeKill = latest(serdes, equityTopic, partial).getEvents();
        } finally {
            first.destroyForcibly();
            assertTrue(first.waitFor(30, TimeUnit.SECONDS), "the killed child JVM exits");
        }
        long killedAtMs = millisSince(crashStart);
        // What the killed instance had committed: its open transaction (if any) stays invisible to read_committed.
        BrandEquity atKill = committedLatest(serdes, equityTopic);
        long committedAtKill = atKill == null ? 0 : atKill.getEvents();
        System.out.printf("EOS crash run: SIGKILL after %d ms; equity seen before kill: %d events; committed at kill: %d of %d%n",
                killedAtMs, seenBeforeKill, committedAtKill, expected);
        assertTrue(committedAtKill > 0 && committedAtKill < expected,
                "the kill must land mid-stream: committed " + committedAtKill + " of " + expected);

        long restartStart = System.nanoTime();
        Process second = RealCluster.startProcess(command, cluster.dir.resolve("eos-crash-2.log"));
        BrandEquity actual;
        try {
            actual = awaitEvents(serdes, equityTopic, expected, Duration.ofSeconds(120));
        } finally {
            second.destroy();
            if (!second.waitFor(45, TimeUnit.SECONDS)) {
                second.destroyForcibly().waitFor(15, TimeUnit.SECONDS);
            }
        }
        long restartMs = millisSince(restartStart);
        System.out.printf("EOS crash run: restarted instance reached %d events in %d ms; stock=%.12f volume=%.12f index=%.9f%n",
                actual.getEvents(), restartMs, actual.getStock(), actual.getVolume(), actual.getIndex());

        assertEquals(expected, actual.getEvents(), "every distinct event counted exactly once");
        assertEquals(expectedEquity.getAsOf(), actual.getAsOf());
        assertRelativelyEqual(expectedEquity.getStock(), actual.getStock(), "stock");
        assertRelativelyEqual(expectedEquity.getVolume(), actual.getVolume(), "volume");
        assertEquals(expectedEquity.getIndex(), actual.getIndex(), 1e-6, "index");
        Map<String, SegmentContribution> refSegments = bySegment(expectedEquity);
        Map<String, SegmentContribution> gotSegments = bySegment(actual);
        assertEquals(refSegments.keySet(), gotSegments.keySet(), "segments");
        refSegments.forEach((name, ref) -> {
            assertRelativelyEqual(ref.getContribution(), gotSegments.get(name).getContribution(), "contribution of " + name);
            assertRelativelyEqual(ref.getVolume(), gotSegments.get(name).getVolume(), "volume of " + name);
        });
        // CustomerJourneys only generates valid events, and duplicates are dropped silently, so neither run dead-letters anything.
        assertEquals(0, committedCount(reference.topics().deadLetters()), "reference dead letters");
        assertEquals(0, committedCount(crashTopics.get("topic.dead.letters")), "crash-run dead letters");
        System.out.printf("EOS crash test: total %d ms%n", millisSince(testStart));
    }

    /**
     * Produces the journeys' profiles, then the interactions with extra exact re-sends; returns the
     * number of distinct event ids, which is what a correct pipeline folds into equity.
     */
    private static long produceInput(AppSerdes serdes, PipelineConfig.Topics in) {
        Properties p = new Properties();
        p.setProperty("simulator.seed", "20240607");
        p.setProperty("simulator.customers", Integer.toString(CUSTOMERS));
        p.setProperty("simulator.step", SPACING_MS + "ms");
        p.setProperty("simulator.rate", "0");
        // Late events stay well inside the 10m window grace, so the lateness gate passes them all.
        p.setProperty("simulator.max.lateness", "30s");
        Instant start = Instant.now().minus(Duration.ofHours(1));
        CustomerJourneys journeys = new CustomerJourneys(SimulationConfig.fromProperties(p), start);
        SplittableRandom resend = new SplittableRandom(7);

        List<CustomerInteraction> events = new ArrayList<>(INTERACTIONS + INTERACTIONS / 20);
        for (int i = 0; i < INTERACTIONS; i++) {
            CustomerInteraction e = journeys.next(start.plusMillis(i * SPACING_MS));
            events.add(e);
            // A retrying upstream re-sends an earlier event, possibly long after the original.
            if (resend.nextDouble() < RESEND_SHARE) {
                events.add(CustomerInteraction.newBuilder(events.get(resend.nextInt(events.size()))).build());
            }
        }
        Set<String> ids = new HashSet<>();
        events.forEach(e -> ids.add(e.getEventId()));

        List<CustomerProfile> profiles = journeys.profiles();
        try (KafkaProducer<String, byte[]> producer = cluster.producer()) {
            for (CustomerProfile profile : profiles) {
                producer.send(new ProducerRecord<>(in.profiles(), profile.getCustomerId(),
                        serdes.profile().serializer().serialize(in.profiles(), profile)));
            }
            producer.flush();
            for (CustomerInteraction e : events) {
                producer.send(new ProducerRecord<>(in.interactions(), e.getCustomerId(),
                        serdes.interaction().serializer().serialize(in.interactions(), e)));
            }
            producer.flush();
        }
        System.out.printf("EOS input: %d profiles, %d interaction records, %d distinct event ids (%d duplicates)%n",
                profiles.size(), events.size(), ids.size(), events.size() - ids.size());
        return ids.size();
    }

    /** Each run writes its own output topics; the input topics are shared. */
    private static Map<String, String> outputTopics(String run) {
        return Map.of(
                "topic.customer.scores", run + "-customer-scores",
                "topic.segment.scores", run + "-segment-scores",
                "topic.equity", run + "-equity",
                "topic.alerts", run + "-alerts",
                "topic.dead.letters", run + "-dead-letters");
    }

    /** Waits until the latest committed equity record has folded {@code expected} events; fails if it overshoots. */
    private static BrandEquity awaitEvents(AppSerdes serdes, String topic, long expected, Duration timeout) {
        List<ConsumerRecord<byte[], byte[]>> read = cluster.readUntil(topic,
                r -> !r.isEmpty() && latest(serdes, topic, r).getEvents() >= expected, timeout);
        BrandEquity last = latest(serdes, topic, read);
        assertEquals(expected, last.getEvents(), "events folded into " + topic);
        return last;
    }

    /** The brand's equity record with the highest offset (one brand key, so one partition). */
    private static BrandEquity latest(AppSerdes serdes, String topic, List<ConsumerRecord<byte[], byte[]>> read) {
        return serdes.brandEquity().deserializer().deserialize(topic, read.get(read.size() - 1).value());
    }

    /** Reads {@code topic} read_committed up to its last stable offset; the latest equity record, or null. */
    private static BrandEquity committedLatest(AppSerdes serdes, String topic) {
        List<ConsumerRecord<byte[], byte[]>> all = cluster.readCommitted(topic);
        return all.isEmpty() ? null : latest(serdes, topic, all);
    }

    private static long committedCount(String topic) {
        return cluster.readCommitted(topic).size();
    }

    private static Map<String, SegmentContribution> bySegment(BrandEquity e) {
        Map<String, SegmentContribution> m = new HashMap<>();
        e.getSegments().forEach(s -> m.put(s.getSegment(), s));
        return m;
    }

    /** Floating-point sums folded in another order differ in the last bits only. */
    private static void assertRelativelyEqual(double expected, double actual, String what) {
        double tolerance = 1e-9 * Math.max(Math.abs(expected), Math.abs(actual));
        assertEquals(expected, actual, tolerance, what + ": expected " + expected + " but was " + actual);
    }

    private static long millisSince(long nanos) {
        return (System.nanoTime() - nanos) / 1_000_000;
    }
}
