package org.brandequity.model;

/**
 * Net experience of a group, in the manner of a net promoter score:
 * NX = 100 &middot; (p - d), with p and d the shares of positive and negative members, and its 95%
 * margin of error 1.96 &middot; 100 &middot; &radic;(((p + d) - (p - d)&sup2;) / n), the normal
 * approximation for the difference of two proportions from one multinomial sample. With n = 0 both
 * are 0 and the margin is reported as 100 (nothing is known).
 */
public record NetExperience(double score, double marginOfError, long sampleSize) {

    public static NetExperience of(long positive, long negative, long n) {
        if (n <= 0) return new NetExperience(0, 100, 0);
        double p = (double) positive / n;
        double d = (double) negative / n;
        double variance = (p + d) - (p - d) * (p - d);
        return new NetExperience(100 * (p - d), 1.96 * 100 * Math.sqrt(Math.max(0, variance) / n), n);
    }
}
