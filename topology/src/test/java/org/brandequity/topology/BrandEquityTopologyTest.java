package org.brandequity.topology;

import static org.brandequity.topology.Events.interaction;
import static org.brandequity.topology.Events.minutes;
import static org.brandequity.topology.Events.profile;
import static org.brandequity.topology.Events.rated;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.brandequity.avro.BrandEquity;
import org.brandequity.avro.CustomerExperienceScore;
import org.brandequity.avro.SegmentContribution;
import org.brandequity.avro.SegmentExperienceScore;
import org.brandequity.avro.StageContribution;
import org.brandequity.avro.Touchpoint;
import org.brandequity.avro.TouchpointContribution;
import org.junit.jupiter.api.Test;

class BrandEquityTopologyTest {

    @Test
    void aCustomerWithoutProfileIsCountedInTheUnassignedSegment() {
        try (PipelineDriver p = new PipelineDriver()) {
            p.send(rated("stranger", minutes(1), 5));
            p.advanceStreamTime(minutes(12));

            assertEquals("unassigned", p.customerScores.readValue().getSegment());
            BrandEquity equity = p.latestEquity();
            assertTrue(segment(equity, "unassigned").getContribution() > 0);
        }
    }

    @Test
    void aDeletedProfileSendsTheCustomersLaterExperienceToUnassigned() {
        try (PipelineDriver p = new PipelineDriver()) {
            p.profile(profile("c1", "high-value"));
            p.send(rated("c1", minutes(1), 5));
            p.profiles.pipeInput("c1", null, Events.T0);
            p.send(rated("c1", minutes(11), 5));
            p.advanceStreamTime(minutes(30));

            Map<String, String> segmentByWindow = segmentByWindowStart(p, "c1");
            assertEquals(Map.of(minutes(0).toString(), "high-value", minutes(10).toString(), "unassigned"), segmentByWindow);
        }
    }

    @Test
    void aCustomerWhoChangesSegmentCountsInTheNewSegmentFromThenOn() {
        try (PipelineDriver p = new PipelineDriver()) {
            p.profile(profile("c1", "broad-base"));
            p.send(rated("c1", minutes(1), 5));
            p.profile(profile("c1", "high-value"));
            p.send(rated("c1", minutes(11), 1));
            p.advanceStreamTime(minutes(30));

            Map<String, String> segmentByWindow = segmentByWindowStart(p, "c1");
            assertEquals(Map.of(minutes(0).toString(), "broad-base", minutes(10).toString(), "high-value"), segmentByWindow);
            BrandEquity equity = p.latestEquity();
            assertTrue(segment(equity, "broad-base").getContribution() > 0, "earlier experience stays with the old segment");
            assertTrue(segment(equity, "high-value").getContribution() < 0, "later experience goes to the new segment");
        }
    }

    @Test
    void equityHalvesAfterOneHalfLifeWithNoNewExperience() {
        try (PipelineDriver p = new PipelineDriver()) {
            p.send(rated("c1", minutes(0), 5));
            BrandEquity before = p.latestEquity();
            // A neutral event (x = 0) one half-life (1h in tests) later only moves time forward.
            p.send(rated("c2", minutes(60), 3));
            BrandEquity after = p.latestEquity();

            assertEquals(before.getStock() / 2, after.getStock(), 1e-12);
            assertEquals(minutes(60), after.getAsOf());
        }
    }

    @Test
    void aHighValueSegmentWeighsAsConfigured() {
        try (PipelineDriver p = new PipelineDriver(Map.of("model.segment.weights", "broad-base:1,high-value:4"))) {
            p.profile(profile("vip", "high-value"));
            p.profile(profile("joe", "broad-base"));
            p.send(rated("vip", minutes(1), 5), rated("joe", minutes(1), 5));
            BrandEquity equity = p.latestEquity();

            assertEquals(4.0, segment(equity, "high-value").getSegmentWeight());
            assertEquals(4 * segment(equity, "broad-base").getContribution(), segment(equity, "high-value").getContribution(), 1e-12);
        }
    }

    @Test
    void aCustomersValueWeightScalesTheirContribution() {
        try (PipelineDriver p = new PipelineDriver()) {
            p.profile(profile("big", "broad-base", 5.0));
            p.send(rated("big", minutes(1), 5));
            BrandEquity equity = p.latestEquity();

            // c = omega 1 x v 5 x w (survey 1.0 x usage 1.2), x = 1
            assertEquals(5 * 1.2, equity.getStock(), 1e-12);
        }
    }

    @Test
    void everyBreakdownOfEquitySumsToTheStock() {
        try (PipelineDriver p = new PipelineDriver()) {
            p.profile(profile("a", "high-value"));
            p.profile(profile("b", "broad-base"));
            p.send(rated("a", minutes(1), 5), rated("b", minutes(5), 1),
                    interaction("c", minutes(7)).setTouchpoint(Touchpoint.RENEWAL).build(),
                    interaction("b", minutes(9)).setTouchpoint(Touchpoint.DELIVERY).setSentiment(0.3).build());
            BrandEquity e = p.latestEquity();

            double bySegment = e.getSegments().stream().mapToDouble(SegmentContribution::getContribution).sum();
            double byTouchpoint = e.getTouchpoints().stream().mapToDouble(TouchpointContribution::getContribution).sum();
            double byStage = e.getStages().stream().mapToDouble(StageContribution::getContribution).sum();
            assertEquals(e.getStock(), bySegment, 1e-12);
            assertEquals(e.getStock(), byTouchpoint, 1e-12);
            assertEquals(e.getStock(), byStage, 1e-12);
            assertEquals(4, e.getEvents());
            assertEquals(100 * e.getStock() / (e.getVolume() + 10), e.getIndex(), 1e-12);
        }
    }

    @Test
    void thePromiseGapIsTheTouchpointTargetMinusPerceivedExperience() {
        try (PipelineDriver p = new PipelineDriver()) {
            p.send(interaction("c1", minutes(1)).setTouchpoint(Touchpoint.DELIVERY).setRating(4).build());
            TouchpointContribution delivery = p.latestEquity().getTouchpoints().get(0);

            assertEquals(Touchpoint.DELIVERY, delivery.getTouchpoint());
            assertEquals(0.5, delivery.getPerceived(), 1e-12);
            assertEquals(0.8, delivery.getPromise(), 1e-12);
            assertEquals(0.3, delivery.getPromiseGap(), 1e-12);
        }
    }

    @Test
    void equityIsFoldedOncePerFlushNotOncePerEvent() {
        try (PipelineDriver p = new PipelineDriver()) {
            for (int i = 0; i < 20; i++) p.send(rated("c" + i, minutes(1), 4));
            assertTrue(p.equity.isEmpty(), "nothing before the flush interval");
            p.driver.advanceWallClockTime(Duration.ofSeconds(1));

            List<BrandEquity> updates = p.equity.readValuesToList();
            assertEquals(1, updates.size());
            assertEquals(20, updates.get(0).getEvents());
        }
    }

    @Test
    void aSegmentWindowCarriesNetExperienceAndItsMarginOfError() {
        try (PipelineDriver p = new PipelineDriver()) {
            for (String c : List.of("a", "b", "c")) p.profile(profile(c, "broad-base"));
            p.profile(profile("d", "broad-base"));
            p.send(rated("a", minutes(1), 5), rated("b", minutes(2), 5), rated("c", minutes(3), 3), rated("d", minutes(4), 1));
            p.advanceStreamTime(minutes(12));

            List<SegmentExperienceScore> updates = p.segmentScores.readValuesToList().stream()
                    .filter(s -> s.getSegment().equals("broad-base")).toList();
            SegmentExperienceScore last = updates.get(updates.size() - 1);
            assertEquals(4, last.getCustomers());
            assertEquals(4, last.getEvents());
            assertEquals((1 + 1 + 0 - 1) / 4.0, last.getMeanCustomerScore(), 1e-12);
            assertEquals(100 * (0.5 - 0.25), last.getNetExperience(), 1e-12);
            assertEquals(1.96 * 100 * Math.sqrt((0.75 - 0.25 * 0.25) / 4), last.getNetExperienceMarginOfError(), 1e-12);
            assertEquals(4, last.getSampleSize());
            assertEquals(minutes(0), last.getWindowStart());
            assertEquals(minutes(10), last.getWindowEnd());
        }
    }

    private static SegmentContribution segment(BrandEquity e, String name) {
        return e.getSegments().stream().filter(s -> s.getSegment().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no segment " + name + " in " + e));
    }

    /** The segment of each emitted window of {@code customer}, by window start. */
    private static Map<String, String> segmentByWindowStart(PipelineDriver p, String customer) {
        return p.customerScores.readValuesToList().stream()
                .filter(s -> s.getCustomerId().equals(customer))
                .collect(Collectors.toMap(s -> s.getWindowStart().toString(), CustomerExperienceScore::getSegment));
    }
}
