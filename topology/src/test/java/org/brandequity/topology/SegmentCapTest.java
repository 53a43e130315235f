package org.brandequity.topology;

import static org.brandequity.topology.Events.minutes;
import static org.brandequity.topology.Events.profile;
import static org.brandequity.topology.Events.rated;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.brandequity.avro.BrandEquity;
import org.brandequity.avro.SegmentContribution;
import org.brandequity.model.EquityStock;
import org.junit.jupiter.api.Test;

/**
 * Issue 21: a flood of distinct segment names cannot grow the equity record without bound; beyond
 * {@code equity.max.segments}, contributions are summed into segment {@code other} and nothing is lost
 * from the total.
 */
class SegmentCapTest {
    private static final int CAP = 20;
    private static final int FLOOD = 5_000;

    @Test
    void aFloodOf5000DistinctSegmentsKeepsEquityAtTheCapAndFoldsTheRestIntoOtherWithoutLosingAnyEvent() {
        try (PipelineDriver p = new PipelineDriver(Map.of("equity.max.segments", Integer.toString(CAP),
                "model.segment.weights", "gold:2.0"))) {
            p.profile(profile("vip", "gold"));
            p.send(rated("vip", minutes(1), 5));
            for (int i = 0; i < FLOOD; i++) {
                String customer = "flood-" + i;
                p.profile(profile(customer, String.format("s%05d", FLOOD - i))); // largest names first: every arrival displaces
                p.send(rated(customer, minutes(2), 4));
            }
            p.send(rated("vip", minutes(3), 1)); // the next valid event after the flood
            BrandEquity equity = p.latestEquity();

            Set<String> segments = equity.getSegments().stream().map(SegmentContribution::getSegment).collect(Collectors.toSet());
            assertEquals(CAP + 2, segments.size(), "the cap, plus the exempt configured segment, plus other: " + segments.size());
            assertTrue(segments.contains("gold"), "a segment with a configured weight is never folded");
            assertTrue(segments.contains(EquityStock.OVERFLOW_SEGMENT));
            for (int i = 1; i <= CAP; i++) assertTrue(segments.contains(String.format("s%05d", i)), "the smallest names are kept");
            assertEquals(FLOOD + 2, equity.getEvents(), "every event is still counted");
            double sum = equity.getSegments().stream().mapToDouble(SegmentContribution::getVolume).sum();
            double other = equity.getSegments().stream().filter(s -> s.getSegment().equals(EquityStock.OVERFLOW_SEGMENT))
                    .mapToDouble(SegmentContribution::getVolume).sum();
            double kept = equity.getSegments().stream().filter(s -> s.getSegment().startsWith("s0"))
                    .mapToDouble(SegmentContribution::getVolume).sum();
            assertEquals(equity.getVolume(), sum, 1e-6 * equity.getVolume(), "the segments still sum to the total");
            assertEquals((FLOOD - CAP) * kept / CAP, other, 1e-6 * other, "other holds the folded segments' volume");
            assertTrue(equity.getCells().stream().map(c -> c.getSegment()).distinct().count() <= CAP + 2);
        }
    }

    @Test
    void theKeptSegmentsAndSumsAreTheSameWhateverOrderTheSegmentsArriveIn() {
        org.brandequity.model.Decay decay = new org.brandequity.model.Decay(java.time.Duration.ofHours(1));
        EquityStock.SegmentCap cap = new EquityStock.SegmentCap(2, Set.of("vip"));
        List<String> names = List.of("d", "vip", "b", "e", "a", "c");
        EquityStock forward = new EquityStock(decay, cap);
        EquityStock backward = new EquityStock(decay, cap);
        for (int i = 0; i < names.size(); i++) {
            add(forward, names.get(i), i + 1);
            add(backward, names.get(names.size() - 1 - i), names.size() - i);
        }
        assertEquals(Set.of("a", "b", "vip", EquityStock.OVERFLOW_SEGMENT), forward.segments().keySet());
        assertEquals(forward.segments().keySet(), backward.segments().keySet());
        forward.segments().forEach((s, sums) -> assertEquals(sums.volume(), backward.segments().get(s).volume(), 1e-12, s));
        // d (1) + e (4) + c (6): each added with volume = its position in names.
        assertEquals(1 + 4 + 6, forward.segments().get(EquityStock.OVERFLOW_SEGMENT).volume(), 1e-12);
    }

    @Test
    void aStockRestoredUnderALowerCapIsFoldedToIt() {
        org.brandequity.model.Decay decay = new org.brandequity.model.Decay(java.time.Duration.ofHours(1));
        EquityStock wide = new EquityStock(decay);
        for (String s : List.of("a", "b", "c")) add(wide, s, 1);
        EquityStock narrow = new EquityStock(decay, new EquityStock.SegmentCap(1, Set.of()))
                .restore(wide.asOf(), wide.events(), wide.cells());
        assertEquals(Set.of("a", EquityStock.OVERFLOW_SEGMENT), narrow.segments().keySet());
        assertEquals(2, narrow.segments().get(EquityStock.OVERFLOW_SEGMENT).volume(), 1e-12);
    }

    private static void add(EquityStock stock, String segment, double volume) {
        stock.add(segment, org.brandequity.avro.Touchpoint.AD, org.brandequity.avro.LifecycleStage.AWARENESS, 1_000,
                org.brandequity.model.Sums.of(0, volume), 1);
    }
}
