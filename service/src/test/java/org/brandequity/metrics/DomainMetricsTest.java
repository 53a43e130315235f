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
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.brandequity.avro.BrandEquity;
import org.brandequity.avro.LifecycleStage;
import org.brandequity.avro.SegmentContribution;
import org.brandequity.avro.SegmentExperienceScore;
import org.brandequity.avro.StageContribution;
import org.brandequity.avro.Touchpoint;
import org.brandequity.avro.TouchpointContribution;
import org.junit.jupiter.api.Test;

/**
 * The brand-level gauges as Prometheus scrapes them (names, labels, values), fed with output
 * records directly: no Kafka needed. The alert rules and dashboards use these exact names.
 */
class DomainMetricsTest {
    private static final long NOW = 1_700_000_100_000L;

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final DomainMetrics metrics = new DomainMetrics(registry, () -> NOW, Set.of("high-value", "broad-base"));

    @Test
    void equityRecordBecomesBrandSegmentTouchpointAndStageGauges() {
        metrics.onEquity(equity(1_700_000_097_500L, 42.5));
        Map<String, Double> s = scrape();

        assertEquals(42.5, s.get("brandequity_equity_stock"));
        assertEquals(12.0, s.get("brandequity_equity_index"));
        assertEquals(300.0, s.get("brandequity_equity_volume"));
        assertEquals(1234.0, s.get("brandequity_equity_events_total"));
        assertEquals(1_700_000_097.5, s.get("brandequity_equity_as_of_seconds"));
        assertEquals(NOW / 1000.0, s.get("brandequity_equity_last_update_timestamp_seconds"));
        assertEquals(2.5, s.get("brandequity_end_to_end_latency_seconds"), 1e-9, "read at NOW, asOf 2.5 s earlier");
        assertEquals(50.0, s.get("brandequity_segment_contribution{segment=\"high-value\"}"));
        assertEquals(-7.5, s.get("brandequity_segment_contribution{segment=\"broad-base\"}"));
        assertEquals(0.4, s.get("brandequity_segment_perceived{segment=\"high-value\"}"));
        assertEquals(0.2, s.get("brandequity_touchpoint_perceived{touchpoint=\"DELIVERY\"}"));
        assertEquals(0.8, s.get("brandequity_touchpoint_promise{touchpoint=\"DELIVERY\"}"));
        assertEquals(0.6, s.get("brandequity_touchpoint_promise_gap{touchpoint=\"DELIVERY\"}"), 1e-12);
        assertEquals(30.0, s.get("brandequity_touchpoint_contribution{touchpoint=\"DELIVERY\"}"));
        assertEquals(100.0, s.get("brandequity_touchpoint_volume{touchpoint=\"DELIVERY\"}"));
        assertEquals(12.5, s.get("brandequity_stage_contribution{stage=\"PURCHASE\"}"));
        assertEquals(0.1, s.get("brandequity_stage_perceived{stage=\"PURCHASE\"}"));
        // Only touchpoints the brand has seen get a series: no NaN rows for the other 18.
        assertFalse(s.keySet().stream().anyMatch(k -> k.contains("touchpoint=\"AD\"")), s.keySet().toString());
    }

    @Test
    void aLaterEquityRecordMovesTheGaugesAndNoLabelCarriesAnId() {
        metrics.onEquity(equity(NOW - 10_000, 42.5));
        metrics.onEquity(equity(NOW - 1_000, -3.0));
        Map<String, Double> s = scrape();
        assertEquals(-3.0, s.get("brandequity_equity_stock"));
        assertEquals(1.0, s.get("brandequity_end_to_end_latency_seconds"), 1e-9);
        for (String series : s.keySet()) {
            Matcher labels = Pattern.compile("(\\w+)=\"").matcher(series);
            while (labels.find()) {
                assertTrue(List.of("segment", "touchpoint", "stage").contains(labels.group(1)), "unexpected label in " + series);
            }
        }
    }

    @Test
    void segmentGaugesFollowTheLatestWindowAndIgnoreUpdatesOfOlderOnes() {
        assertFalse(scrape().containsKey("brandequity_segment_net_experience{segment=\"high-value\"}"),
                "no segment series before the first segment record");
        metrics.onSegmentScore(score("high-value", 60_000, 20.0, 8.0, 150, 0.31));
        metrics.onSegmentScore(score("high-value", 120_000, -35.0, 9.5, 140, -0.12));
        metrics.onSegmentScore(score("high-value", 60_000, 25.0, 7.0, 160, 0.33)); // late update of the older window
        Map<String, Double> s = scrape();
        assertEquals(-35.0, s.get("brandequity_segment_net_experience{segment=\"high-value\"}"));
        assertEquals(9.5, s.get("brandequity_segment_net_experience_margin{segment=\"high-value\"}"));
        assertEquals(140.0, s.get("brandequity_segment_sample_size{segment=\"high-value\"}"));
        assertEquals(-0.12, s.get("brandequity_segment_mean_score{segment=\"high-value\"}"));
        assertEquals(120.0, s.get("brandequity_segment_window_start_seconds{segment=\"high-value\"}"));
    }

    @Test
    void beforeTheFirstEquityRecordTheBrandGaugesAreNaNSoAlertsSeeNoData() {
        Map<String, Double> s = scrape();
        assertTrue(s.get("brandequity_equity_stock").isNaN());
        assertTrue(s.get("brandequity_equity_last_update_timestamp_seconds").isNaN());
        assertTrue(s.get("brandequity_end_to_end_latency_seconds").isNaN());
    }

    /** Series (name plus sorted label set, as in the exposition format) to value. */
    private Map<String, Double> scrape() {
        metrics.refresh();
        Map<String, Double> out = new TreeMap<>();
        for (String line : registry.scrape().split("\n")) {
            if (line.isBlank() || line.startsWith("#")) continue;
            int space = line.lastIndexOf(' ');
            out.put(line.substring(0, space), Double.parseDouble(line.substring(space + 1)));
        }
        return out;
    }

    private static BrandEquity equity(long asOf, double stock) {
        return BrandEquity.newBuilder().setBrandId("acme").setAsOf(Instant.ofEpochMilli(asOf)).setStock(stock)
                .setVolume(300.0).setIndex(12.0).setEvents(1234)
                .setSegments(List.of(
                        SegmentContribution.newBuilder().setSegment("high-value").setSegmentWeight(3.0).setContribution(50.0).setVolume(125.0).setPerceived(0.4).build(),
                        SegmentContribution.newBuilder().setSegment("broad-base").setSegmentWeight(1.0).setContribution(-7.5).setVolume(175.0).setPerceived(-0.04).build()))
                .setTouchpoints(List.of(
                        TouchpointContribution.newBuilder().setTouchpoint(Touchpoint.DELIVERY).setContribution(30.0).setVolume(100.0)
                                .setPerceived(0.2).setPromise(0.8).setPromiseGap(0.8 - 0.2).build()))
                .setStages(List.of(
                        StageContribution.newBuilder().setStage(LifecycleStage.PURCHASE).setContribution(12.5).setVolume(125.0).setPerceived(0.1).build()))
                .build();
    }

    private static SegmentExperienceScore score(String segment, long windowStart, double nx, double margin, long n, double mean) {
        return SegmentExperienceScore.newBuilder().setSegment(segment).setWindowStart(Instant.ofEpochMilli(windowStart))
                .setWindowEnd(Instant.ofEpochMilli(windowStart + 60_000)).setCustomers(n).setEvents(n * 3)
                .setMeanCustomerScore(mean).setPositiveCustomers(n / 2).setNegativeCustomers(n / 4)
                .setNetExperience(nx).setNetExperienceMarginOfError(margin).setSampleSize(n).build();
    }
}
