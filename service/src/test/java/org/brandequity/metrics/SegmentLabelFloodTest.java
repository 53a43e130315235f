package org.brandequity.topology;

import static org.brandequity.topology.Events.minutes;
import static org.brandequity.topology.Events.profile;
import static org.brandequity.topology.Events.rated;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.brandequity.metrics.DomainMetrics;
import org.brandequity.avro.BrandEquity;
import org.brandequity.avro.SegmentExperienceScore;
import org.junit.jupiter.api.Test;

/**
 * Segment names are free strings from the profiles: a producer that invents thousands must not
 * create thousands of Prometheus series. The flood goes through the topology and its output
 * records into the gauges, as on a running instance.
 */
class SegmentLabelFloodTest {
    private static final int FLOOD = 5_000;
    private static final Pattern SEGMENT_SERIES = Pattern.compile("^(\\w+)\\{[^}]*segment=\"([^\"]*)\"", Pattern.MULTILINE);

    @Test
    void fiveThousandSegmentNamesBecomeOneOtherLabelBesideTheNamedSegments() {
        try (PipelineDriver p = new PipelineDriver(Map.of("metrics.segments", "high-value,broad-base"))) {
            p.profile(profile("hv", "high-value"));
            p.send(rated("hv", minutes(1), 5));
            for (int i = 0; i < FLOOD; i++) {
                p.profile(profile("c" + i, "flood-" + i));
                p.send(rated("c" + i, minutes(1), 1 + i % 5));
            }
            p.advanceStreamTime(minutes(12));
            PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
            DomainMetrics metrics = new DomainMetrics(registry, System::currentTimeMillis, p.config.metricSegments());
            int segmentScores = 0;
            for (SegmentExperienceScore s : p.segmentScores.readValuesToList()) {
                metrics.onSegmentScore(s);
                segmentScores++;
            }
            BrandEquity equity = p.latestEquity();
            metrics.onEquity(equity);
            metrics.refresh();

            // Issue 21: the equity record keeps equity.max.segments (32 by default) flood names, high-value,
            // unassigned (the profile-less customer that moves stream time) and other, which sums the
            // rest; every event is still counted. (Before the cap it kept all 5,002.)
            assertEquals(p.config.equityMaxSegments() + 3, equity.getSegments().size(), "the equity topic keeps the capped segments and other");
            assertTrue(equity.getSegments().stream().anyMatch(x -> x.getSegment().equals(org.brandequity.model.EquityStock.OVERFLOW_SEGMENT)));
            assertEquals(FLOOD + 2, equity.getEvents(), "every event counted");
            assertEquals(FLOOD + 1, segmentScores, "the segment-score topic keeps every segment: one record each");
            Set<String> names = new TreeSet<>();
            Set<String> labels = new TreeSet<>();
            int series = 0;
            Matcher m = SEGMENT_SERIES.matcher(registry.scrape());
            while (m.find()) {
                names.add(m.group(1));
                labels.add(m.group(2));
                series++;
            }
            assertTrue(labels.equals(Set.of("high-value", "other")),
                    () -> labels.size() + " segment label values, expected high-value and other: " + labels.stream().limit(5).toList() + "...");
            // Every event is a survey response in USAGE: one cell, one touchpoint and one stage per label.
            assertTrue(series <= names.size() * labels.size(), series + " series of " + names);
        }
    }
}
