package org.brandequity.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.brandequity.model.MixRate.Cell;
import org.brandequity.model.MixRate.Line;
import org.brandequity.model.MixRate.Split;
import org.junit.jupiter.api.Test;

class MixRateTest {
    private static final double EXACT = 1e-9;
    private static final String[] TOUCHPOINTS = {"DELIVERY", "PURCHASE", "SUPPORT_CONTACT", "WEBSITE_VISIT", "RETURN"};

    /** A window's NPS answers per touchpoint: promoters, passives, detractors. */
    private record Answers(Map<String, long[]> byTouchpoint) {
        Map<String, Cell> cells() {
            Map<String, Cell> cells = new HashMap<>();
            byTouchpoint.forEach((tp, c) -> cells.put(tp, cell(StandardMetrics.nps(c[0], c[1], c[2]))));
            return cells;
        }

        StandardMetrics.Nps overall() {
            long p = 0, pa = 0, d = 0;
            for (long[] c : byTouchpoint.values()) {
                p += c[0];
                pa += c[1];
                d += c[2];
            }
            return StandardMetrics.nps(p, pa, d);
        }
    }

    @Test
    void theMixAndRateOfEveryTouchpointSumToTheNpsChangeOfTheSummedAnswers() {
        SplittableRandom random = new SplittableRandom(24);
        for (int trial = 0; trial < 2_000; trial++) {
            Answers w1 = random(random);
            Answers w2 = random(random);
            StandardMetrics.Nps nps1 = w1.overall();
            StandardMetrics.Nps nps2 = w2.overall();
            Split split = MixRate.of(w1.cells(), w2.cells(), nps1.marginOfError(), nps2.marginOfError());
            if (nps1.score() == null || nps2.score() == null) {
                assertNull(split.change());
                assertTrue(split.lines().isEmpty());
                continue;
            }
            assertEquals(nps1.score(), split.scoreBefore(), EXACT, "trial " + trial);
            assertEquals(nps2.score(), split.scoreAfter(), EXACT, "trial " + trial);
            assertEquals(nps2.score() - nps1.score(), split.lines().stream().mapToDouble(Line::total).sum(), EXACT,
                    "trial " + trial + ": the parts sum to the change");
            assertEquals(nps1.responses(), split.answersBefore());
            assertEquals(Math.abs(nps2.score() - nps1.score()) <= Math.hypot(nps1.marginOfError(), nps2.marginOfError()),
                    split.withinMargins());
        }
    }

    @Test
    void swappingTheWindowsFlipsTheSignOfEveryPartAndNothingElse() {
        SplittableRandom random = new SplittableRandom(7);
        for (int trial = 0; trial < 500; trial++) {
            Map<String, Cell> a = random(random).cells();
            Map<String, Cell> b = random(random).cells();
            Split forth = MixRate.of(a, b, null, null);
            Split back = MixRate.of(b, a, null, null);
            Map<String, Line> backByKey = new HashMap<>();
            back.lines().forEach(l -> backByKey.put(l.key(), l));
            for (Line l : forth.lines()) {
                assertEquals(-l.mix(), backByKey.get(l.key()).mix(), EXACT, l.key());
                assertEquals(-l.rate(), backByKey.get(l.key()).rate(), EXACT, l.key());
            }
        }
    }

    @Test
    void aTouchpointWithAnswersInOnlyOneWindowChangesTheMixAndNoRate() {
        Map<String, Cell> before = Map.of("DELIVERY", new Cell(10, 20.0));
        Map<String, Cell> after = Map.of("DELIVERY", new Cell(10, 20.0), "SUPPORT_CONTACT", new Cell(10, -40.0));
        Split split = MixRate.of(before, after, null, null);
        assertEquals(-30.0, split.change(), EXACT);
        Line support = split.lines().get(0);
        assertEquals("SUPPORT_CONTACT", support.key());
        assertEquals(-20.0, support.mix(), EXACT);
        assertEquals(0.0, support.rate(), EXACT);
        Line delivery = split.lines().get(1);
        assertEquals(-10.0, delivery.mix(), EXACT, "DELIVERY's share fell from 1 to 1/2 at a score of 20");
        assertEquals(0.0, delivery.rate(), EXACT);
        assertNull(split.withinMargins(), "no margins given");
    }

    @Test
    void aScoreWithoutAnswersOrAnswersWithoutAScoreAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> new Cell(0, 10.0));
        assertThrows(IllegalArgumentException.class, () -> new Cell(3, null));
        assertThrows(IllegalArgumentException.class, () -> new Cell(-1, null));
    }

    private static Answers random(SplittableRandom random) {
        Map<String, long[]> byTouchpoint = new HashMap<>();
        for (String tp : TOUCHPOINTS) {
            if (random.nextInt(4) == 0) continue;
            long[] counts = {random.nextInt(40), random.nextInt(40), random.nextInt(40)};
            if (counts[0] + counts[1] + counts[2] > 0) byTouchpoint.put(tp, counts);
        }
        return new Answers(byTouchpoint);
    }

    private static Cell cell(StandardMetrics.Nps nps) {
        return new Cell(nps.responses(), nps.score());
    }
}
