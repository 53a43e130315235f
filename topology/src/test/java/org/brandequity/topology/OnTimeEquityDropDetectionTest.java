package org.brandequity.topology;

import static org.brandequity.topology.Events.minutes;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntConsumer;
import org.apache.kafka.common.utils.Utils;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyConfig;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Produced;
import org.brandequity.avro.BrandEquity;
import org.brandequity.avro.LifecycleStage;
import org.brandequity.avro.ScoreDropAlert;
import org.brandequity.avro.Touchpoint;
import org.brandequity.avro.internal.EquityLedger;
import org.brandequity.avro.internal.EquityWindowSamples;
import org.brandequity.avro.internal.ScoredInteraction;
import org.brandequity.config.PipelineConfig;
import org.brandequity.wire.InMemorySchemaRegistry;
import org.junit.jupiter.api.Test;

/**
 * Brand equity counts late events; the brand and touchpoint drop detection judges only on-time ones
 * (issue 11). The equity section of {@link BrandEquityTopology} is fed scored events directly, so
 * each test sets the {@code late} flag the customer ledger sets in the full pipeline.
 *
 * <p>Test windows are 10 minutes. Window k's live traffic is at minute 10k + 3: 30 delivery answers
 * from broad-base and 30 support answers from high-value customers, each 21 positive (+1), 6 neutral,
 * 3 negative (-1), then an equity flush. Late events are 30 minutes old when they arrive (well
 * behind the 2-minute grace). A window is judged when the next window's first on-time delta arrives.
 */
class OnTimeEquityDropDetectionTest {
    private static final String SCORED_TOPIC = "scored-interactions";
    private static final String BRAND_KEY = "BRAND:acme";
    private static final String SUPPORT_KEY = "TOUCHPOINT:SUPPORT_CONTACT";
    private static final Mix NORMAL = new Mix(21, 6, 3);
    private static final Mix DROPPED = new Mix(6, 6, 18);
    private static final Mix ALL_NEGATIVE = new Mix(0, 0, 60);
    private static final Mix ALL_POSITIVE = new Mix(120, 0, 0);
    private static final Duration LATENESS = Duration.ofMinutes(30);

    private record Mix(int positive, int neutral, int negative) {}

    @Test
    void aLateEventCountsInBrandEquityExactlyAsIfItHadArrivedOnTime() {
        BrandEquity withLate;
        BrandEquity allOnTime;
        try (EquityDriver d = new EquityDriver()) {
            d.live(0, NORMAL);
            d.lateSupport(1, ALL_NEGATIVE, true);
            d.live(1, NORMAL);
            withLate = d.latestEquity();
        }
        try (EquityDriver d = new EquityDriver()) {
            d.live(0, NORMAL);
            d.lateSupport(1, ALL_NEGATIVE, false);
            d.live(1, NORMAL);
            allOnTime = d.latestEquity();
        }

        assertEquals(60 + 60 + 60, withLate.getEvents());
        assertEquals(allOnTime.getEvents(), withLate.getEvents());
        assertEquals(allOnTime.getAsOf(), withLate.getAsOf());
        assertEquals(allOnTime.getStock(), withLate.getStock(), 1e-9);
        assertEquals(allOnTime.getVolume(), withLate.getVolume(), 1e-9);
        assertEquals(allOnTime.getIndex(), withLate.getIndex(), 1e-9);
    }

    @Test
    void theDetectorsOnTimeLedgerLeavesLateEventsOut() {
        try (EquityDriver d = new EquityDriver()) {
            d.live(0, NORMAL);
            d.lateSupport(1, ALL_NEGATIVE, true);
            d.live(1, NORMAL);

            EquityLedger onTime = d.onTimeLedger();
            assertEquals(120, onTime.getEvents(), "the on-time events only; equity has 180");
            assertEquals(minutes(13).toEpochMilli(), onTime.getAsOf());
        }
    }

    @Test
    void lateEventsChangeNeitherTheFiguresNorTheAlertsOfTheWindowsBeingJudged() {
        // Support collapses on time in windows 6 and 7: the brand and support alerts fire at window 7.
        List<ScoreDropAlert> onTimeOnly;
        List<ScoreDropAlert> withLateGoodNews;
        try (EquityDriver d = new EquityDriver()) {
            supportDropsInWindows6And7(d, k -> {});
            onTimeOnly = d.alerts();
        }
        try (EquityDriver d = new EquityDriver()) {
            // Very positive late support answers arrive beside the collapse: had they been judged as
            // the window's experience, they would have masked it.
            supportDropsInWindows6And7(d, k -> {
                if (k == 6 || k == 7) d.lateSupport(k, ALL_POSITIVE, true);
            });
            withLateGoodNews = d.alerts();
        }

        assertEquals(List.of(BRAND_KEY + " FIRING", SUPPORT_KEY + " FIRING", BRAND_KEY + " RESOLVED", SUPPORT_KEY + " RESOLVED"),
                keysAndStates(onTimeOnly));
        assertEquals(onTimeOnly, withLateGoodNews, "value, margin, sample size, baseline and contributors included");
    }

    @Test
    void aBackfillOfVeryNegativeLateEventsBesideSteadyOnTimeTrafficFiresNoAlert() {
        try (EquityDriver d = new EquityDriver()) {
            for (int k = 0; k < 12; k++) {
                if (k >= 6 && k <= 8) d.lateSupport(k, ALL_NEGATIVE, true);
                d.live(k, NORMAL);
            }

            assertEquals(List.of(), keysAndStates(d.alerts()));
            assertEquals(12 * 60 + 3 * 60, d.latestEquity().getEvents(), "the backfill is in the equity");
        }
    }

    @Test
    void theSameNegativeEventsOnTimeFireABrandAndATouchpointAlert() {
        try (EquityDriver d = new EquityDriver()) {
            for (int k = 0; k < 12; k++) {
                if (k >= 6 && k <= 8) d.lateSupport(k, ALL_NEGATIVE, false);
                d.live(k, NORMAL);
            }

            List<String> alerts = keysAndStates(d.alerts());
            assertEquals(List.of(BRAND_KEY + " FIRING", SUPPORT_KEY + " FIRING"), alerts.subList(0, 2), alerts.toString());
        }
    }

    @Test
    void lateGoodNewsDoesNotResolveAnOpenAlert() {
        try (EquityDriver d = new EquityDriver()) {
            supportDropsFromWindow6(d, true);

            assertEquals(List.of(BRAND_KEY + " FIRING", SUPPORT_KEY + " FIRING"), keysAndStates(d.alerts()));
        }
    }

    @Test
    void theSameGoodNewsOnTimeResolvesTheAlert() {
        try (EquityDriver d = new EquityDriver()) {
            supportDropsFromWindow6(d, false);

            List<String> alerts = keysAndStates(d.alerts());
            assertEquals(List.of(BRAND_KEY + " FIRING", SUPPORT_KEY + " FIRING", BRAND_KEY + " RESOLVED", SUPPORT_KEY + " RESOLVED"),
                    alerts, alerts.toString());
        }
    }

    @Test
    void aBrandAlertNamesTheCellsThatMovedTheIndexAsNewExperienceAndDecay() {
        try (EquityDriver d = new EquityDriver()) {
            supportDropsInWindows6And7(d, k -> {});
            List<ScoreDropAlert> alerts = d.alerts();
            ScoreDropAlert brand = alerts.stream().filter(a -> a.getAlertId().startsWith(BRAND_KEY)).findFirst().orElseThrow();
            ScoreDropAlert support = alerts.stream().filter(a -> a.getAlertId().startsWith(SUPPORT_KEY)).findFirst().orElseThrow();

            // Two cells have experience: broad-base at delivery, high-value at support (both at USAGE).
            List<org.brandequity.avro.CellChange> cells = brand.getTopCells();
            assertEquals(2, cells.size(), cells.toString());
            org.brandequity.avro.CellChange first = cells.get(0);
            assertEquals("high-value", first.getSegment());
            assertEquals(Touchpoint.SUPPORT_CONTACT, first.getTouchpoint());
            org.junit.jupiter.api.Assertions.assertTrue(first.getChange() < 0 && first.getNewExperience() < 0,
                    "the collapsed support experience pulled the index down: " + first);
            for (org.brandequity.avro.CellChange c : cells) {
                assertEquals(c.getNewExperience() + c.getDecay(), c.getChange(), 1e-12, c.toString());
            }
            assertEquals(List.of(first), support.getTopCells(), "a touchpoint alert carries its own touchpoint's cells");
        }
    }

    @Test
    void aLateDeltaReachesTheBrandsTaskMarkedByAHeaderAndAnOnTimeDeltaUnmarked() {
        try (EquityDriver d = new EquityDriver()) {
            d.lateSupport(1, new Mix(0, 0, 10), true);
            d.live(1, NORMAL);

            List<String> read = d.deltas.readRecordsToList().stream()
                    .map(r -> r.value().getEvents() + " events, "
                            + (r.headers().lastHeader(EquityPreAggregator.LATE_HEADER) != null ? "late" : "on time"))
                    .toList();
            // One delta per history boundary, oldest first: the late events' boundary is the older one.
            assertEquals(List.of("10 events, late", "60 events, on time"), read, "one flush, read back from the repartition topic");
        }
    }

    /** Support collapses on time in windows 6 and 7, recovers from window 8; {@code extra} runs before each window's traffic. */
    private static void supportDropsInWindows6And7(EquityDriver d, IntConsumer extra) {
        for (int k = 0; k < 12; k++) {
            extra.accept(k);
            d.live(k, NORMAL, k == 6 || k == 7 ? DROPPED : NORMAL);
        }
    }

    /** Support collapses on time from window 6 on; from window 8, very positive support answers 30 minutes old arrive. */
    private static void supportDropsFromWindow6(EquityDriver d, boolean goodNewsLate) {
        for (int k = 0; k < 14; k++) {
            if (k >= 8) d.lateSupport(k, ALL_POSITIVE, goodNewsLate);
            d.live(k, NORMAL, k >= 6 ? DROPPED : NORMAL);
        }
    }

    private static List<String> keysAndStates(List<ScoreDropAlert> alerts) {
        return alerts.stream().map(a -> a.getScope() + ":" + a.getSubject() + " " + a.getState()).toList();
    }

    /** The equity section of the topology under {@link TopologyTestDriver}, fed scored events. */
    private static final class EquityDriver implements AutoCloseable {
        private static final AtomicLong IDS = new AtomicLong();
        final PipelineConfig config;
        final AppSerdes serdes = new AppSerdes(new InMemorySchemaRegistry());
        final TopologyTestDriver driver;
        final TestInputTopic<String, ScoredInteraction> scored;
        final TestOutputTopic<String, BrandEquity> equity;
        final TestOutputTopic<String, ScoreDropAlert> alerts;
        final TestOutputTopic<String, EquityLedger> deltas;
        private final List<ScoreDropAlert> seenAlerts = new ArrayList<>();
        private final Path stateDir;

        EquityDriver() {
            try {
                stateDir = Files.createTempDirectory("brand-equity-ttd");
            } catch (java.io.IOException e) {
                throw new IllegalStateException(e);
            }
            Map<String, String> all = new HashMap<>(PipelineDriver.TEST_CONFIG);
            // 60 events per window; the shipped minimum sample size is for real traffic.
            all.put("alert.min.sample.size", "10");
            all.put("state.dir", stateDir.toString());
            config = PipelineConfig.defaults().with(all);
            Counters counters = new Counters(new io.micrometer.core.instrument.simple.SimpleMeterRegistry());
            Properties props = StreamsSettings.of(config, counters);
            StreamsBuilder builder = new StreamsBuilder(new TopologyConfig(new StreamsConfig(props)));
            KStream<String, ScoredInteraction> in = builder.stream(SCORED_TOPIC,
                    Consumed.with(serdes.string(), serdes.scored()).withName("read-scored-interactions"));
            BrandEquityTopology.brandEquity(builder, in, config, serdes, new EquityLedgers(config.model(), config.equityMaxSegments()), config.alerts())
                    .to(config.topics().alerts(), Produced.with(serdes.string(), serdes.alert()).withName("write-score-drop-alerts"));
            driver = new TopologyTestDriver(builder.build(), props, Events.T0.plus(Duration.ofDays(1)));
            scored = driver.createInputTopic(SCORED_TOPIC, serdes.string().serializer(), serdes.scored().serializer());
            equity = driver.createOutputTopic(config.topics().equity(), serdes.string().deserializer(), serdes.brandEquity().deserializer());
            alerts = driver.createOutputTopic(config.topics().alerts(), serdes.string().deserializer(), serdes.alert().deserializer());
            deltas = driver.createOutputTopic(config.applicationId() + "-" + BrandEquityTopology.EQUITY_DELTAS + "-repartition",
                    serdes.string().deserializer(), serdes.ledger().deserializer());
        }

        /** Window k's live traffic, delivery and support both {@code mix}, then a flush. */
        void live(int k, Mix mix) {
            live(k, mix, mix);
        }

        /** Window k's live traffic at minute 10k + 3, on time, then a flush. */
        void live(int k, Mix delivery, Mix support) {
            Instant t = minutes(10L * k + 3);
            send("broad-base", Touchpoint.DELIVERY, t, delivery, false);
            send("high-value", Touchpoint.SUPPORT_CONTACT, t, support, false);
            driver.advanceWallClockTime(config.equityFlushInterval());
        }

        /** Support answers of {@code mix} 30 minutes older than window k's live traffic, flagged {@code late} or not; flushed with window k. */
        void lateSupport(int k, Mix mix, boolean late) {
            send("high-value", Touchpoint.SUPPORT_CONTACT, minutes(10L * k + 3).minus(LATENESS), mix, late);
        }

        private void send(String segment, Touchpoint touchpoint, Instant time, Mix mix, boolean late) {
            int n = mix.positive() + mix.neutral() + mix.negative();
            for (int i = 0; i < n; i++) {
                double signal = i < mix.positive() ? 1 : i < mix.positive() + mix.neutral() ? 0 : -1;
                String customer = segment + "-" + i;
                scored.pipeInput(customer, ScoredInteraction.newBuilder()
                        .setEventId("s-" + IDS.incrementAndGet()).setCustomerId(customer).setEventTime(time.toEpochMilli())
                        .setTouchpoint(touchpoint).setStage(LifecycleStage.USAGE).setSegment(segment)
                        .setValueWeight(1.0).setSignal(signal).setWeight(1.0).setLate(late).build(), time);
            }
        }

        BrandEquity latestEquity() {
            driver.advanceWallClockTime(config.equityFlushInterval());
            List<BrandEquity> all = equity.readValuesToList();
            if (all.isEmpty()) throw new AssertionError("no brand-equity record was emitted");
            return all.get(all.size() - 1);
        }

        /** The ledger the drop detection judges, as stored. */
        EquityLedger onTimeLedger() {
            return driver.<String, EquityWindowSamples>getKeyValueStore(
                    BrandEquityTopology.EQUITY_SAMPLES_STORE).get(config.brandId()).getLatest();
        }

        /** Every alert so far, oldest first. */
        List<ScoreDropAlert> alerts() {
            seenAlerts.addAll(alerts.readValuesToList());
            return List.copyOf(seenAlerts);
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
}
