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
import java.util.TreeMap;
import org.brandequity.avro.AlertScope;
import org.brandequity.avro.AlertState;
import org.brandequity.avro.BrandEquity;
import org.brandequity.avro.ScoreDropAlert;
import org.brandequity.avro.SegmentContribution;
import org.brandequity.avro.SegmentExperienceScore;
import org.brandequity.model.NetExperience;
import org.junit.jupiter.api.Test;

/**
 * Segment labels on /metrics: a segment named in {@code metrics.segments} keeps its own label, every
 * other one is folded into {@code other}, sums added and ratios recomputed from the summed parts.
 */
class SegmentLabelFoldingTest {
    private static final long NOW = 1_700_000_100_000L;

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final DomainMetrics metrics = new DomainMetrics(registry, () -> NOW, Set.of("high-value"));

    @Test
    void theContributionOfOtherIsTheSumOfTheUnnamedSegmentsContributions() {
        metrics.onEquity(equity(segment("high-value", 50, 125), segment("trial", -7.5, 40), segment("partner", 3.5, 10)));
        Map<String, Double> s = scrape();

        assertEquals(50.0, s.get("brandequity_segment_contribution{segment=\"high-value\"}"));
        assertEquals(-7.5 + 3.5, s.get("brandequity_segment_contribution{segment=\"other\"}"), 1e-12);
        assertFalse(s.containsKey("brandequity_segment_contribution{segment=\"trial\"}"), s.keySet().toString());
    }

    @Test
    void thePerceivedExperienceOfOtherIsItsSummedContributionOverItsSummedVolume() {
        metrics.onEquity(equity(segment("trial", -7.5, 40), segment("partner", 3.5, 10)));

        // Not the mean of -7.5/40 and 3.5/10 (0.0625): the bigger segment weighs more.
        assertEquals((-7.5 + 3.5) / (40 + 10), scrape().get("brandequity_segment_perceived{segment=\"other\"}"), 1e-12);
    }

    @Test
    void theNetExperienceOfOtherIsRecomputedFromTheSummedCustomerCounts() {
        metrics.onSegmentScore(score("trial", 60_000, 10, 6, 1));   // NX 50
        metrics.onSegmentScore(score("partner", 60_000, 30, 3, 12)); // NX -30
        Map<String, Double> s = scrape();

        NetExperience folded = NetExperience.of(6 + 3, 1 + 12, 40);
        assertEquals(folded.score(), s.get("brandequity_segment_net_experience{segment=\"other\"}"), 1e-12);
        assertEquals(folded.marginOfError(), s.get("brandequity_segment_net_experience_margin{segment=\"other\"}"), 1e-12);
        assertEquals(40.0, s.get("brandequity_segment_sample_size{segment=\"other\"}"));
    }

    @Test
    void theMeanScoreOfOtherWeighsEachSegmentsMeanByItsCustomers() {
        metrics.onSegmentScore(score("trial", 60_000, 10, 6, 1, 0.5));
        metrics.onSegmentScore(score("partner", 60_000, 30, 3, 12, -0.1));

        assertEquals((10 * 0.5 + 30 * -0.1) / 40, scrape().get("brandequity_segment_mean_score{segment=\"other\"}"), 1e-12);
    }

    @Test
    void otherShowsTheNewestWindowOfItsSegmentsAndLeavesOutASegmentWhoseLatestWindowIsOlder() {
        metrics.onSegmentScore(score("trial", 60_000, 10, 6, 1));
        metrics.onSegmentScore(score("partner", 120_000, 30, 3, 12));
        Map<String, Double> s = scrape();

        assertEquals(120.0, s.get("brandequity_segment_window_start_seconds{segment=\"other\"}"));
        assertEquals(30.0, s.get("brandequity_segment_sample_size{segment=\"other\"}"), "trial has no customers in the 120 s window");
    }

    @Test
    void aNamedSegmentsNetExperienceIsItsOwnRecordsValues() {
        metrics.onSegmentScore(SegmentExperienceScore.newBuilder(score("high-value", 60_000, 150, 60, 30, 0.31)).setNetExperience(20.0)
                .setNetExperienceMarginOfError(8.0).build());
        Map<String, Double> s = scrape();

        assertEquals(20.0, s.get("brandequity_segment_net_experience{segment=\"high-value\"}"));
        assertEquals(8.0, s.get("brandequity_segment_net_experience_margin{segment=\"high-value\"}"));
        assertEquals(0.31, s.get("brandequity_segment_mean_score{segment=\"high-value\"}"));
    }

    @Test
    void aFiringAlertOfAnUnnamedSegmentFiresUnderSubjectOtherWithTheLargestDrop() {
        metrics.onAlert(alert(AlertScope.SEGMENT, "trial", AlertState.FIRING, 12));
        metrics.onAlert(alert(AlertScope.SEGMENT, "partner", AlertState.RESOLVED, 3));
        metrics.onAlert(alert(AlertScope.TOUCHPOINT, "DELIVERY", AlertState.FIRING, 20));
        Map<String, Double> s = scrape();

        assertEquals(1.0, s.get("brandequity_score_drop_alert_firing{scope=\"SEGMENT\",subject=\"other\"}"));
        assertEquals(12.0, s.get("brandequity_score_drop_alert_drop_points{scope=\"SEGMENT\",subject=\"other\"}"));
        assertEquals(1.0, s.get("brandequity_score_drop_alert_firing{scope=\"TOUCHPOINT\",subject=\"DELIVERY\"}"),
                "a touchpoint subject is a bounded enum symbol: never folded");
        assertFalse(s.keySet().stream().anyMatch(k -> k.contains("trial")), s.keySet().toString());
    }

    @Test
    void aResolvedAlertOfTheOnlyUnnamedSegmentClearsOther() {
        metrics.onAlert(alert(AlertScope.SEGMENT, "trial", AlertState.FIRING, 12));
        scrape();
        metrics.onAlert(alert(AlertScope.SEGMENT, "trial", AlertState.RESOLVED, 1));

        assertEquals(0.0, scrape().get("brandequity_score_drop_alert_firing{scope=\"SEGMENT\",subject=\"other\"}"));
    }

    @Test
    void withNoNamedSegmentsEverySegmentIsOther() {
        PrometheusMeterRegistry own = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        DomainMetrics none = new DomainMetrics(own, () -> NOW, Set.of());
        none.onEquity(equity(segment("high-value", 50, 125), segment("trial", -7.5, 40)));
        none.refresh();
        Map<String, Double> s = parse(own.scrape());

        assertEquals(42.5, s.get("brandequity_segment_contribution{segment=\"other\"}"), 1e-12);
        assertTrue(s.keySet().stream().filter(k -> k.startsWith("brandequity_segment_contribution")).count() == 1, s.keySet().toString());
    }

    @Test
    void aFloodOf5000SegmentNamesLeavesTheSegmentMapsBoundedAndTheLabelledSegmentKept() {
        metrics.onSegmentScore(score("high-value", 60_000, 10, 6, 1));
        for (int i = 0; i < 5_000; i++) {
            metrics.onSegmentScore(score("flood-" + i, 60_000, 10, 1, 1));
            metrics.onAlert(alert(AlertScope.SEGMENT, "flood-" + i, AlertState.FIRING, 5));
        }
        Map<String, Double> s = scrape();

        assertEquals(1 + DomainMetrics.MAX_UNLABELLED_SEGMENTS, metrics.rememberedSegmentScores(),
                "the labelled segment plus the most recent unlabelled ones");
        assertEquals(10.0, s.get("brandequity_segment_sample_size{segment=\"high-value\"}"), "never forgotten");
        assertEquals(10.0 * DomainMetrics.MAX_UNLABELLED_SEGMENTS, s.get("brandequity_segment_sample_size{segment=\"other\"}"));
    }

    private Map<String, Double> scrape() {
        metrics.refresh();
        return parse(registry.scrape());
    }

    /** Series (name plus sorted label set, as in the exposition format) to value. */
    static Map<String, Double> parse(String exposition) {
        Map<String, Double> out = new TreeMap<>();
        for (String line : exposition.split("\n")) {
            if (line.isBlank() || line.startsWith("#")) continue;
            int space = line.lastIndexOf(' ');
            out.put(line.substring(0, space), Double.parseDouble(line.substring(space + 1)));
        }
        return out;
    }

    private static SegmentContribution segment(String name, double contribution, double volume) {
        return SegmentContribution.newBuilder().setSegment(name).setSegmentWeight(1.0).setContribution(contribution)
                .setVolume(volume).setPerceived(contribution / volume).build();
    }

    private static BrandEquity equity(SegmentContribution... segments) {
        double stock = 0;
        double volume = 0;
        for (SegmentContribution s : segments) {
            stock += s.getContribution();
            volume += s.getVolume();
        }
        return BrandEquity.newBuilder().setBrandId("acme").setAsOf(Instant.ofEpochMilli(NOW - 1_000)).setStock(stock)
                .setVolume(volume).setIndex(100 * stock / (volume + 10)).setEvents(segments.length)
                .setSegments(List.of(segments)).setTouchpoints(List.of()).setStages(List.of()).build();
    }

    private static SegmentExperienceScore score(String segment, long windowStart, long n, long positive, long negative) {
        return score(segment, windowStart, n, positive, negative, 0.0);
    }

    private static SegmentExperienceScore score(String segment, long windowStart, long n, long positive, long negative, double mean) {
        NetExperience nx = NetExperience.of(positive, negative, n);
        return SegmentExperienceScore.newBuilder().setSegment(segment).setWindowStart(Instant.ofEpochMilli(windowStart))
                .setWindowEnd(Instant.ofEpochMilli(windowStart + 60_000)).setCustomers(n).setEvents(n * 3)
                .setMeanCustomerScore(mean).setPositiveCustomers(positive).setNegativeCustomers(negative)
                .setNetExperience(nx.score()).setNetExperienceMarginOfError(nx.marginOfError()).setSampleSize(n).build();
    }

    private static ScoreDropAlert alert(AlertScope scope, String subject, AlertState state, double drop) {
        return ScoreDropAlert.newBuilder().setAlertId(scope + ":" + subject + ":1").setScope(scope).setSubject(subject).setState(state)
                .setDetectedAt(Instant.ofEpochMilli(NOW)).setWindowStart(Instant.ofEpochMilli(0)).setWindowEnd(Instant.ofEpochMilli(60_000))
                .setBaseline(40).setValue(40 - drop).setDrop(drop).setMarginOfError(5).setSampleSize(100).setReason("drop-below-baseline")
                .build();
    }
}
