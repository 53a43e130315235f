package org.brandequity.app;

import java.util.List;
import org.brandequity.avro.SegmentExperienceScore;
import org.brandequity.model.NetExperience;

/**
 * The scores behind one segment label: the latest windows of the segments that share the label,
 * those that start at the newest of their starts. One segment alone is its own record (the gauges
 * equal the topic); several (the {@code other} label) are folded from their summed counts, never by
 * averaging ratios:
 *
 * <pre>
 *   NX, margin = NetExperience.of(&Sigma; positive, &Sigma; negative, &Sigma; n)
 *   mean score = &Sigma; (mean_i &middot; customers_i) / &Sigma; customers_i   (0 with no customers)
 * </pre>
 */
record SegmentScoreFold(long windowStartMillis, double netExperience, double netExperienceMargin, long sampleSize,
                        double meanScore, int segments) {

    /** Folds {@code scores}: the latest windows of one label's segments, all with the same start, at least one. */
    static SegmentScoreFold of(List<SegmentExperienceScore> scores) {
        SegmentExperienceScore first = scores.get(0);
        long start = first.getWindowStart().toEpochMilli();
        if (scores.size() == 1) {
            return new SegmentScoreFold(start, first.getNetExperience(), first.getNetExperienceMarginOfError(), first.getSampleSize(),
                    first.getMeanCustomerScore(), 1);
        }
        long positive = 0;
        long negative = 0;
        long n = 0;
        long customers = 0;
        double scoreSum = 0;
        for (SegmentExperienceScore s : scores) {
            positive += s.getPositiveCustomers();
            negative += s.getNegativeCustomers();
            n += s.getSampleSize();
            customers += s.getCustomers();
            scoreSum += s.getMeanCustomerScore() * s.getCustomers();
        }
        NetExperience nx = NetExperience.of(positive, negative, n);
        return new SegmentScoreFold(start, nx.score(), nx.marginOfError(), n, customers == 0 ? 0 : scoreSum / customers,
                scores.size());
    }
}
