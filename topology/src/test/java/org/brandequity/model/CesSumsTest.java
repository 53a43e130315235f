package org.brandequity.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class CesSumsTest {

    @Test
    void theSumsBehindEveryPublishedCesOfUpToFiftyAnswersAreRecoveredExactlyUnlessBothBoundsAreClipped() {
        java.util.SplittableRandom random = new java.util.SplittableRandom(14);
        int recovered = 0;
        for (int trial = 0; trial < 2_000; trial++) {
            int n = 1 + random.nextInt(50);
            long sum = 0;
            long squares = 0;
            for (int i = 0; i < n; i++) {
                int e = 1 + random.nextInt(7);
                sum += e;
                squares += (long) e * e;
            }
            StandardMetrics.Ces published = StandardMetrics.ces(n, sum, squares);
            var sums = CesSums.of(n, published.mean(), published.lower(), published.upper());
            boolean bothClipped = n > 1 && published.lower() == StandardMetrics.CES_MIN && published.upper() == StandardMetrics.CES_MAX;
            assertEquals(!bothClipped, sums.isPresent(), "n=" + n + " " + published);
            if (sums.isPresent()) {
                assertEquals(new CesSums(n, sum, squares), sums.get(), "n=" + n + " " + published);
                recovered++;
            }
        }
        assertTrue(recovered > 1_500, recovered + " of 2000 recovered");
    }

    @Test
    void twoAnswersAtOppositeEndsHaveBothBoundsClippedAndNoRecoverableSpread() {
        StandardMetrics.Ces published = StandardMetrics.ces(2, 1 + 7, 1 + 49);
        assertTrue(CesSums.of(2, published.mean(), published.lower(), published.upper()).isEmpty(), published.toString());
    }
}
