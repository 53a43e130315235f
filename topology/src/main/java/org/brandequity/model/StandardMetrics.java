package org.brandequity.model;

import org.apache.commons.math3.distribution.TDistribution;

/**
 * The standard survey metrics, over <em>responses</em> (answers), not customers, each with its 95 %
 * interval. Every input is an additive count, so the metrics of any union of answers (a window, a
 * segment, a touchpoint, folded segments) come from the summed counts. A metric with no answer
 * behind it is {@code null}: there is no division by zero and no invented 0.
 *
 * <ul>
 *   <li><b>NPS</b> from {@code likelihoodToRecommend} 0..10: promoters answer 9-10, passives 7-8,
 *       detractors 0-6. With n answers, p = promoters / n and d = detractors / n:
 *       NPS = 100 (p - d), in -100..100, and its 95 % margin of error
 *       1.96 &middot; 100 &middot; &radic;((p + d - (p - d)&sup2;) / n) points (the normal
 *       approximation for the difference of two proportions of one multinomial sample, as
 *       {@link NetExperience}).</li>
 *   <li><b>CSAT</b> from {@code rating} 1..5: the % of ratings that are 4 or 5, and its Wilson score
 *       95 % interval (z = 1.96), with p&#770; = satisfied / n:
 *       (p&#770; + z&sup2;/2n &plusmn; z &radic;(p&#770;(1 - p&#770;)/n + z&sup2;/4n&sup2;)) / (1 + z&sup2;/n),
 *       in %. Wilson rather than the normal interval because it stays inside 0..100 and is
 *       not degenerate at 0 % or 100 % or for small n.</li>
 *   <li><b>CES</b> from {@code effort} 1..7 (CES 2.0, 7 = the company made it easy): the mean answer
 *       and its 95 % confidence interval mean &plusmn; t<sub>0.975, n-1</sub> &middot; s / &radic;n,
 *       with s the sample standard deviation, s&sup2; = (n &Sigma;e&sup2; - (&Sigma;e)&sup2;) / (n (n - 1)).
 *       Student's t, not z, because segment and touchpoint windows are often small (for n = 2,
 *       t = 12.71 against z = 1.96). The bounds are clipped to the scale, 1..7. With one answer there
 *       is no spread to estimate: the mean is reported, its bounds are {@code null}.</li>
 * </ul>
 *
 * <p>The t quantile comes from Apache Commons Math; the rest is the closed forms above.
 */
public final class StandardMetrics {
    /** The normal quantile of a two-sided 95 % interval, as for the net experience. */
    public static final double Z95 = 1.96;
    public static final int CES_MIN = 1;
    public static final int CES_MAX = 7;

    private StandardMetrics() {}

    /** NPS over {@code responses()} answers; {@code score} and {@code marginOfError} null when there is none. */
    public record Nps(long responses, long promoters, long passives, long detractors, Double score, Double marginOfError) {}

    /** CSAT over {@code responses} ratings, in %; {@code score}, {@code lower}, {@code upper} null when there is none. */
    public record Csat(long responses, long satisfied, Double score, Double lower, Double upper) {}

    /** CES over {@code responses} effort answers; {@code mean} null when none, bounds null when fewer than 2. */
    public record Ces(long responses, Double mean, Double lower, Double upper) {}

    /** Whether an NPS answer (0..10) is a promoter's, 9-10. */
    public static boolean isPromoter(int likelihoodToRecommend) {
        return likelihoodToRecommend >= 9;
    }

    /** Whether an NPS answer (0..10) is a detractor's, 0-6. */
    public static boolean isDetractor(int likelihoodToRecommend) {
        return likelihoodToRecommend <= 6;
    }

    /** Whether a CSAT rating (1..5) is satisfied, 4-5. */
    public static boolean isSatisfied(int rating) {
        return rating >= 4;
    }

    public static Nps nps(long promoters, long passives, long detractors) {
        long n = promoters + passives + detractors;
        if (n <= 0) return new Nps(0, 0, 0, 0, null, null);
        double p = (double) promoters / n;
        double d = (double) detractors / n;
        double variance = (p + d) - (p - d) * (p - d);
        return new Nps(n, promoters, passives, detractors, 100 * (p - d), Z95 * 100 * Math.sqrt(Math.max(0, variance) / n));
    }

    public static Csat csat(long responses, long satisfied) {
        if (responses <= 0) return new Csat(0, 0, null, null, null);
        double n = responses;
        double p = satisfied / n;
        double z2 = Z95 * Z95;
        double denominator = 1 + z2 / n;
        double center = (p + z2 / (2 * n)) / denominator;
        double half = Z95 * Math.sqrt(p * (1 - p) / n + z2 / (4 * n * n)) / denominator;
        return new Csat(responses, satisfied, 100 * p, 100 * Math.max(0, center - half), 100 * Math.min(1, center + half));
    }

    /**
     * @param sum          &Sigma; of the effort answers
     * @param sumOfSquares &Sigma; of their squares
     */
    public static Ces ces(long responses, long sum, long sumOfSquares) {
        if (responses <= 0) return new Ces(0, null, null, null);
        double n = responses;
        double mean = sum / n;
        if (responses == 1) return new Ces(1, mean, null, null);
        // n Σe² - (Σe)² is exact in double while it is below 2^53 (n up to about 10^7 answers per window).
        double variance = Math.max(0, (n * sumOfSquares - (double) sum * sum) / (n * (n - 1)));
        double half = tQuantile975(responses - 1) * Math.sqrt(variance / n);
        return new Ces(responses, mean, Math.max(CES_MIN, mean - half), Math.min(CES_MAX, mean + half));
    }

    /** t<sub>0.975</sub> with {@code degreesOfFreedom} degrees of freedom. */
    static double tQuantile975(long degreesOfFreedom) {
        // No random generator: only the quantile is used (the default constructor seeds one per call).
        return new TDistribution(null, degreesOfFreedom).inverseCumulativeProbability(0.975);
    }
}
