package org.brandequity.topology;

import static org.brandequity.topology.Events.minutes;
import static org.brandequity.topology.Events.profile;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.test.TestRecord;
import org.brandequity.avro.CustomerInteraction;
import org.brandequity.avro.Touchpoint;
import org.brandequity.avro.internal.DriverObservationChange;
import org.brandequity.model.ExperienceSignal;
import org.brandequity.model.ScoringModel;
import org.brandequity.model.drivers.DriverSet;
import org.junit.jupiter.api.Test;

/**
 * Key-driver observations decided in the customer's ledger and written, keyed by segment, to the
 * {@code key-driver-observation-changes} repartition topic (issue 26). Windows are 10 minutes,
 * grace 2 minutes ({@link PipelineDriver#TEST_CONFIG}); tests with late events raise late.horizon to a day.
 */
class DriverObservationsTopologyTest {
    private static final Map<String, String> ONE_DAY = Map.of("late.horizon", "1d", "drivers.half.life", "1h");
    private static final int DELIVERY = DriverSet.indexOf(Touchpoint.DELIVERY);
    private static final int SUPPORT = DriverSet.indexOf(Touchpoint.SUPPORT_CONTACT);

    private static CustomerInteraction driverEvent(String customer, Instant time, Touchpoint touchpoint, int rating) {
        return Events.interaction(customer, time).setTouchpoint(touchpoint).setRating(rating).build();
    }

    /** A survey answer (not a driver touchpoint) carrying only a likelihood to recommend. */
    private static CustomerInteraction answer(String customer, Instant time, int likelihoodToRecommend) {
        return Events.interaction(customer, time).setLikelihoodToRecommend(likelihoodToRecommend).build();
    }

    /** The changes on the repartition topic: each once, keyed by its segment (the brand's statistics are folded from the same records). */
    private static List<TestRecord<String, DriverObservationChange>> changes(PipelineDriver p) {
        List<TestRecord<String, DriverObservationChange>> all = p.driverChanges.readRecordsToList();
        for (TestRecord<String, DriverObservationChange> r : all) assertEquals(r.value().getSegment(), r.key(), "keyed by its segment");
        return all;
    }

    @Test
    void anAnswerWithNoEarlierExperienceIsOneObservationWithEveryPredictorMissing() {
        try (PipelineDriver p = new PipelineDriver()) {
            CustomerInteraction a = answer("c1", minutes(1), 9);
            p.send(a);

            List<TestRecord<String, DriverObservationChange>> changes = changes(p);
            assertEquals(1, changes.size());
            DriverObservationChange c = changes.get(0).value();
            assertEquals(BrandEquityTopology.UNASSIGNED_SEGMENT, changes.get(0).key());
            assertEquals(1, c.getMultiplier());
            assertEquals(a.getEventId(), c.getEventId());
            assertEquals(minutes(1).toEpochMilli(), c.getEventTime());
            assertEquals(9, c.getOutcome());
            assertEquals(DriverSet.size(), c.getPredictors().size());
            assertTrue(c.getPredictors().stream().allMatch(x -> x.isNaN()), c.getPredictors().toString());
        }
    }

    @Test
    void aTouchpointTheCustomerNeverMetIsMissingWhileAMetOneIsTheirExperienceThere() {
        try (PipelineDriver p = new PipelineDriver()) {
            p.send(driverEvent("c1", minutes(1), Touchpoint.DELIVERY, 5));
            p.send(answer("c1", minutes(3), 10));

            DriverObservationChange c = changes(p).get(0).value();
            assertEquals(1.0, c.getPredictors().get(DELIVERY), 1e-15, "CSAT 5: x = 1");
            assertTrue(c.getPredictors().get(SUPPORT).isNaN(), "never met: missing, not zero");
        }
    }

    @Test
    void aLateAnswerGetsThePredictorsOfTheEventsBeforeItOnly() {
        try (PipelineDriver p = new PipelineDriver(ONE_DAY)) {
            p.send(driverEvent("c1", minutes(1), Touchpoint.DELIVERY, 5));
            p.send(driverEvent("c1", minutes(30), Touchpoint.DELIVERY, 1));
            p.advanceStreamTime(minutes(60));

            p.send(answer("c1", minutes(10), 7)); // 50 minutes behind stream time

            List<TestRecord<String, DriverObservationChange>> changes = changes(p);
            assertEquals(1, changes.size());
            assertEquals(1.0, changes.get(0).value().getPredictors().get(DELIVERY), 1e-15, "the event at 30m came after the answer");
        }
    }

    @Test
    void aLateDriverEventRetractsTheLaterAnswerAsEmittedAndAddsItCorrected() {
        try (PipelineDriver p = new PipelineDriver(ONE_DAY)) {
            CustomerInteraction good = driverEvent("c1", minutes(1), Touchpoint.DELIVERY, 5);
            p.send(good);
            p.send(answer("c1", minutes(20), 7));
            p.advanceStreamTime(minutes(60));
            DriverObservationChange added = changes(p).get(0).value();

            CustomerInteraction bad = driverEvent("c1", minutes(10), Touchpoint.DELIVERY, 1);
            p.send(bad);

            List<TestRecord<String, DriverObservationChange>> changes = changes(p);
            assertEquals(2, changes.size());
            DriverObservationChange retraction = changes.get(0).value();
            DriverObservationChange correction = changes.get(1).value();
            assertEquals(-1, retraction.getMultiplier());
            assertEquals(added.getEventId(), retraction.getEventId());
            assertEquals(added.getPredictors(), retraction.getPredictors(), "retracted exactly as it was added");
            assertEquals(1, correction.getMultiplier());
            ScoringModel scoring = new ScoringModel(p.config.model());
            ExperienceSignal g = scoring.score(good);
            ExperienceSignal b = scoring.score(bad);
            double fg = Math.pow(2, -19.0 / 60);
            double fb = Math.pow(2, -10.0 / 60);
            double expected = (g.weight() * g.value() * fg + b.weight() * b.value() * fb) / (g.weight() * fg + b.weight() * fb);
            assertEquals(expected, correction.getPredictors().get(DELIVERY), 1e-12, "half-life 1h: weights 2^(-19/60), 2^(-10/60)");
        }
    }

    @Test
    void aCopyOfAnAnswerOrOfALateDriverEventChangesNoObservation() {
        try (PipelineDriver p = new PipelineDriver(ONE_DAY)) {
            CustomerInteraction a = answer("c1", minutes(20), 7);
            p.send(a);
            p.advanceStreamTime(minutes(60));
            assertEquals(List.of(1), changes(p).stream().map(r -> r.value().getMultiplier()).toList());
            CustomerInteraction late = driverEvent("c1", minutes(10), Touchpoint.DELIVERY, 1);
            p.send(late);
            assertEquals(List.of(-1, 1), changes(p).stream().map(r -> r.value().getMultiplier()).toList());

            p.send(a);
            p.send(late);

            assertEquals(List.of(), changes(p));
        }
    }

    @Test
    void aRetractionAfterTheCustomerChangedSegmentGoesToTheSegmentOfItsAddition() {
        try (PipelineDriver p = new PipelineDriver(ONE_DAY)) {
            p.profile(profile("c1", "broad-base"));
            p.send(answer("c1", minutes(20), 7));
            p.profile(profile("c1", "high-value"));
            p.send(answer("c1", minutes(30), 9));
            p.advanceStreamTime(minutes(60));
            assertEquals(List.of("broad-base", "high-value"), changes(p).stream().map(r -> r.key()).toList());

            p.send(driverEvent("c1", minutes(10), Touchpoint.DELIVERY, 1));

            List<TestRecord<String, DriverObservationChange>> changes = changes(p);
            assertEquals(4, changes.size());
            for (TestRecord<String, DriverObservationChange> r : changes) assertEquals(r.key(), r.value().getSegment());
            assertEquals(List.of("broad-base:-1", "broad-base:1", "high-value:-1", "high-value:1"),
                    changes.stream().map(r -> r.key() + ":" + r.value().getMultiplier()).sorted().toList(),
                    "each answer stays in the segment it was given in");
        }
    }

    @Test
    void anEventBeyondTheLateHorizonIsADeadLetterAndChangesNoObservation() {
        try (PipelineDriver p = new PipelineDriver(Map.of("late.horizon", "10m"))) {
            p.send(answer("c1", minutes(20), 7));
            p.advanceStreamTime(minutes(60));
            changes(p);

            p.send(driverEvent("c1", minutes(10), Touchpoint.DELIVERY, 1));

            assertEquals(List.of(), changes(p));
            assertEquals(1, p.deadLetters.readRecordsToList().size());
        }
    }

    @Test
    void driverExperienceOlderThanTheLateHorizonIsSettledAndStillAPredictor() {
        try (PipelineDriver p = new PipelineDriver(Map.of("late.horizon", "10m", "drivers.half.life", "1h"))) {
            CustomerInteraction old = driverEvent("c1", minutes(1), Touchpoint.DELIVERY, 2);
            p.send(old);
            p.advanceStreamTime(Events.at(Duration.ofHours(3)));
            p.send(driverEvent("c1", Events.at(Duration.ofHours(3)), Touchpoint.SUPPORT_CONTACT, 4)); // settles the 1m event

            p.send(answer("c1", Events.at(Duration.ofHours(4)), 6));

            List<TestRecord<String, DriverObservationChange>> changes = changes(p);
            assertEquals(1, changes.size());
            assertEquals(-0.5, changes.get(0).value().getPredictors().get(DELIVERY), 1e-15, "CSAT 2: x = -0.5, alone at DELIVERY");
            assertEquals(0.5, changes.get(0).value().getPredictors().get(SUPPORT), 1e-15, "CSAT 4");
            assertTrue(CustomerDriverStates.of(p.driver.<String, org.brandequity.avro.internal.CustomerLedger>getKeyValueStore(
                            BrandEquityTopology.CUSTOMER_LEDGER_STORE).get("c1").getDrivers())
                    .kept().stream().noneMatch(e -> e.time() == minutes(1).toEpochMilli()),
                    "the event at 1m is no longer kept one by one");
        }
    }
}
