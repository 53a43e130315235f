package org.brandequity.model;

import java.util.Optional;
import org.apache.commons.math3.distribution.TDistribution;

/**
 * The additive parts of a CES, &Sigma;e and &Sigma;e&sup2; over n effort answers, recovered from a
 * published CES (mean and 95 % interval, as {@link StandardMetrics#ces} computes them), so that the
 * CES of a union of groups can be recomputed from the summed parts, as {@link StandardMetrics} does
 * for one group. Hand-written: the public records carry the mean and its bounds, not the sums.
 *
 * <pre>
 *   &Sigma;e   = mean &middot; n                                   (an integer: rounded)
 *   half   = upper - mean, or mean - lower when upper is clipped at 7
 *   s&sup2;     = (half &middot; &radic;n / t<sub>0.975, n-1</sub>)&sup2;
 *   &Sigma;e&sup2;  = (n - 1) s&sup2; + (&Sigma;e)&sup2; / n                   (an integer: rounded)
 * </pre>
 *
 * With one answer &Sigma;e&sup2; = e&sup2;. When both bounds are clipped to the scale (a tiny,
 * widely spread group), the spread cannot be recovered: empty.
 */
public record CesSums(long responses, long sum, long sumOfSquares) {
    public static final CesSums NONE = new CesSums(0, 0, 0);

    public CesSums plus(CesSums o) {
        return new CesSums(responses + o.responses, sum + o.sum, sumOfSquares + o.sumOfSquares);
    }

    /** The CES of these answers, by {@link StandardMetrics#ces}. */
    public StandardMetrics.Ces ces() {
        return StandardMetrics.ces(responses, sum, sumOfSquares);
    }

    /**
     * The sums behind a published CES of {@code responses} answers; empty when they cannot be
     * recovered (both bounds clipped, or a bound missing where there should be one).
     */
    public static Optional<CesSums> of(long responses, Double mean, Double lower, Double upper) {
        if (responses <= 0) return Optional.of(NONE);
        if (mean == null) return Optional.empty();
        long sum = Math.round(mean * responses);
        if (responses == 1) return Optional.of(new CesSums(1, sum, sum * sum));
        if (lower == null || upper == null) return Optional.empty();
        double half;
        if (upper < StandardMetrics.CES_MAX) {
            half = upper - mean;
        } else if (lower > StandardMetrics.CES_MIN) {
            half = mean - lower;
        } else {
            return Optional.empty();
        }
        double n = responses;
        double t = new TDistribution(null, responses - 1).inverseCumulativeProbability(0.975);
        double s = half * Math.sqrt(n) / t;
        return Optional.of(new CesSums(responses, sum, Math.round((n - 1) * s * s + (double) sum * sum / n)));
    }
}
