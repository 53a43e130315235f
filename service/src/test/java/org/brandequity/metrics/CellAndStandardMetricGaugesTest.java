package org.brandequity.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.brandequity.avro.BrandEquity;
import org.brandequity.avro.EquityCell;
import org.brandequity.avro.LifecycleStage;
import org.brandequity.avro.SegmentExperienceScore;
import org.brandequity.avro.SegmentStageExperience;
import org.brandequity.avro.SegmentTouchpointExperience;
import org.brandequity.avro.Touchpoint;
import org.brandequity.model.StandardMetrics;
import org.junit.jupiter.api.Test;

/**
 * The issue-14 gauges: equity cells, segment x touchpoint and segment x stage experience, and NPS,
 * CSAT and CES per segment, with {@code high-value} named in {@code metrics.segments} and every other
 * segment folded into {@code other}.
 */
class CellAndStandardMetricGaugesTest {
    private static final long NOW = 1_700_000_100_000L;

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final DomainMetrics metrics = new DomainMetrics(registry, () -> NOW, Set.of("high-value"));

    @Test
    void aCellWithDataIsAGaugeOfItsContributionAndVolume() {
        metrics.onEquity(equity(List.of(cell("high-value", Touchpoint.DELIVERY, LifecycleStage.PURCHASE, 6.0, 20.0)), List.of(), List.of()));
        Map<String, Double> s = scrape();

        String labels = "{segment=\"high-value\",stage=\"PURCHASE\",touchpoint=\"DELIVERY\"}";
        assertEquals(6.0, s.get("brandequity_cell_contribution" + labels));
        assertEquals(20.0, s.get("brandequity_cell_volume" + labels));
    }

    @Test
    void theCellsOfUnnamedSegmentsAreSummedPerTouchpointAndStageUnderOther() {
        metrics.onEquity(equity(List.of(cell("trial", Touchpoint.DELIVERY, LifecycleStage.PURCHASE, 6.0, 20.0),
                cell("partner", Touchpoint.DELIVERY, LifecycleStage.PURCHASE, -1.5, 5.0),
                cell("partner", Touchpoint.DELIVERY, LifecycleStage.USAGE, 2.0, 4.0)), List.of(), List.of()));
        Map<String, Double> s = scrape();

        assertEquals(4.5, s.get("brandequity_cell_contribution{segment=\"other\",stage=\"PURCHASE\",touchpoint=\"DELIVERY\"}"), 1e-12);
        assertEquals(25.0, s.get("brandequity_cell_volume{segment=\"other\",stage=\"PURCHASE\",touchpoint=\"DELIVERY\"}"), 1e-12);
        assertEquals(2.0, s.get("brandequity_cell_contribution{segment=\"other\",stage=\"USAGE\",touchpoint=\"DELIVERY\"}"));
    }

    @Test
    void aCellThatLeavesTheEquityRecordLosesItsSeries() {
        metrics.onEquity(equity(List.of(cell("high-value", Touchpoint.DELIVERY, LifecycleStage.PURCHASE, 6.0, 20.0),
                cell("high-value", Touchpoint.RETURN, LifecycleStage.SERVICE, -2.0, 4.0)), List.of(), List.of()));
        scrape();
        metrics.onEquity(equity(List.of(cell("high-value", Touchpoint.DELIVERY, LifecycleStage.PURCHASE, 6.5, 21.0)), List.of(), List.of()));
        Map<String, Double> s = scrape();

        assertFalse(s.keySet().stream().anyMatch(k -> k.contains("touchpoint=\"RETURN\"")), s.keySet().toString());
        assertEquals(6.5, s.get("brandequity_cell_contribution{segment=\"high-value\",stage=\"PURCHASE\",touchpoint=\"DELIVERY\"}"));
    }

    @Test
    void aNamedSegmentsTouchpointPromiseGapIsItsRecords() {
        metrics.onEquity(equity(List.of(), List.of(pair("high-value", Touchpoint.DELIVERY, 6.0, 20.0, 0.8)), List.of()));
        Map<String, Double> s = scrape();

        assertEquals(0.3, s.get("brandequity_segment_touchpoint_perceived{segment=\"high-value\",touchpoint=\"DELIVERY\"}"), 1e-12);
        assertEquals(0.8 - 0.3, s.get("brandequity_segment_touchpoint_promise_gap{segment=\"high-value\",touchpoint=\"DELIVERY\"}"), 1e-12);
    }

    @Test
    void otherPromiseGapAtATouchpointIsThePromiseMinusItsSummedContributionOverItsSummedVolume() {
        metrics.onEquity(equity(List.of(), List.of(pair("trial", Touchpoint.DELIVERY, 6.0, 20.0, 0.8),
                pair("partner", Touchpoint.DELIVERY, -1.0, 5.0, 0.8)), List.of()));

        // (6 - 1) / (20 + 5) = 0.2, not the mean of 0.3 and -0.2 (0.05).
        assertEquals(0.8 - 0.2, scrape().get("brandequity_segment_touchpoint_promise_gap{segment=\"other\",touchpoint=\"DELIVERY\"}"), 1e-12);
    }

    @Test
    void aStageWithAPromiseHasAPromiseGapAndOneWithoutHasNone() {
        metrics.onEquity(equity(List.of(), List.of(), List.of(stage("high-value", LifecycleStage.PURCHASE, 3.0, 10.0, 0.6),
                stage("high-value", LifecycleStage.USAGE, 1.0, 10.0, null))));
        Map<String, Double> s = scrape();

        assertEquals(0.6 - 0.3, s.get("brandequity_segment_stage_promise_gap{segment=\"high-value\",stage=\"PURCHASE\"}"), 1e-12);
        assertEquals(0.1, s.get("brandequity_segment_stage_perceived{segment=\"high-value\",stage=\"USAGE\"}"), 1e-12);
        assertFalse(s.containsKey("brandequity_segment_stage_promise_gap{segment=\"high-value\",stage=\"USAGE\"}"), s.keySet().toString());
    }

    @Test
    void aSegmentWithNoNpsAnswerHasNoNpsSeriesAndZeroResponses() {
        metrics.onSegmentScore(score("high-value", 0, 0, 0, 10, 8, 0, 0, 0));
        Map<String, Double> s = scrape();

        assertEquals(0.0, s.get("brandequity_segment_nps_responses{segment=\"high-value\"}"));
        assertFalse(s.containsKey("brandequity_segment_nps{segment=\"high-value\"}"), "absent, not NaN");
        assertFalse(s.containsKey("brandequity_segment_nps_margin{segment=\"high-value\"}"));
        assertEquals(80.0, s.get("brandequity_segment_csat{segment=\"high-value\"}"), 1e-12);
    }

    @Test
    void aNamedSegmentsNpsCsatAndCesAreItsRecordsValues() {
        metrics.onSegmentScore(score("high-value", 5, 3, 2, 10, 8, 4, 20, 104));
        Map<String, Double> s = scrape();
        StandardMetrics.Nps nps = StandardMetrics.nps(5, 3, 2);
        StandardMetrics.Csat csat = StandardMetrics.csat(10, 8);
        StandardMetrics.Ces ces = StandardMetrics.ces(4, 20, 104);

        assertEquals(nps.score(), s.get("brandequity_segment_nps{segment=\"high-value\"}"));
        assertEquals(nps.marginOfError(), s.get("brandequity_segment_nps_margin{segment=\"high-value\"}"));
        assertEquals(10.0, s.get("brandequity_segment_nps_responses{segment=\"high-value\"}"));
        assertEquals(csat.lower(), s.get("brandequity_segment_csat_lower{segment=\"high-value\"}"));
        assertEquals(csat.upper(), s.get("brandequity_segment_csat_upper{segment=\"high-value\"}"));
        assertEquals(ces.mean(), s.get("brandequity_segment_ces{segment=\"high-value\"}"));
        assertEquals(ces.lower(), s.get("brandequity_segment_ces_lower{segment=\"high-value\"}"));
        assertEquals(ces.upper(), s.get("brandequity_segment_ces_upper{segment=\"high-value\"}"));
    }

    @Test
    void otherNpsAndItsMarginAreRecomputedFromTheSummedAnswerCounts() {
        metrics.onSegmentScore(score("trial", 9, 1, 0, 0, 0, 0, 0, 0));   // NPS 90
        metrics.onSegmentScore(score("partner", 1, 5, 24, 0, 0, 0, 0, 0)); // NPS -76.7
        Map<String, Double> s = scrape();

        StandardMetrics.Nps folded = StandardMetrics.nps(10, 6, 24);
        assertEquals(folded.score(), s.get("brandequity_segment_nps{segment=\"other\"}"), 1e-12);
        assertEquals(folded.marginOfError(), s.get("brandequity_segment_nps_margin{segment=\"other\"}"), 1e-12);
        assertEquals(40.0, s.get("brandequity_segment_nps_responses{segment=\"other\"}"));
    }

    @Test
    void otherCsatAndItsWilsonIntervalAreRecomputedFromTheSummedRatings() {
        metrics.onSegmentScore(score("trial", 0, 0, 0, 4, 4, 0, 0, 0));
        metrics.onSegmentScore(score("partner", 0, 0, 0, 16, 6, 0, 0, 0));
        Map<String, Double> s = scrape();

        StandardMetrics.Csat folded = StandardMetrics.csat(20, 10);
        assertEquals(50.0, s.get("brandequity_segment_csat{segment=\"other\"}"), 1e-12);
        assertEquals(folded.lower(), s.get("brandequity_segment_csat_lower{segment=\"other\"}"), 1e-12);
        assertEquals(folded.upper(), s.get("brandequity_segment_csat_upper{segment=\"other\"}"), 1e-12);
    }

    @Test
    void otherCesAndItsIntervalAreThoseOfAllTheAnswersTogether() {
        // trial answered 5, 6, 7, 6 (sum 24, squares 146); partner 2, 3, 3 (sum 8, squares 22); one answer of 4 elsewhere.
        metrics.onSegmentScore(score("trial", 0, 0, 0, 0, 0, 4, 24, 146));
        metrics.onSegmentScore(score("partner", 0, 0, 0, 0, 0, 3, 8, 22));
        metrics.onSegmentScore(score("single", 0, 0, 0, 0, 0, 1, 4, 16));
        Map<String, Double> s = scrape();

        StandardMetrics.Ces all = StandardMetrics.ces(8, 36, 184);
        assertEquals(all.mean(), s.get("brandequity_segment_ces{segment=\"other\"}"), 1e-12);
        assertEquals(all.lower(), s.get("brandequity_segment_ces_lower{segment=\"other\"}"), 1e-12);
        assertEquals(all.upper(), s.get("brandequity_segment_ces_upper{segment=\"other\"}"), 1e-12);
        assertEquals(8.0, s.get("brandequity_segment_ces_responses{segment=\"other\"}"));
    }

    @Test
    void aCesWithOneAnswerHasAValueButNoIntervalSeries() {
        metrics.onSegmentScore(score("high-value", 0, 0, 0, 0, 0, 1, 6, 36));
        Map<String, Double> s = scrape();

        assertEquals(6.0, s.get("brandequity_segment_ces{segment=\"high-value\"}"));
        assertTrue(!s.containsKey("brandequity_segment_ces_lower{segment=\"high-value\"}")
                && !s.containsKey("brandequity_segment_ces_upper{segment=\"high-value\"}"), s.keySet().toString());
    }

    private Map<String, Double> scrape() {
        metrics.refresh();
        return SegmentLabelFoldingTest.parse(registry.scrape());
    }

    private static EquityCell cell(String segment, Touchpoint t, LifecycleStage stage, double contribution, double volume) {
        return EquityCell.newBuilder().setSegment(segment).setTouchpoint(t).setStage(stage).setContribution(contribution)
                .setVolume(volume).build();
    }

    private static SegmentTouchpointExperience pair(String segment, Touchpoint t, double contribution, double volume, double promise) {
        double perceived = contribution / volume;
        return SegmentTouchpointExperience.newBuilder().setSegment(segment).setTouchpoint(t).setContribution(contribution)
                .setVolume(volume).setPerceived(perceived).setPromise(promise).setPromiseGap(promise - perceived).build();
    }

    private static SegmentStageExperience stage(String segment, LifecycleStage stage, double contribution, double volume, Double promise) {
        double perceived = contribution / volume;
        return SegmentStageExperience.newBuilder().setSegment(segment).setStage(stage).setContribution(contribution)
                .setVolume(volume).setPerceived(perceived).setPromise(promise)
                .setPromiseGap(promise == null ? null : promise - perceived).build();
    }

    private static BrandEquity equity(List<EquityCell> cells, List<SegmentTouchpointExperience> touchpoints,
                                      List<SegmentStageExperience> stages) {
        return BrandEquity.newBuilder().setBrandId("acme").setAsOf(Instant.ofEpochMilli(NOW - 1_000)).setStock(0).setVolume(0)
                .setIndex(0).setEvents(1).setSegments(List.of()).setTouchpoints(List.of()).setStages(List.of())
                .setCells(cells).setSegmentTouchpoints(touchpoints).setSegmentStages(stages).build();
    }

    /** A segment window with the given answers, its scores computed by StandardMetrics as the topology does. */
    private static SegmentExperienceScore score(String segment, long promoters, long passives, long detractors,
                                                long ratings, long satisfied, long efforts, long effortSum, long effortSquares) {
        StandardMetrics.Nps nps = StandardMetrics.nps(promoters, passives, detractors);
        StandardMetrics.Csat csat = StandardMetrics.csat(ratings, satisfied);
        StandardMetrics.Ces ces = StandardMetrics.ces(efforts, effortSum, effortSquares);
        return SegmentExperienceScore.newBuilder().setSegment(segment).setWindowStart(Instant.ofEpochMilli(60_000))
                .setWindowEnd(Instant.ofEpochMilli(120_000)).setCustomers(1).setEvents(1).setMeanCustomerScore(0)
                .setPositiveCustomers(0).setNegativeCustomers(0).setNetExperience(0).setNetExperienceMarginOfError(100).setSampleSize(1)
                .setNpsResponses(nps.responses()).setNpsPromoters(promoters).setNpsPassives(passives).setNpsDetractors(detractors)
                .setNps(nps.score()).setNpsMarginOfError(nps.marginOfError())
                .setCsatResponses(csat.responses()).setCsatSatisfied(satisfied).setCsat(csat.score())
                .setCsatLower(csat.lower()).setCsatUpper(csat.upper())
                .setCesResponses(ces.responses()).setCes(ces.mean()).setCesLower(ces.lower()).setCesUpper(ces.upper()).build();
    }
}
