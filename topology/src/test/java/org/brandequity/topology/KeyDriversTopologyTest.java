package org.brandequity.topology;

import static org.brandequity.topology.Events.minutes;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.apache.kafka.streams.test.TestRecord;
import org.brandequity.avro.KeyDriver;
import org.brandequity.avro.KeyDriverStatus;
import org.brandequity.avro.KeyDrivers;
import org.brandequity.avro.Touchpoint;
import org.brandequity.avro.internal.DriverObservationChange;
import org.brandequity.model.Decay;
import org.brandequity.model.drivers.Bootstrap;
import org.brandequity.model.drivers.DriverSet;
import org.brandequity.model.drivers.DriverStatistics;
import org.brandequity.model.drivers.KeyDriverAnalysis;
import org.junit.jupiter.api.Test;

/**
 * The key drivers out of the pipeline ({@link KeyDriversProcessor}): each segment's and the brand's
 * analysis on {@code topic.key.drivers}, at most one record per key per {@code drivers.emit.interval}
 * of wall-clock time, "not enough data" below {@code drivers.min.observations}, and figures equal to
 * the model's analysis of the observations the customers' ledgers sent. Windows as
 * {@link PipelineDriver#TEST_CONFIG}; answers of customers without a profile (segment unassigned).
 */
class KeyDriversTopologyTest {
    private static final Map<String, String> CONFIG = Map.of("drivers.emit.interval", "10s", "drivers.bootstrap.replicates", "20",
            "drivers.half.life", "1h", "late.horizon", "1h");
    private static final String SEGMENT = BrandEquityTopology.UNASSIGNED_SEGMENT;

    /**
     * {@code customers} customers, each with a delivery and a support contact rated at random, then a
     * recommend answer that follows the delivery closely and the support contact a little.
     */
    private static void journeys(PipelineDriver p, int customers, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        for (int c = 0; c < customers; c++) {
            String customer = "kd-" + seed + "-" + c;
            int delivery = 1 + random.nextInt(5);
            int support = 1 + random.nextInt(5);
            int answer = (int) Math.max(0, Math.min(10, Math.round(2 * delivery + 0.4 * support - 1 + random.nextGaussian())));
            p.send(Events.interaction(customer, minutes(c % 50)).setTouchpoint(Touchpoint.DELIVERY).setRating(delivery).build(),
                    Events.interaction(customer, minutes(c % 50).plusSeconds(10)).setTouchpoint(Touchpoint.SUPPORT_CONTACT).setRating(support).build(),
                    Events.interaction(customer, minutes(c % 50).plusSeconds(20)).setLikelihoodToRecommend(answer).build());
        }
    }

    private static Map<String, KeyDrivers> latestByKey(List<TestRecord<String, KeyDrivers>> records) {
        Map<String, KeyDrivers> latest = new java.util.HashMap<>();
        for (TestRecord<String, KeyDrivers> r : records) latest.put(r.key(), r.value());
        return latest;
    }

    @Test
    void nothingIsSentBeforeTheEmitIntervalAndThenOneRecordPerSegmentAndOneForTheBrand() {
        try (PipelineDriver p = new PipelineDriver(CONFIG)) {
            journeys(p, 40, 1);
            p.advanceWallClock(Duration.ofSeconds(9));
            assertTrue(p.keyDrivers.isEmpty(), "nothing before drivers.emit.interval");
            p.advanceWallClock(Duration.ofSeconds(1));
            List<TestRecord<String, KeyDrivers>> sent = p.keyDrivers.readRecordsToList();
            assertEquals(List.of(p.config.brandId(), SEGMENT), sent.stream().map(TestRecord::key).sorted().toList());
            journeys(p, 40, 2);
            p.advanceWallClock(Duration.ofSeconds(5));
            assertTrue(p.keyDrivers.isEmpty(), "new answers wait for the next interval");
            p.advanceWallClock(Duration.ofSeconds(5));
            assertEquals(2, p.keyDrivers.readRecordsToList().size(), "one more per key, however many answers came");
            p.advanceWallClock(Duration.ofSeconds(30));
            assertTrue(p.keyDrivers.isEmpty(), "no answers, no record");
        }
    }

    @Test
    void belowTheMinimumObservationsASegmentReportsNotEnoughDataInsteadOfNumbers() {
        try (PipelineDriver p = new PipelineDriver(CONFIG)) {
            journeys(p, 29, 3);
            p.advanceWallClock(Duration.ofSeconds(10));
            KeyDrivers segment = latestByKey(p.keyDrivers.readRecordsToList()).get(SEGMENT);
            assertEquals(KeyDriverStatus.NOT_ENOUGH_DATA, segment.getStatus());
            assertEquals(29, segment.getN());
            assertNull(segment.getRSquared());
            assertEquals(List.of(), segment.getDrivers());
            journeys(p, 1, 4);
            p.advanceWallClock(Duration.ofSeconds(10));
            assertEquals(KeyDriverStatus.OK, latestByKey(p.keyDrivers.readRecordsToList()).get(SEGMENT).getStatus(), "30 answers are enough");
        }
    }

    @Test
    void theAnalysisIsTheModelsOfTheObservationsTheLedgersSentAndNamesTheDriverThatMovesTheAnswers() {
        try (PipelineDriver p = new PipelineDriver(CONFIG)) {
            journeys(p, 200, 5);
            p.advanceWallClock(Duration.ofSeconds(10));
            KeyDrivers segment = latestByKey(p.keyDrivers.readRecordsToList()).get(SEGMENT);

            // The model's analysis of the same changes, folded directly.
            Decay decay = new Decay(p.config.drivers().halfLife());
            DriverStatistics statistics = DriverStatistics.empty(decay);
            Bootstrap bootstrap = Bootstrap.empty(decay, 20);
            for (TestRecord<String, DriverObservationChange> r : p.driverChanges.readRecordsToList()) {
                if (!r.key().equals(SEGMENT)) continue;
                statistics.add(KeyDriverStates.observation(r.value()), r.value().getMultiplier());
                bootstrap.add(KeyDriverStates.observation(r.value()), r.value().getMultiplier());
            }
            KeyDriverAnalysis.Result expected = KeyDriverAnalysis.analyse(statistics, bootstrap, 30,
                    DriverSet.weights(p.config.model().touchpointWeight()));

            assertEquals(KeyDriverStatus.OK, segment.getStatus());
            assertEquals(200, segment.getN());
            assertEquals(expected.rSquared(), segment.getRSquared(), 1e-12);
            KeyDriver first = segment.getDrivers().get(0);
            assertEquals(Touchpoint.DELIVERY, first.getTouchpoint(), segment.toString());
            assertTrue(first.getSignificant());
            KeyDriverAnalysis.Driver delivery = expected.drivers().get(DriverSet.indexOf(Touchpoint.DELIVERY));
            assertEquals(delivery.relativeWeight(), first.getRelativeWeight(), 1e-12);
            assertEquals(delivery.low(), first.getLower(), 1e-12);
            assertEquals(delivery.high(), first.getUpper(), 1e-12);
            assertEquals(delivery.coefficient(), first.getCoefficient(), 1e-12);
            assertEquals(p.config.model().touchpointWeight().get(Touchpoint.DELIVERY), first.getConfiguredWeight(), 0.0);
            assertTrue(first.getLower() <= first.getRelativeWeight() && first.getRelativeWeight() <= first.getUpper(), first.toString());
            double sum = segment.getDrivers().stream().mapToDouble(KeyDriver::getRelativeWeight).sum();
            assertEquals(segment.getRSquared(), sum, 1e-9, "the relative weights sum to R²");
        }
    }

    @Test
    void theBrandsAnalysisHoldsEverySegmentsAnswers() {
        try (PipelineDriver p = new PipelineDriver(CONFIG)) {
            for (int c = 0; c < 20; c++) p.profile(Events.profile("kd-6-" + c, "high-value"));
            journeys(p, 40, 6);
            p.advanceWallClock(Duration.ofSeconds(10));
            Map<String, KeyDrivers> latest = latestByKey(p.keyDrivers.readRecordsToList());
            assertEquals(20, latest.get("high-value").getN());
            assertEquals(20, latest.get(SEGMENT).getN());
            KeyDrivers brand = latest.get(p.config.brandId());
            assertEquals(40, brand.getN());
            assertNull(brand.getSegment());
        }
    }
}
