package org.brandequity.metrics;

import java.util.List;
import java.util.Optional;
import org.brandequity.avro.SegmentExperienceScore;
import org.brandequity.model.CesSums;
import org.brandequity.model.NetExperience;
import org.brandequity.model.StandardMetrics;

/**
 * The scores behind one segment label: the latest windows of the segments that share the label,
 * those that start at the newest of their starts. One segment alone is its own record (the gauges
 * equal the topic); several (the {@code other} label) are folded from their summed counts, never by
 * averaging ratios:
 *
 * <pre>
 *   NX, margin = NetExperience.of(&Sigma; positive, &Sigma; negative, &Sigma; n)
 *   mean score = &Sigma; (mean_i &middot; customers_i) / &Sigma; customers_i   (0 with no customers)
 *   NPS        = StandardMetrics.nps(&Sigma; promoters, &Sigma; passives, &Sigma; detractors)
 *   CSAT       = StandardMetrics.csat(&Sigma; ratings, &Sigma; satisfied)
 *   CES        = StandardMetrics.ces(&Sigma; n, &Sigma; e, &Sigma; e&sup2;)          (sums recovered by CesSums)
 * </pre>
 *
 * A score with no answer is null (its gauge series absent); so are CES bounds with one answer, or
 * for a fold when a segment's CES sums cannot be recovered (its mean still counts).
 */
record SegmentScoreFold(long windowStartMillis, double netExperience, double netExperienceMargin, long sampleSize,
                        double meanScore, long npsResponses, Double nps, Double npsMargin, long csatResponses, Double csat,
                        Double csatLower, Double csatUpper, long cesResponses, Double ces, Double cesLower, Double cesUpper) {

    /** Folds {@code scores}: the latest windows of one label's segments, all with the same start, at least one. */
    static SegmentScoreFold of(List<SegmentExperienceScore> scores) {
        SegmentExperienceScore first = scores.get(0);
        long start = first.getWindowStart().toEpochMilli();
        if (scores.size() == 1) {
            SegmentExperienceScore s = first;
            return new SegmentScoreFold(start, s.getNetExperience(), s.getNetExperienceMarginOfError(), s.getSampleSize(),
                    s.getMeanCustomerScore(), s.getNpsResponses(), s.getNps(), s.getNpsMarginOfError(), s.getCsatResponses(),
                    s.getCsat(), s.getCsatLower(), s.getCsatUpper(), s.getCesResponses(), s.getCes(), s.getCesLower(), s.getCesUpper());
        }
        long positive = 0;
        long negative = 0;
        long n = 0;
        long customers = 0;
        double scoreSum = 0;
        long promoters = 0;
        long passives = 0;
        long detractors = 0;
        long ratings = 0;
        long satisfied = 0;
        long efforts = 0;
        long effortSum = 0;
        Optional<CesSums> ces = Optional.of(CesSums.NONE);
        for (SegmentExperienceScore s : scores) {
            positive += s.getPositiveCustomers();
            negative += s.getNegativeCustomers();
            n += s.getSampleSize();
            customers += s.getCustomers();
            scoreSum += s.getMeanCustomerScore() * s.getCustomers();
            promoters += s.getNpsPromoters();
            passives += s.getNpsPassives();
            detractors += s.getNpsDetractors();
            ratings += s.getCsatResponses();
            satisfied += s.getCsatSatisfied();
            efforts += s.getCesResponses();
            effortSum += s.getCes() == null ? 0 : Math.round(s.getCes() * s.getCesResponses());
            Optional<CesSums> part = CesSums.of(s.getCesResponses(), s.getCes(), s.getCesLower(), s.getCesUpper());
            ces = ces.flatMap(sums -> part.map(sums::plus));
        }
        NetExperience nx = NetExperience.of(positive, negative, n);
        StandardMetrics.Nps nps = StandardMetrics.nps(promoters, passives, detractors);
        StandardMetrics.Csat csat = StandardMetrics.csat(ratings, satisfied);
        // Without every segment's spread the interval is unknown, but the mean is still the summed answers over n.
        StandardMetrics.Ces c = ces.map(CesSums::ces)
                .orElse(new StandardMetrics.Ces(efforts, efforts == 0 ? null : (double) effortSum / efforts, null, null));
        return new SegmentScoreFold(start, nx.score(), nx.marginOfError(), n, customers == 0 ? 0 : scoreSum / customers,
                nps.responses(), nps.score(), nps.marginOfError(), csat.responses(), csat.score(), csat.lower(), csat.upper(),
                c.responses(), c.mean(), c.lower(), c.upper());
    }
}
