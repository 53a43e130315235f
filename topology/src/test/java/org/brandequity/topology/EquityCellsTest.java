package org.brandequity.topology;

import static org.brandequity.topology.Events.interaction;
import static org.brandequity.topology.Events.minutes;
import static org.brandequity.topology.Events.profile;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;
import java.util.stream.Collectors;
import org.brandequity.avro.BrandEquity;
import org.brandequity.avro.EquityCell;
import org.brandequity.avro.LifecycleStage;
import org.brandequity.avro.Outcome;
import org.brandequity.avro.SegmentContribution;
import org.brandequity.avro.SegmentStageExperience;
import org.brandequity.avro.SegmentTouchpointExperience;
import org.brandequity.avro.StageContribution;
import org.brandequity.avro.Touchpoint;
import org.brandequity.avro.TouchpointContribution;
import org.junit.jupiter.api.Test;

/**
 * Issue 14's cross breakdown: the brand's equity carries one cell per (segment, touchpoint, stage)
 * with experience, and every other breakdown is a sum of cells (docs/model.md §4, "Where the experience breaks").
 */
class EquityCellsTest {
    private static final double EXACT = 1e-12;

    /**
     * Four segments (one named with the cell key's separator, one without a profile), five touchpoints,
     * five stages, value weights, signals and a prior, spread over 10 minutes of a 1h half-life.
     */
    private static BrandEquity mixedEquity(PipelineDriver p) {
        p.profile(profile("a", "high-value", 2.0));
        p.profile(profile("b", "broad-base"));
        p.profile(profile("c", "retail|eu"));
        p.send(interaction("a", minutes(1)).setRating(5).build(),
                interaction("a", minutes(3)).setTouchpoint(Touchpoint.DELIVERY).setStage(LifecycleStage.PURCHASE).setRating(2).build(),
                interaction("b", minutes(4)).setTouchpoint(Touchpoint.DELIVERY).setStage(LifecycleStage.PURCHASE).setRating(4).build(),
                interaction("b", minutes(6)).setTouchpoint(Touchpoint.SUPPORT_CONTACT).setStage(LifecycleStage.SERVICE).setEffort(2).build(),
                interaction("c", minutes(8)).setTouchpoint(Touchpoint.RENEWAL).setStage(LifecycleStage.LOYALTY).build(),
                interaction("d", minutes(9)).setTouchpoint(Touchpoint.DELIVERY).setStage(LifecycleStage.USAGE).setRating(1).build(),
                interaction("a", minutes(11)).setTouchpoint(Touchpoint.SUPPORT_CONTACT).setStage(LifecycleStage.SERVICE)
                        .setOutcome(Outcome.FAILURE).build(),
                interaction("c", minutes(12)).setTouchpoint(Touchpoint.AD).setStage(LifecycleStage.AWARENESS).setSentiment(0.4).build());
        return p.latestEquity();
    }

    @Test
    void everySegmentTouchpointAndStageIsTheSumOfItsCells() {
        try (PipelineDriver p = new PipelineDriver()) {
            BrandEquity e = mixedEquity(p);

            Map<String, double[]> bySegment = sumCells(e, EquityCell::getSegment);
            assertEquals(4, bySegment.size());
            assertEquals(bySegment.keySet(), e.getSegments().stream().map(SegmentContribution::getSegment).collect(Collectors.toSet()));
            for (SegmentContribution s : e.getSegments()) {
                assertEquals(bySegment.get(s.getSegment())[0], s.getContribution(), EXACT, s.getSegment());
                assertEquals(bySegment.get(s.getSegment())[1], s.getVolume(), EXACT, s.getSegment());
            }
            Map<Touchpoint, double[]> byTouchpoint = sumCells(e, EquityCell::getTouchpoint);
            assertEquals(byTouchpoint.keySet(), e.getTouchpoints().stream().map(TouchpointContribution::getTouchpoint).collect(Collectors.toSet()));
            for (TouchpointContribution t : e.getTouchpoints()) {
                assertEquals(byTouchpoint.get(t.getTouchpoint())[0], t.getContribution(), EXACT, t.getTouchpoint().name());
                assertEquals(byTouchpoint.get(t.getTouchpoint())[1], t.getVolume(), EXACT, t.getTouchpoint().name());
            }
            Map<LifecycleStage, double[]> byStage = sumCells(e, EquityCell::getStage);
            assertEquals(byStage.keySet(), e.getStages().stream().map(StageContribution::getStage).collect(Collectors.toSet()));
            for (StageContribution s : e.getStages()) {
                assertEquals(byStage.get(s.getStage())[0], s.getContribution(), EXACT, s.getStage().name());
                assertEquals(byStage.get(s.getStage())[1], s.getVolume(), EXACT, s.getStage().name());
            }
        }
    }

    @Test
    void everySegmentByTouchpointAndSegmentByStageIsTheSumOfItsCells() {
        try (PipelineDriver p = new PipelineDriver()) {
            BrandEquity e = mixedEquity(p);

            Map<List<Object>, double[]> bySegmentTouchpoint = sumCells(e, c -> List.of(c.getSegment(), c.getTouchpoint()));
            assertEquals(bySegmentTouchpoint.size(), e.getSegmentTouchpoints().size());
            for (SegmentTouchpointExperience x : e.getSegmentTouchpoints()) {
                double[] cells = bySegmentTouchpoint.get(List.of(x.getSegment(), x.getTouchpoint()));
                assertEquals(cells[0], x.getContribution(), EXACT, x.toString());
                assertEquals(cells[1], x.getVolume(), EXACT, x.toString());
            }
            Map<List<Object>, double[]> bySegmentStage = sumCells(e, c -> List.of(c.getSegment(), c.getStage()));
            assertEquals(bySegmentStage.size(), e.getSegmentStages().size());
            for (SegmentStageExperience x : e.getSegmentStages()) {
                double[] cells = bySegmentStage.get(List.of(x.getSegment(), x.getStage()));
                assertEquals(cells[0], x.getContribution(), EXACT, x.toString());
                assertEquals(cells[1], x.getVolume(), EXACT, x.toString());
            }
        }
    }

    @Test
    void everyTwoWayViewSumsToItsOneWayParents() {
        try (PipelineDriver p = new PipelineDriver()) {
            BrandEquity e = mixedEquity(p);

            for (SegmentContribution s : e.getSegments()) {
                assertEquals(s.getContribution(), sum(e.getSegmentTouchpoints(), x -> x.getSegment().equals(s.getSegment()),
                        SegmentTouchpointExperience::getContribution), EXACT, s.getSegment());
                assertEquals(s.getVolume(), sum(e.getSegmentStages(), x -> x.getSegment().equals(s.getSegment()),
                        SegmentStageExperience::getVolume), EXACT, s.getSegment());
            }
            for (TouchpointContribution t : e.getTouchpoints()) {
                assertEquals(t.getContribution(), sum(e.getSegmentTouchpoints(), x -> x.getTouchpoint() == t.getTouchpoint(),
                        SegmentTouchpointExperience::getContribution), EXACT, t.getTouchpoint().name());
            }
            for (StageContribution s : e.getStages()) {
                assertEquals(s.getVolume(), sum(e.getSegmentStages(), x -> x.getStage() == s.getStage(),
                        SegmentStageExperience::getVolume), EXACT, s.getStage().name());
            }
        }
    }

    @Test
    void theCellsSumToTheStockAndTheVolume() {
        try (PipelineDriver p = new PipelineDriver()) {
            BrandEquity e = mixedEquity(p);

            assertEquals(8, e.getCells().size(), "one cell per (segment, touchpoint, stage) with experience: " + e.getCells());
            assertEquals(e.getStock(), e.getCells().stream().mapToDouble(EquityCell::getContribution).sum(), EXACT);
            assertEquals(e.getVolume(), e.getCells().stream().mapToDouble(EquityCell::getVolume).sum(), EXACT);
            assertEquals(e.getStock(), e.getSegmentTouchpoints().stream().mapToDouble(SegmentTouchpointExperience::getContribution).sum(), EXACT);
            assertEquals(e.getVolume(), e.getSegmentStages().stream().mapToDouble(SegmentStageExperience::getVolume).sum(), EXACT);
        }
    }

    @Test
    void aSegmentNameHoldingTheCellKeySeparatorKeepsItsCells() {
        try (PipelineDriver p = new PipelineDriver()) {
            BrandEquity e = mixedEquity(p);

            assertEquals(Map.of(Touchpoint.RENEWAL, LifecycleStage.LOYALTY, Touchpoint.AD, LifecycleStage.AWARENESS),
                    e.getCells().stream().filter(c -> c.getSegment().equals("retail|eu"))
                            .collect(Collectors.toMap(EquityCell::getTouchpoint, EquityCell::getStage)));
        }
    }

    /**
     * Hand-checked (defaults: high-value ω 3, DELIVERY weight 1.2 and promise 0.8, PURCHASE weight 1;
     * every event at the same time, so no decay): Ana (high-value, v 2) rates 5, x = 1, c = 3·2·1.2 = 7.2;
     * Ben (high-value, v 1) rates 2, x = -0.5, c = 3.6; Cy (broad-base) rates 1, x = -1, c = 1.2.
     * High-value at delivery: (7.2 - 1.8) / (7.2 + 3.6) = 0.5, gap 0.8 - 0.5 = 0.3; broad-base: -1, gap 1.8;
     * delivery over all segments: (5.4 - 1.2) / 12 = 0.35, gap 0.45.
     */
    @Test
    void thePromiseGapOfASegmentAtATouchpointIsTheTouchpointPromiseMinusTheSegmentsPerceivedExperience() {
        try (PipelineDriver p = new PipelineDriver()) {
            p.profile(profile("ana", "high-value", 2.0));
            p.profile(profile("ben", "high-value"));
            p.profile(profile("cy", "broad-base"));
            for (String[] r : new String[][] {{"ana", "5"}, {"ben", "2"}, {"cy", "1"}}) {
                p.send(interaction(r[0], minutes(1)).setTouchpoint(Touchpoint.DELIVERY).setStage(LifecycleStage.PURCHASE)
                        .setRating(Integer.parseInt(r[1])).build());
            }
            BrandEquity e = p.latestEquity();

            SegmentTouchpointExperience highValue = segmentTouchpoint(e, "high-value", Touchpoint.DELIVERY);
            assertEquals(5.4, highValue.getContribution(), EXACT);
            assertEquals(10.8, highValue.getVolume(), EXACT);
            assertEquals(0.5, highValue.getPerceived(), EXACT);
            assertEquals(0.8, highValue.getPromise(), EXACT);
            assertEquals(0.3, highValue.getPromiseGap(), EXACT);
            SegmentTouchpointExperience broadBase = segmentTouchpoint(e, "broad-base", Touchpoint.DELIVERY);
            assertEquals(-1.0, broadBase.getPerceived(), EXACT);
            assertEquals(1.8, broadBase.getPromiseGap(), EXACT);
            assertEquals(0.45, e.getTouchpoints().get(0).getPromiseGap(), EXACT, "the brand-wide gap hides both");
        }
    }

    /** PURCHASE has a promise of 0.9 here, USAGE none: x = 0.5 in both, c the same. */
    @Test
    void aStagePromiseGivesAPromiseGapOnlyToTheStagesConfiguredWithOne() {
        try (PipelineDriver p = new PipelineDriver(Map.of("model.stage.PURCHASE.promise", "0.9"))) {
            p.profile(profile("ana", "high-value"));
            p.send(interaction("ana", minutes(1)).setStage(LifecycleStage.PURCHASE).setRating(4).build(),
                    interaction("ana", minutes(1)).setStage(LifecycleStage.USAGE).setRating(4).build());
            BrandEquity e = p.latestEquity();

            SegmentStageExperience purchase = segmentStage(e, "high-value", LifecycleStage.PURCHASE);
            assertEquals(0.5, purchase.getPerceived(), EXACT);
            assertEquals(0.9, purchase.getPromise(), EXACT);
            assertEquals(0.4, purchase.getPromiseGap(), EXACT);
            SegmentStageExperience usage = segmentStage(e, "high-value", LifecycleStage.USAGE);
            assertEquals(0.5, usage.getPerceived(), EXACT);
            assertNull(usage.getPromise());
            assertNull(usage.getPromiseGap());
        }
    }

    /**
     * late.horizon 1h: the event at 0:10 arrives after one at 0:30, 20 minutes behind stream time
     * (more than the 2m grace), and is counted late, through the late delta. Both are Vi's (high-value,
     * ω 3) at a return in the service stage (weights 1 and 1: c = 3): x = 1 at 0:30, x = -1 at 0:10,
     * which has decayed by 2^(-20/60) at 0:30 in a 1h half-life.
     */
    @Test
    void aLateEventLandsInTheCellOfItsSegmentTouchpointAndStageDecayedFromItsEventTime() {
        try (PipelineDriver p = new PipelineDriver(Map.of("late.horizon", "1h"))) {
            p.profile(profile("vi", "high-value"));
            p.send(interaction("vi", minutes(30)).setTouchpoint(Touchpoint.RETURN).setStage(LifecycleStage.SERVICE).setRating(5).build(),
                    interaction("vi", minutes(10)).setTouchpoint(Touchpoint.RETURN).setStage(LifecycleStage.SERVICE).setRating(1).build());
            BrandEquity e = p.latestEquity();

            assertTrue(p.deadLetters.isEmpty(), "the late event is counted, not dead-lettered");
            assertEquals(2, e.getEvents());
            assertEquals(minutes(30), e.getAsOf());
            double decayed = Math.pow(2, -20.0 / 60);
            EquityCell cell = e.getCells().get(0);
            assertEquals(List.of("high-value", Touchpoint.RETURN, LifecycleStage.SERVICE),
                    List.of(cell.getSegment(), cell.getTouchpoint(), cell.getStage()));
            assertEquals(1, e.getCells().size());
            assertEquals(3 - 3 * decayed, cell.getContribution(), EXACT);
            assertEquals(3 + 3 * decayed, cell.getVolume(), EXACT);
        }
    }

    private static <K> Map<K, double[]> sumCells(BrandEquity e, Function<EquityCell, K> view) {
        Map<K, double[]> out = new java.util.HashMap<>();
        for (EquityCell c : e.getCells()) {
            double[] acc = out.computeIfAbsent(view.apply(c), k -> new double[2]);
            acc[0] += c.getContribution();
            acc[1] += c.getVolume();
        }
        return out;
    }

    private static <T> double sum(List<T> items, java.util.function.Predicate<T> which, ToDoubleFunction<T> value) {
        return items.stream().filter(which).mapToDouble(value).sum();
    }

    private static SegmentTouchpointExperience segmentTouchpoint(BrandEquity e, String segment, Touchpoint tp) {
        return e.getSegmentTouchpoints().stream().filter(x -> x.getSegment().equals(segment) && x.getTouchpoint() == tp)
                .findFirst().orElseThrow(() -> new AssertionError("no " + segment + " × " + tp + " in " + e.getSegmentTouchpoints()));
    }

    private static SegmentStageExperience segmentStage(BrandEquity e, String segment, LifecycleStage stage) {
        return e.getSegmentStages().stream().filter(x -> x.getSegment().equals(segment) && x.getStage() == stage)
                .findFirst().orElseThrow(() -> new AssertionError("no " + segment + " × " + stage + " in " + e.getSegmentStages()));
    }
}
