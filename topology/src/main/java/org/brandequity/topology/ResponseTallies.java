package org.brandequity.topology;

import java.util.ArrayList;
import java.util.List;
import org.brandequity.avro.SegmentExperienceScore;
import org.brandequity.avro.Touchpoint;
import org.brandequity.avro.TouchpointExperienceScore;
import org.brandequity.avro.internal.ResponseCounts;
import org.brandequity.avro.internal.TouchpointResponses;
import org.brandequity.model.StandardMetrics;

/**
 * The survey answer counts ({@link ResponseCounts}) the customer panes, customer windows, segment
 * windows and touchpoint windows carry, and the output fields they give ({@link StandardMetrics}).
 * The counts are integers, so adding a customer window's version and taking it out again leaves
 * the segment window exactly as it was.
 */
final class ResponseTallies {
    private ResponseTallies() {}

    static ResponseCounts zero() {
        return new ResponseCounts(0L, 0L, 0L, 0L, 0L, 0L, 0L, 0L);
    }

    /** Whether an event carries an answer the standard metrics count. */
    static boolean answered(Integer rating, Integer likelihoodToRecommend, Integer effort) {
        return rating != null || likelihoodToRecommend != null || effort != null;
    }

    /** The counts of one event's answers (any of them null: not answered). */
    static ResponseCounts of(Integer rating, Integer likelihoodToRecommend, Integer effort) {
        ResponseCounts c = zero();
        if (likelihoodToRecommend != null) {
            int n = likelihoodToRecommend;
            if (StandardMetrics.isPromoter(n)) c.setNpsPromoters(1L);
            else if (StandardMetrics.isDetractor(n)) c.setNpsDetractors(1L);
            else c.setNpsPassives(1L);
        }
        if (rating != null) {
            c.setCsatResponses(1L);
            if (StandardMetrics.isSatisfied(rating)) c.setCsatSatisfied(1L);
        }
        if (effort != null) {
            c.setCesResponses(1L);
            c.setCesSum((long) effort);
            c.setCesSumOfSquares((long) effort * effort);
        }
        return c;
    }

    /** Adds {@code sign} (1 or -1) times {@code other} into {@code into}; returns {@code into}. */
    static ResponseCounts add(ResponseCounts into, ResponseCounts other, int sign) {
        if (other == null) return into;
        into.setNpsPromoters(into.getNpsPromoters() + sign * other.getNpsPromoters());
        into.setNpsPassives(into.getNpsPassives() + sign * other.getNpsPassives());
        into.setNpsDetractors(into.getNpsDetractors() + sign * other.getNpsDetractors());
        into.setCsatResponses(into.getCsatResponses() + sign * other.getCsatResponses());
        into.setCsatSatisfied(into.getCsatSatisfied() + sign * other.getCsatSatisfied());
        into.setCesResponses(into.getCesResponses() + sign * other.getCesResponses());
        into.setCesSum(into.getCesSum() + sign * other.getCesSum());
        into.setCesSumOfSquares(into.getCesSumOfSquares() + sign * other.getCesSumOfSquares());
        return into;
    }

    static ResponseCounts copy(ResponseCounts c) {
        return add(zero(), c, 1);
    }

    /** Adds one touchpoint's counts into a pane's or window's per-touchpoint list (an entry is created when absent). */
    static void add(List<TouchpointResponses> into, Touchpoint touchpoint, ResponseCounts counts) {
        for (TouchpointResponses t : into) {
            if (t.getTouchpoint() == touchpoint) {
                add(t.getCounts(), counts, 1);
                return;
            }
        }
        into.add(new TouchpointResponses(touchpoint, copy(counts)));
    }

    /** A per-touchpoint list summed into {@code into} (copies, never the other list's records). */
    static void addAll(List<TouchpointResponses> into, List<TouchpointResponses> other) {
        for (TouchpointResponses t : other) add(into, t.getTouchpoint(), t.getCounts());
    }

    /**
     * {@code sign} (1 or -1) times a per-touchpoint list, into {@code into}; an entry left with no
     * answer at all is removed, so a segment window holds only touchpoints that have answers.
     */
    static void addAll(List<TouchpointResponses> into, List<TouchpointResponses> other, int sign) {
        if (other == null) return;
        for (TouchpointResponses t : other) {
            TouchpointResponses found = null;
            for (TouchpointResponses mine : into) if (mine.getTouchpoint() == t.getTouchpoint()) found = mine;
            if (found == null) {
                found = new TouchpointResponses(t.getTouchpoint(), zero());
                into.add(found);
            }
            add(found.getCounts(), t.getCounts(), sign);
            // By index: Avro's arrays (a stored window's list) do not remove by value.
            if (found.getCounts().equals(zero())) into.remove(into.indexOf(found));
        }
    }

    /** A copy of a per-touchpoint list (null: an empty one). */
    static List<TouchpointResponses> copyList(List<TouchpointResponses> list) {
        List<TouchpointResponses> out = emptyList();
        if (list != null) addAll(out, list);
        return out;
    }

    /** The total over every touchpoint: a customer window's responses; null when it holds none. */
    static ResponseCounts total(List<TouchpointResponses> byTouchpoint) {
        if (byTouchpoint == null || byTouchpoint.isEmpty()) return null;
        ResponseCounts total = zero();
        for (TouchpointResponses t : byTouchpoint) add(total, t.getCounts(), 1);
        return total;
    }

    static List<TouchpointResponses> emptyList() {
        return new ArrayList<>();
    }

    /** Sets the segment record's nps/csat/ces fields from its window's counts. */
    static void fill(SegmentExperienceScore s, ResponseCounts c) {
        StandardMetrics.Nps nps = StandardMetrics.nps(c.getNpsPromoters(), c.getNpsPassives(), c.getNpsDetractors());
        StandardMetrics.Csat csat = StandardMetrics.csat(c.getCsatResponses(), c.getCsatSatisfied());
        StandardMetrics.Ces ces = StandardMetrics.ces(c.getCesResponses(), c.getCesSum(), c.getCesSumOfSquares());
        s.setNpsResponses(nps.responses());
        s.setNpsPromoters(c.getNpsPromoters());
        s.setNpsPassives(c.getNpsPassives());
        s.setNpsDetractors(c.getNpsDetractors());
        s.setNps(nps.score());
        s.setNpsMarginOfError(nps.marginOfError());
        s.setCsatResponses(c.getCsatResponses());
        s.setCsatSatisfied(c.getCsatSatisfied());
        s.setCsat(csat.score());
        s.setCsatLower(csat.lower());
        s.setCsatUpper(csat.upper());
        s.setCesResponses(c.getCesResponses());
        s.setCes(ces.mean());
        s.setCesLower(ces.lower());
        s.setCesUpper(ces.upper());
    }

    /** The touchpoint record of a window: same fields as the segment record's. */
    static TouchpointExperienceScore touchpointScore(Touchpoint touchpoint, long start, long end, ResponseCounts c, int revision) {
        StandardMetrics.Nps nps = StandardMetrics.nps(c.getNpsPromoters(), c.getNpsPassives(), c.getNpsDetractors());
        StandardMetrics.Csat csat = StandardMetrics.csat(c.getCsatResponses(), c.getCsatSatisfied());
        StandardMetrics.Ces ces = StandardMetrics.ces(c.getCesResponses(), c.getCesSum(), c.getCesSumOfSquares());
        return TouchpointExperienceScore.newBuilder()
                .setTouchpoint(touchpoint)
                .setWindowStart(java.time.Instant.ofEpochMilli(start))
                .setWindowEnd(java.time.Instant.ofEpochMilli(end))
                .setNpsResponses(nps.responses())
                .setNpsPromoters(c.getNpsPromoters())
                .setNpsPassives(c.getNpsPassives())
                .setNpsDetractors(c.getNpsDetractors())
                .setNps(nps.score())
                .setNpsMarginOfError(nps.marginOfError())
                .setCsatResponses(c.getCsatResponses())
                .setCsatSatisfied(c.getCsatSatisfied())
                .setCsat(csat.score())
                .setCsatLower(csat.lower())
                .setCsatUpper(csat.upper())
                .setCesResponses(c.getCesResponses())
                .setCes(ces.mean())
                .setCesLower(ces.lower())
                .setCesUpper(ces.upper())
                .setRevision(revision)
                .build();
    }
}
