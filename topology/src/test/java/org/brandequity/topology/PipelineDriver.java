package org.brandequity.topology;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.utils.Utils;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;
import org.brandequity.avro.BrandEquity;
import org.brandequity.avro.CustomerAlert;
import org.brandequity.avro.CustomerExperienceScore;
import org.brandequity.avro.CustomerInteraction;
import org.brandequity.avro.CustomerProfile;
import org.brandequity.avro.EquityHistoryPoint;
import org.brandequity.avro.ScoreDropAlert;
import org.brandequity.avro.SegmentExperienceScore;
import org.brandequity.avro.TouchpointExperienceScore;
import org.brandequity.avro.internal.DriverObservationChange;
import org.brandequity.config.PipelineConfig;
import org.brandequity.wire.InMemorySchemaRegistry;

/**
 * The topology under {@link TopologyTestDriver}, with typed input and output topics. Wall-clock
 * time starts a day after {@link Events#T0} so that test events are never "in the future".
 */
final class PipelineDriver implements AutoCloseable {
    /**
     * late.horizon = window.grace: nothing is counted late unless a test raises it. One partition,
     * as the test driver has: the segment windows wait for a watermark from every partition.
     */
    static final Map<String, String> TEST_CONFIG = Map.ofEntries(
            Map.entry("application.id", "brand-equity-test"),
            Map.entry("bootstrap.servers", "unused:9092"),
            Map.entry("topic.partitions", "1"),
            Map.entry("window.size", "10m"),
            Map.entry("window.advance", "10m"),
            Map.entry("window.grace", "2m"),
            Map.entry("late.horizon", "2m"),
            Map.entry("segment.window.grace", "30m"),
            Map.entry("dedup.horizon", "1h"),
            Map.entry("event.max.future.skew", "1h"),
            Map.entry("equity.flush.interval", "1s"),
            Map.entry("model.equity.half.life", "1h"));

    final PipelineConfig config;
    final InMemorySchemaRegistry registry = new InMemorySchemaRegistry();
    final AppSerdes serdes = new AppSerdes(registry);
    /** This driver's counts (duplicates, dead letters, scored events), in a registry of its own. */
    final Counters counters = new Counters(new io.micrometer.core.instrument.simple.SimpleMeterRegistry());
    final TopologyTestDriver driver;
    final TestInputTopic<String, CustomerInteraction> interactions;
    final TestInputTopic<byte[], byte[]> rawInteractions;
    final TestInputTopic<String, CustomerProfile> profiles;
    final TestOutputTopic<String, CustomerExperienceScore> customerScores;
    final TestOutputTopic<String, SegmentExperienceScore> segmentScores;
    final TestOutputTopic<String, TouchpointExperienceScore> touchpointScores;
    final TestOutputTopic<String, BrandEquity> equity;
    final TestOutputTopic<String, ScoreDropAlert> alerts;
    /** Alert records already read from {@link #alerts}, for tests that look at several keys. */
    final List<TestRecord<String, ScoreDropAlert>> seenAlerts = new java.util.ArrayList<>();
    /** Segment scores read so far, oldest first (a test that reads the topic more than once keeps them here). */
    final List<SegmentExperienceScore> seenSegmentScores = new java.util.ArrayList<>();
    /** Touchpoint scores read so far, oldest first. */
    final List<TouchpointExperienceScore> seenTouchpointScores = new java.util.ArrayList<>();
    final TestOutputTopic<byte[], byte[]> deadLetters;
    final TestOutputTopic<String, CustomerAlert> customerAlerts;
    final TestOutputTopic<String, EquityHistoryPoint> history;
    /**
     * The key-driver observation changes as the customers' tasks write them to their repartition
     * topic, keyed by segment (the test driver records what is written to internal topics too).
     */
    final TestOutputTopic<String, DriverObservationChange> driverChanges;
    final TestOutputTopic<String, org.brandequity.avro.KeyDrivers> keyDrivers;
    private final Path stateDir;

    PipelineDriver() {
        this(Map.of());
    }

    PipelineDriver(Map<String, String> overrides) {
        try {
            stateDir = Files.createTempDirectory("brand-equity-ttd");
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
        Map<String, String> all = new HashMap<>(TEST_CONFIG);
        all.putAll(overrides);
        all.put("state.dir", stateDir.toString());
        config = PipelineConfig.defaults().with(all);
        Properties props = StreamsSettings.of(config, counters);
        driver = new TopologyTestDriver(BrandEquityTopology.build(config, serdes, counters), props, Events.T0.plus(Duration.ofDays(1)));
        PipelineConfig.Topics t = config.topics();
        interactions = driver.createInputTopic(t.interactions(), serdes.string().serializer(), serdes.interaction().serializer());
        rawInteractions = driver.createInputTopic(t.interactions(), new ByteArraySerializer(), new ByteArraySerializer());
        profiles = driver.createInputTopic(t.profiles(), serdes.string().serializer(), serdes.profile().serializer());
        customerScores = driver.createOutputTopic(t.customerScores(), serdes.string().deserializer(), serdes.customerScore().deserializer());
        segmentScores = driver.createOutputTopic(t.segmentScores(), serdes.string().deserializer(), serdes.segmentScore().deserializer());
        touchpointScores = driver.createOutputTopic(t.touchpointScores(), serdes.string().deserializer(), serdes.touchpointScore().deserializer());
        equity = driver.createOutputTopic(t.equity(), serdes.string().deserializer(), serdes.brandEquity().deserializer());
        alerts = driver.createOutputTopic(t.alerts(), serdes.string().deserializer(), serdes.alert().deserializer());
        deadLetters = driver.createOutputTopic(t.deadLetters(), new ByteArrayDeserializer(), new ByteArrayDeserializer());
        customerAlerts = driver.createOutputTopic(t.customerAlerts(), serdes.string().deserializer(), serdes.customerAlert().deserializer());
        history = driver.createOutputTopic(t.equityHistory(), serdes.string().deserializer(), serdes.historyPoint().deserializer());
        driverChanges = driver.createOutputTopic(config.applicationId() + "-" + BrandEquityTopology.DRIVER_OBSERVATION_CHANGES + "-repartition",
                serdes.string().deserializer(), serdes.driverObservationChange().deserializer());
        keyDrivers = driver.createOutputTopic(t.keyDrivers(), serdes.string().deserializer(), serdes.keyDrivers().deserializer());
    }

    /**
     * Moves wall-clock time twice past the equity flush interval: the pre-aggregators forward every
     * pending delta, and the history folds them, whichever task's punctuation runs first.
     */
    void flushHistory() {
        flushEquity();
        flushEquity();
    }

    /** The equity history store's points as the model sees them, oldest first. */
    List<org.brandequity.model.EquityHistory.Point> historyPoints() {
        List<org.brandequity.model.EquityHistory.Point> points = new java.util.ArrayList<>();
        org.apache.kafka.streams.state.KeyValueStore<Long, org.brandequity.avro.internal.EquityHistoryEntry> store =
                driver.getKeyValueStore(BrandEquityTopology.EQUITY_HISTORY_STORE);
        try (var it = store.all()) {
            it.forEachRemaining(kv -> points.add(EquityHistories.point(EquityHistories.boundary(kv.key), kv.value)));
        }
        return points;
    }

    void send(CustomerInteraction e) {
        interactions.pipeInput(e.getCustomerId(), e);
    }

    void send(CustomerInteraction... events) {
        for (CustomerInteraction e : events) send(e);
    }

    void profile(CustomerProfile p) {
        profiles.pipeInput(p.getCustomerId(), p, Events.T0);
    }

    /** Told before and after every wall-clock advance ({@link #flushEquity}), for tests that track what each flush published. */
    interface WallClockListener {
        void before();

        void after();
    }

    /** Null unless a test listens. */
    WallClockListener wallClock;

    /** Moves wall-clock time past the equity flush interval so pending experience is folded into the brand. */
    /** Moves wall-clock time by {@code d}: every wall-clock punctuation due in it runs. */
    void advanceWallClock(Duration d) {
        if (wallClock != null) wallClock.before();
        driver.advanceWallClockTime(d);
        if (wallClock != null) wallClock.after();
    }

    void flushEquity() {
        if (wallClock != null) wallClock.before();
        driver.advanceWallClockTime(config.equityFlushInterval());
        if (wallClock != null) wallClock.after();
    }

    /** The newest brand-equity record after flushing, or fails when there is none. */
    BrandEquity latestEquity() {
        flushEquity();
        List<BrandEquity> all = equity.readValuesToList();
        if (all.isEmpty()) throw new AssertionError("no brand-equity record was emitted");
        return all.get(all.size() - 1);
    }

    /** Sends an event for a bystander customer far enough ahead to close every window up to {@code time}. */
    void advanceStreamTime(Instant time) {
        send(Events.interaction("clock", time).build());
    }

    /**
     * A valid event of customer c1, then {@code badInput}, then another valid event of c1, and stream
     * time past their window: the one dead letter the bad input became, its reason checked.
     */
    TestRecord<byte[], byte[]> deadLetterBetweenTwoValidEvents(org.brandequity.model.DeadLetterReason reason, Runnable badInput) {
        send(Events.rated("c1", Events.minutes(1), 5));
        badInput.run();
        send(Events.rated("c1", Events.minutes(3), 1));
        advanceStreamTime(Events.minutes(12));
        TestRecord<byte[], byte[]> dead = deadLetters.readRecord();
        org.junit.jupiter.api.Assertions.assertEquals(reason.name(), header(dead, DeadLetters.REASON_HEADER));
        return dead;
    }

    static String header(TestRecord<byte[], byte[]> r, String name) {
        Header h = r.headers().lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        driver.close();
        try {
            Utils.delete(stateDir.toFile());
        } catch (java.io.IOException ignored) {
            // best effort: a temp dir
        }
    }

}
