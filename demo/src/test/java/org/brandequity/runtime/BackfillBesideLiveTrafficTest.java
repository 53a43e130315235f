package org.brandequity.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.brandequity.avro.BrandEquity;
import org.brandequity.avro.CustomerExperienceScore;
import org.brandequity.avro.CustomerInteraction;
import org.brandequity.avro.CustomerProfile;
import org.brandequity.avro.ScoreDropAlert;
import org.brandequity.avro.SegmentContribution;
import org.brandequity.avro.SegmentExperienceScore;
import org.brandequity.cluster.ClientProperties;
import org.brandequity.cluster.TopicAdmin;
import org.brandequity.config.PipelineConfig;
import org.brandequity.sim.SimulationConfig;
import org.brandequity.sim.Simulator;
import org.brandequity.topology.AppSerdes;
import org.brandequity.topology.BatchRecomputation;
import org.junit.jupiter.api.Test;

/**
 * A backfill beside live traffic, on the real broker and registry (issue 11): the simulator produces
 * live traffic at the wall clock while the pipeline (default settings: 1 h windows every 15 min,
 * grace 10 min, late.horizon 7 d) processes it; then a second simulator, another seed, produces about
 * 7 days of history as fast as it can, while the live one keeps going. Every history event is beyond
 * the grace and inside the horizon, so all of it goes through the late path.
 *
 * <p>The history starts 167 h (6 d 23 h) back, not 7 d: the default horizon is what a user backfills against,
 * and the hour of margin keeps the oldest events inside it however long the test runs (the stream
 * time moves by a minute or two).
 *
 * <p>The history simulator writes its profiles to a topic the pipeline does not read: both simulators
 * name their customers cust-00001..., and with another seed the same ids get other segments and value
 * weights, which would replace the live profiles at a moment no batch recomputation can know. A
 * history import carries interactions of the customers the live system already knows; their current
 * profiles apply.
 *
 * <p>Checked: the final equity equals the batch recomputation over every event read back from the
 * interactions topic (events exactly, stock, volume, index and segment slices within 1e-9 relative);
 * no dead letter; every history event counted as late (brandequity_late_events_revised); the latest
 * record of every closed customer window equals the window recomputed from all events, and each
 * window's records are numbered 0, 1, 2... in order; the same for every segment window over its
 * customer windows; no score-drop alert about a window of the history.
 */
class BackfillBesideLiveTrafficTest {
    private static final int CUSTOMERS = 300;
    private static final int LIVE_EVENTS = 8_000;
    private static final int LIVE_RATE = 200;
    private static final int HISTORY_EVENTS = 16_000;
    /** 16,000 events 36 s apart: 160 h of history, from 6 d 23 h to 7 h ago. */
    private static final String HISTORY_STEP = "36s";
    private static final String HISTORY_START = "now-167h";
    /** Live events the pipeline has counted before the backfill starts: every partition has a stream time by then. */
    private static final long LIVE_BEFORE_BACKFILL = 1_000;
    private static final String UNREAD_PROFILES = "backfill-profiles-unread";
    /**
     * How long a read waits for a topic to change before the comparison says what is missing. Long:
     * on a loaded machine a transaction can stay open for many seconds (seen: its first write to a
     * partition refused as CONCURRENT_TRANSACTIONS, the next one as OUT_OF_ORDER_SEQUENCE_NUMBER, both
     * retried), and read_committed shows nothing of it meanwhile.
     */
    private static final Duration NO_NEWS = Duration.ofSeconds(60);

    @Test
    void aSevenDayBackfillBesideLiveTrafficIsCountedExactlyWithRevisionsAndNoDeadLetter() throws Exception {
        try (RealCluster cluster = new RealCluster()) {
            PipelineConfig config = cluster.config("backfill", Map.of());
            PipelineConfig.Topics t = config.topics();
            TopicAdmin.ensureTopics(config);
            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.broker.bootstrapServers()))) {
                admin.createTopics(List.of(new NewTopic(UNREAD_PROFILES, 3, (short) 1))).all().get(30, TimeUnit.SECONDS);
            }
            AppSerdes serdes = new AppSerdes(cluster.registry);
            long begun = System.nanoTime();

            Simulator live = simulator(cluster, config, t.profiles(), Map.of(
                    "simulator.seed", "1", "simulator.rate", Integer.toString(LIVE_RATE),
                    "simulator.total.events", Integer.toString(LIVE_EVENTS), "simulator.start", "now"));
            Simulator history = simulator(cluster, config, UNREAD_PROFILES, Map.of(
                    "simulator.seed", "2", "simulator.rate", "0", "simulator.step", HISTORY_STEP,
                    "simulator.total.events", Integer.toString(HISTORY_EVENTS), "simulator.start", HISTORY_START));
            long liveSentWhenHistoryDone;
            Pipeline pipeline = null;
            try (live; history) {
                CompletableFuture<Long> liveRun = CompletableFuture.supplyAsync(live::run);
                // The live profiles are flushed before the first interaction: start the pipeline once one is sent.
                awaitTrue(() -> live.sent() > 0 || liveRun.isDone(), Duration.ofSeconds(60), "the live simulator starts");
                pipeline = new Pipeline(config).start();
                latestEquity(cluster, serdes, t.equity(), e -> e.getEvents() >= LIVE_BEFORE_BACKFILL, Duration.ofSeconds(90));
                history.run();
                liveSentWhenHistoryDone = live.sent();
                liveRun.get(120, TimeUnit.SECONDS);
            } catch (Exception | Error e) {
                if (pipeline != null) pipeline.close();
                throw e;
            }
            try (Pipeline running = pipeline) {
                System.out.printf("backfill: %d history events sent while the live simulator went from %d to %d of %d events%n",
                        HISTORY_EVENTS, LIVE_BEFORE_BACKFILL, liveSentWhenHistoryDone, LIVE_EVENTS);
                assertTrue(liveSentWhenHistoryDone < LIVE_EVENTS, "the backfill ran beside live traffic");

                // Every event actually sent, read back; the live profiles are the only ones the pipeline read.
                List<CustomerInteraction> sent = new ArrayList<>();
                cluster.readCommitted(t.interactions()).forEach(r ->
                        sent.add(serdes.interaction().deserializer().deserialize(t.interactions(), r.value())));
                List<CustomerProfile> profiles = new ArrayList<>();
                cluster.readCommitted(t.profiles()).forEach(r ->
                        profiles.add(serdes.profile().deserializer().deserialize(t.profiles(), r.value())));
                assertEquals(LIVE_EVENTS + HISTORY_EVENTS, sent.size(), "interaction records on the topic");
                BatchRecomputation batch = BatchRecomputation.of(config, profiles, sent);
                BatchRecomputation.Equity expected = batch.equity();
                // Event ids are <seed>-<sequence>: the history simulator's start with "2-".
                long distinctHistory = sent.stream().filter(e -> e.getEventId().startsWith("2-"))
                        .map(e -> e.getCustomerId() + "/" + e.getEventId()).distinct().count();

                BrandEquity actual = latestEquity(cluster, serdes, t.equity(), expected.events());
                // An in-process counter: exact in a run without a retried transaction, as this one (one instance, no crash).
                double revised = running.counters().registry().get("brandequity_late_events_revised").counter().count();
                System.out.printf("backfill: %d distinct events (%d of history) counted in %.1f s; equity stock=%.12f index=%.9f;"
                                + " late events revised: %.0f%n", expected.events(), distinctHistory,
                        (System.nanoTime() - begun) / 1e9, actual.getStock(), actual.getIndex(), revised);

                assertEquals(expected.events(), actual.getEvents(), "every distinct event counted exactly once");
                assertEquals(expected.asOf(), actual.getAsOf().toEpochMilli(), "valued at the newest event time");
                assertRelativelyEqual(expected.stock(), actual.getStock(), "stock");
                assertRelativelyEqual(expected.volume(), actual.getVolume(), "volume");
                assertRelativelyEqual(expected.index(), actual.getIndex(), "index");
                Map<String, SegmentContribution> segments = new HashMap<>();
                actual.getSegments().forEach(s -> segments.put(s.getSegment(), s));
                assertEquals(expected.segments().keySet(), segments.keySet(), "segments");
                expected.segments().forEach((name, slice) -> {
                    assertRelativelyEqual(slice.contribution(), segments.get(name).getContribution(), "contribution of " + name);
                    assertRelativelyEqual(slice.volume(), segments.get(name).getVolume(), "volume of " + name);
                });
                assertEquals(0, cluster.readCommitted(t.deadLetters()).size(), "dead letters: every event was inside the horizon");
                assertEquals(distinctHistory, (long) revised, "every distinct history event counted late, once");

                Map<String, CustomerExperienceScore> customerWindows =
                        assertCustomerWindowsFinal(cluster, serdes, t.customerScores(), batch.closedCustomerWindows());
                assertSegmentWindowsFinal(cluster, serdes, t.segmentScores(),
                        batch.segmentWindows(w -> customerWindows.get(w.customer() + "@" + w.start()).getScore()));

                // Detectors judge on-time windows only: no alert is about a window of the history.
                long liveStart = sent.stream().filter(e -> e.getEventId().startsWith("1-"))
                        .mapToLong(e -> e.getEventTime().toEpochMilli()).min().orElseThrow();
                List<ScoreDropAlert> alerts = new ArrayList<>();
                cluster.readCommitted(t.alerts()).forEach(r -> alerts.add(serdes.alert().deserializer().deserialize(t.alerts(), r.value())));
                List<ScoreDropAlert> onHistory = alerts.stream().filter(a -> a.getWindowEnd().toEpochMilli() <= liveStart).toList();
                System.out.printf("backfill: %d score-drop alerts, %d on history windows%n", alerts.size(), onHistory.size());
                assertEquals(List.of(), onHistory, "alerts on history windows");
            }
        }
    }

    /**
     * The latest record per (customer, window start) equals the window recomputed from all events,
     * for every closed window (all of them history: the live run is too short to close one), and the
     * records of each window carry revisions 0, 1, 2... in offset order.
     */
    private static Map<String, CustomerExperienceScore> assertCustomerWindowsFinal(
            RealCluster cluster, AppSerdes serdes, String topic, Map<String, BatchRecomputation.CustomerWindow> expected) {
        Map<String, List<CustomerExperienceScore>> byWindow = new LinkedHashMap<>();
        int[] seen = {0};
        long[] lastNews = {System.nanoTime()};
        // Windows are re-emitted as their late events come in: read until every window has its final
        // events, or NO_NEWS brings nothing new.
        cluster.readUntil(topic, read -> {
            for (; seen[0] < read.size(); seen[0]++) {
                CustomerExperienceScore s = serdes.customerScore().deserializer().deserialize(topic, read.get(seen[0]).value());
                byWindow.computeIfAbsent(s.getCustomerId() + "@" + s.getWindowStart().toEpochMilli(), k -> new ArrayList<>()).add(s);
                lastNews[0] = System.nanoTime();
            }
            boolean complete = expected.entrySet().stream().allMatch(w -> {
                List<CustomerExperienceScore> records = byWindow.get(w.getKey());
                return records != null && records.get(records.size() - 1).getEvents() == w.getValue().events();
            });
            return complete || System.nanoTime() - lastNews[0] > NO_NEWS.toNanos();
        }, Duration.ofSeconds(180));

        long revisions = 0;
        List<String> wrong = new ArrayList<>();
        Map<String, CustomerExperienceScore> latest = new HashMap<>();
        for (Map.Entry<String, List<CustomerExperienceScore>> w : byWindow.entrySet()) {
            List<CustomerExperienceScore> records = w.getValue();
            for (int i = 0; i < records.size(); i++) {
                if (records.get(i).getRevision() != i) wrong.add(w.getKey() + ": record " + i + " has revision " + records.get(i).getRevision());
            }
            revisions += records.size() - 1;
            CustomerExperienceScore last = records.get(records.size() - 1);
            latest.put(w.getKey(), last);
            BatchRecomputation.CustomerWindow b = expected.get(w.getKey());
            if (b == null) {
                wrong.add(w.getKey() + ": emitted, but not a closed window of the batch");
            } else if (!last.getSegment().equals(b.segment()) || last.getEvents() != b.events() || last.getPositive() != b.positive()
                    || last.getNeutral() != b.neutral() || last.getNegative() != b.negative()
                    || !relativelyClose(b.weight(), last.getWeight()) || Math.abs(b.score() - last.getScore()) > 1e-9) {
                wrong.add(w.getKey() + ": batch " + b + ", streamed " + last);
            }
        }
        System.out.printf("backfill: %d customer windows closed, %d records (%d revisions)%n",
                expected.size(), expected.size() + revisions, revisions);
        assertEquals(expected.keySet(), byWindow.keySet(), "every closed customer window emitted, no other");
        assertTrue(wrong.isEmpty(), wrong.size() + " customer windows wrong, e.g. " + wrong.subList(0, Math.min(5, wrong.size())));
        assertTrue(revisions > 0, "late events revise the windows they fall in");
        return latest;
    }

    /**
     * The latest record per (segment, window start) equals the segment window recomputed over the
     * closed customer windows: each revised customer window replaces its earlier version there.
     */
    private static void assertSegmentWindowsFinal(RealCluster cluster, AppSerdes serdes, String topic,
                                                  Map<String, BatchRecomputation.SegmentWindow> expected) {
        Map<String, SegmentExperienceScore> latest = new HashMap<>();
        int[] seen = {0};
        long[] lastNews = {System.nanoTime()};
        // Segment records follow their customer windows: read until every segment window holds its
        // customers and events, or NO_NEWS brings nothing new.
        cluster.readUntil(topic, read -> {
            for (; seen[0] < read.size(); seen[0]++) {
                SegmentExperienceScore s = serdes.segmentScore().deserializer().deserialize(topic, read.get(seen[0]).value());
                latest.put(s.getSegment() + "@" + s.getWindowStart().toEpochMilli(), s);
                lastNews[0] = System.nanoTime();
            }
            boolean complete = expected.entrySet().stream().allMatch(w -> {
                SegmentExperienceScore s = latest.get(w.getKey());
                return s != null && s.getCustomers() == w.getValue().customers() && s.getEvents() == w.getValue().events();
            });
            return complete || System.nanoTime() - lastNews[0] > NO_NEWS.toNanos();
        }, Duration.ofSeconds(180));

        List<String> wrong = new ArrayList<>();
        long revised = latest.values().stream().filter(s -> s.getRevision() > 0).count();
        expected.forEach((key, b) -> {
            SegmentExperienceScore s = latest.get(key);
            if (s == null || s.getCustomers() != b.customers() || s.getEvents() != b.events()
                    || s.getPositiveCustomers() != b.positiveCustomers() || s.getNegativeCustomers() != b.negativeCustomers()
                    || Math.abs(s.getMeanCustomerScore() - b.meanCustomerScore()) > 1e-9
                    || Math.abs(s.getNetExperience() - b.netExperience()) > 1e-9
                    || Math.abs(s.getNetExperienceMarginOfError() - b.marginOfError()) > 1e-9) {
                wrong.add(key + ": batch " + b + ", streamed " + s);
            }
        });
        System.out.printf("backfill: %d segment windows, %d of them revised%n", expected.size(), revised);
        assertEquals(expected.keySet(), latest.keySet(), "segment windows: exactly those of the closed customer windows");
        assertTrue(wrong.isEmpty(), wrong.size() + " of " + expected.size() + " segment windows differ from the batch, e.g. "
                + wrong.subList(0, Math.min(3, wrong.size())));
    }

    private static Simulator simulator(RealCluster cluster, PipelineConfig config, String profilesTopic, Map<String, String> settings) {
        Map<String, String> all = new HashMap<>(settings);
        all.put("simulator.customers", Integer.toString(CUSTOMERS));
        all.put("simulator.incidents.default", "false");
        return new Simulator(SimulationConfig.fromMap(all), ClientProperties.producer(config), cluster.registry,
                config.topics().interactions(), profilesTopic);
    }

    /**
     * Reads the equity topic until its latest record has folded {@code events}, or NO_NEWS brings nothing
     * new (then the caller's comparison says what is missing); returns that record.
     */
    private static BrandEquity latestEquity(RealCluster cluster, AppSerdes serdes, String topic, long events) {
        long[] seen = {0};
        long[] lastNews = {System.nanoTime()};
        return latestEquity(cluster, serdes, topic, e -> {
            if (e.getEvents() != seen[0]) lastNews[0] = System.nanoTime();
            seen[0] = e.getEvents();
            return e.getEvents() >= events || System.nanoTime() - lastNews[0] > NO_NEWS.toNanos();
        }, Duration.ofSeconds(180));
    }

    /** Reads the equity topic until its latest record satisfies {@code done}; returns that record. */
    private static BrandEquity latestEquity(RealCluster cluster, AppSerdes serdes, String topic,
                                            java.util.function.Predicate<BrandEquity> done, Duration timeout) {
        List<ConsumerRecord<byte[], byte[]>> read = cluster.readUntil(topic,
                r -> !r.isEmpty() && done.test(serdes.brandEquity().deserializer().deserialize(topic, r.get(r.size() - 1).value())),
                timeout);
        return serdes.brandEquity().deserializer().deserialize(topic, read.get(read.size() - 1).value());
    }

    private static void awaitTrue(java.util.function.BooleanSupplier condition, Duration timeout, String what) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) throw new AssertionError("timed out: " + what);
            Thread.sleep(50);
        }
    }

    private static boolean relativelyClose(double expected, double actual) {
        return Math.abs(expected - actual) <= 1e-9 * Math.max(Math.abs(expected), Math.abs(actual));
    }

    /** Floating-point sums folded in another order differ in the last bits only. */
    private static void assertRelativelyEqual(double expected, double actual, String what) {
        assertTrue(relativelyClose(expected, actual), what + ": expected " + expected + " but was " + actual);
    }
}
