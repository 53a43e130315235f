package org.brandequity.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

/**
 * NPS, CSAT and CES with their intervals on numbers worked out by hand (the arithmetic is in each
 * test's comment), and the edge cases: no answer, one answer, all answers alike.
 */
class StandardMetricsTest {
    private static final double EPS = 1e-9;

    @Test
    void npsIsPromotersMinusDetractorsInPercentWithTheMultinomialMarginOfError() {
        // 5 promoters, 2 passives, 3 detractors: p = 0.5, d = 0.3, NPS = 100 (0.5 - 0.3) = 20;
        // margin = 1.96 * 100 * sqrt((0.8 - 0.04) / 10) = 196 * sqrt(0.076) = 54.03347...
        StandardMetrics.Nps nps = StandardMetrics.nps(5, 2, 3);
        assertEquals(10, nps.responses());
        assertEquals(20.0, nps.score(), EPS);
        assertEquals(196 * Math.sqrt(0.076), nps.marginOfError(), EPS);
        assertEquals(54.03347110819367, nps.marginOfError(), 1e-9);
    }

    @Test
    void npsOfOnlyPromotersIsOneHundredWithNoMargin() {
        // p = 1, d = 0: variance (1 + 0) - 1 = 0.
        StandardMetrics.Nps nps = StandardMetrics.nps(4, 0, 0);
        assertEquals(100.0, nps.score(), EPS);
        assertEquals(0.0, nps.marginOfError(), EPS);
    }

    @Test
    void noNpsAnswerGivesNullScoreAndMarginNotADivisionByZero() {
        StandardMetrics.Nps nps = StandardMetrics.nps(0, 0, 0);
        assertEquals(0, nps.responses());
        assertNull(nps.score());
        assertNull(nps.marginOfError());
    }

    @Test
    void csatIsTheShareOfFoursAndFivesWithTheWilsonInterval() {
        // 5 satisfied of 8: 62.5 %. z² = 3.8416; denominator 1 + 3.8416/8 = 1.4802;
        // centre (0.625 + 0.2401) / 1.4802 = 0.584448...; half 1.96 sqrt(0.625·0.375/8 + 3.8416/256) / 1.4802 = 0.278710...
        StandardMetrics.Csat csat = StandardMetrics.csat(8, 5);
        assertEquals(62.5, csat.score(), EPS);
        assertEquals(30.573785458380186, csat.lower(), 1e-9);
        assertEquals(86.3158240538479, csat.upper(), 1e-9);
    }

    @Test
    void csatOfAllSatisfiedHasAWilsonLowerBoundBelowOneHundredAndUpperAtOneHundred() {
        // n = 3, p = 1: centre (1 + 0.6403) / 2.2805 = 0.71927, half 1.96 sqrt(3.8416/36) / 2.2805 = 0.28075 -> 43.85 %..100 %.
        StandardMetrics.Csat csat = StandardMetrics.csat(3, 3);
        assertEquals(100.0, csat.score(), EPS);
        assertEquals(43.8494, csat.lower(), 1e-4);
        assertEquals(100.0, csat.upper(), 1e-9);
    }

    @Test
    void noRatingGivesNullCsatAndBounds() {
        StandardMetrics.Csat csat = StandardMetrics.csat(0, 0);
        assertNull(csat.score());
        assertNull(csat.lower());
        assertNull(csat.upper());
    }

    @Test
    void cesIsTheMeanEffortWithAStudentTInterval() {
        // 3, 4, 5, 5, 6, 7: n = 6, Σ = 30, Σ² = 160, mean 5; s² = (6·160 - 900) / (6·5) = 2;
        // t(0.975, 5) = 2.570582; half = 2.570582 · sqrt(2/6) = 1.484126.
        StandardMetrics.Ces ces = StandardMetrics.ces(6, 30, 160);
        assertEquals(5.0, ces.mean(), EPS);
        assertEquals(3.515873884656518, ces.lower(), 1e-7);
        assertEquals(6.484126115343482, ces.upper(), 1e-7);
    }

    @Test
    void theTQuantileIsStudentsNotTheNormalOne() {
        assertEquals(12.706204736, StandardMetrics.tQuantile975(1), 1e-6);
        assertEquals(2.570581836, StandardMetrics.tQuantile975(5), 1e-6);
        assertEquals(1.962339, StandardMetrics.tQuantile975(1000), 1e-5);
    }

    @Test
    void cesBoundsAreClippedToTheOneToSevenScale() {
        // 6 and 7: mean 6.5, s² = (2·85 - 169) / 2 = 0.5, half = 12.7062 · sqrt(0.25) = 6.353 -> 0.147..12.853, clipped.
        StandardMetrics.Ces ces = StandardMetrics.ces(2, 13, 85);
        assertEquals(6.5, ces.mean(), EPS);
        assertEquals(1.0, ces.lower(), EPS);
        assertEquals(7.0, ces.upper(), EPS);
    }

    @Test
    void oneEffortAnswerHasAMeanButNoInterval() {
        StandardMetrics.Ces ces = StandardMetrics.ces(1, 4, 16);
        assertEquals(4.0, ces.mean(), EPS);
        assertNull(ces.lower());
        assertNull(ces.upper());
    }

    @Test
    void identicalEffortAnswersHaveAZeroWidthInterval() {
        StandardMetrics.Ces ces = StandardMetrics.ces(4, 20, 100);
        assertEquals(5.0, ces.lower(), EPS);
        assertEquals(5.0, ces.upper(), EPS);
    }

    @Test
    void noEffortAnswerGivesNullCes() {
        StandardMetrics.Ces ces = StandardMetrics.ces(0, 0, 0);
        assertNull(ces.mean());
        assertNull(ces.lower());
        assertNull(ces.upper());
    }

    @Test
    void answersAreClassifiedOnTheStandardCutOffs() {
        assertEquals(true, StandardMetrics.isPromoter(9));
        assertEquals(false, StandardMetrics.isPromoter(8));
        assertEquals(true, StandardMetrics.isDetractor(6));
        assertEquals(false, StandardMetrics.isDetractor(7));
        assertEquals(true, StandardMetrics.isSatisfied(4));
        assertEquals(false, StandardMetrics.isSatisfied(3));
    }
}
