package org.brandequity.topology;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import org.apache.commons.math3.distribution.TDistribution;
import org.brandequity.avro.CustomerInteraction;
import org.brandequity.avro.SegmentExperienceScore;
import org.brandequity.avro.Touchpoint;
import org.brandequity.avro.TouchpointExperienceScore;
import org.brandequity.config.PipelineConfig;
import org.brandequity.topology.ReferenceModel.Counted;
import org.brandequity.topology.ReferenceModel.CustomerWindow;
import org.brandequity.topology.ReferenceModel.SegmentKey;
import org.brandequity.topology.ReferenceModel.WindowKey;

/**
 * The batch recomputation of NPS, CSAT and CES (docs/model.md §7, "Standard metrics") from the reference
 * model's counted events, written from docs/model.md's formulas without the streaming code's helpers:
 *
 * <ul>
 *   <li>a segment window's answers are those of the events in its customers' windows (the latest
 *       version of each closed customer window, in that window's segment);</li>
 *   <li>a touchpoint window's answers are those of every counted event at the touchpoint in the
 *       window, for each window closed by the end of the stream (end + grace reached); its revision
 *       is the number of those events counted after their window had closed (stream time then at or
 *       past end + grace).</li>
 * </ul>
 */
final class StandardMetricsReference {
    private static final double TOLERANCE = 1e-9;

    /** Answer counts of a set of events. */
    static final class Tally {
        long promoters, passives, detractors, csat, satisfied, ces, cesSum, cesSquares;
        int revision;

        void add(CustomerInteraction e) {
            Integer n = e.getLikelihoodToRecommend();
            if (n != null) {
                if (n >= 9) promoters++;
                else if (n <= 6) detractors++;
                else passives++;
            }
            if (e.getRating() != null) {
                csat++;
                if (e.getRating() >= 4) satisfied++;
            }
            if (e.getEffort() != null) {
                ces++;
                cesSum += e.getEffort();
                cesSquares += (long) e.getEffort() * e.getEffort();
            }
        }

        long nps() {
            return promoters + passives + detractors;
        }

        boolean isEmpty() {
            return nps() == 0 && csat == 0 && ces == 0;
        }

        @Override
        public String toString() {
            return "nps " + promoters + "/" + passives + "/" + detractors + ", csat " + satisfied + "/" + csat + ", ces " + cesSum + "/" + ces
                    + ", revision " + revision;
        }
    }

    private static boolean answered(CustomerInteraction e) {
        return e.getLikelihoodToRecommend() != null || e.getRating() != null || e.getEffort() != null;
    }

    /** Per segment window (of the closed customer windows), the answers in it. */
    static Map<SegmentKey, Tally> segmentWindows(ReferenceModel ref) {
        Map<WindowKey, CustomerWindow> closed = ref.closedCustomerWindows();
        Map<SegmentKey, Tally> out = new TreeMap<>(java.util.Comparator.comparing(SegmentKey::segment).thenComparingLong(SegmentKey::start));
        for (Counted c : ref.counted()) {
            for (long start : ref.windowStarts(c.time())) {
                CustomerWindow w = closed.get(new WindowKey(c.event().getCustomerId(), start));
                if (w == null) continue;
                Tally t = out.computeIfAbsent(new SegmentKey(w.segment(), start), k -> new Tally());
                t.add(c.event());
            }
        }
        return out;
    }

    /** Per segment window and touchpoint (issue 24's mix and rate), the answers in it. */
    static Map<SegmentKey, Map<Touchpoint, Tally>> segmentTouchpointWindows(ReferenceModel ref) {
        Map<WindowKey, CustomerWindow> closed = ref.closedCustomerWindows();
        Map<SegmentKey, Map<Touchpoint, Tally>> out = new java.util.HashMap<>();
        for (Counted c : ref.counted()) {
            if (!answered(c.event())) continue;
            for (long start : ref.windowStarts(c.time())) {
                CustomerWindow w = closed.get(new WindowKey(c.event().getCustomerId(), start));
                if (w == null) continue;
                out.computeIfAbsent(new SegmentKey(w.segment(), start), k -> new java.util.EnumMap<>(Touchpoint.class))
                        .computeIfAbsent(c.event().getTouchpoint(), k -> new Tally()).add(c.event());
            }
        }
        return out;
    }

    /**
     * The segment windows' per-touchpoint answers as stored (every window the store still holds)
     * against {@link #segmentTouchpointWindows}: one line per difference.
     */
    static List<String> compareSegmentTouchpoints(ReferenceModel ref,
            Map<SegmentKey, List<org.brandequity.avro.internal.TouchpointResponses>> stored) {
        List<String> out = new ArrayList<>();
        Map<SegmentKey, Map<Touchpoint, Tally>> expected = segmentTouchpointWindows(ref);
        stored.forEach((key, list) -> {
            Map<Touchpoint, Tally> want = expected.getOrDefault(key, Map.of());
            Map<Touchpoint, String> got = new java.util.EnumMap<>(Touchpoint.class);
            for (var t : list) {
                var c = t.getCounts();
                got.put(t.getTouchpoint(), "nps " + c.getNpsPromoters() + "/" + c.getNpsPassives() + "/" + c.getNpsDetractors()
                        + ", csat " + c.getCsatSatisfied() + "/" + c.getCsatResponses() + ", ces " + c.getCesSum() + "/" + c.getCesResponses());
            }
            Map<Touchpoint, String> wanted = new java.util.EnumMap<>(Touchpoint.class);
            want.forEach((tp, t) -> wanted.put(tp, "nps " + t.promoters + "/" + t.passives + "/" + t.detractors + ", csat " + t.satisfied
                    + "/" + t.csat + ", ces " + t.cesSum + "/" + t.ces));
            if (!wanted.equals(got)) out.add("segment window answers by touchpoint " + key + ": expected " + wanted + ", got " + got);
        });
        return out;
    }

    record TouchpointKey(Touchpoint touchpoint, long start) {
        @Override
        public String toString() {
            return "TouchpointKey[touchpoint=" + touchpoint + ", start=" + java.time.Instant.ofEpochMilli(start) + "]";
        }
    }

    /** Per touchpoint window closed by the end of the stream, its answers and revision. */
    static Map<TouchpointKey, Tally> touchpointWindows(ReferenceModel ref, PipelineConfig config) {
        long size = config.windows().size().toMillis(), grace = config.windows().grace().toMillis();
        Map<TouchpointKey, Tally> out = new TreeMap<>(java.util.Comparator.comparing((TouchpointKey k) -> k.touchpoint().name())
                .thenComparingLong(TouchpointKey::start));
        for (Counted c : ref.counted()) {
            if (!answered(c.event())) continue;
            for (long start : ref.windowStarts(c.time())) {
                long close = start + size + grace;
                if (ref.streamTime() < close) continue;
                Tally t = out.computeIfAbsent(new TouchpointKey(c.event().getTouchpoint(), start), k -> new Tally());
                t.add(c.event());
                if (c.streamTime() >= close) t.revision++;
            }
        }
        return out;
    }

    /** The latest segment records against the recomputation: one line per difference. */
    static List<String> compareSegments(ReferenceModel ref, Map<SegmentKey, SegmentExperienceScore> actual) {
        List<String> out = new ArrayList<>();
        Map<SegmentKey, Tally> expected = segmentWindows(ref);
        actual.forEach((k, a) -> {
            Tally e = expected.getOrDefault(k, new Tally());
            String what = "segment window " + k + " ";
            compare(what, e, a.getNpsResponses(), a.getNpsPromoters(), a.getNpsPassives(), a.getNpsDetractors(), a.getNps(),
                    a.getNpsMarginOfError(), a.getCsatResponses(), a.getCsatSatisfied(), a.getCsat(), a.getCsatLower(), a.getCsatUpper(),
                    a.getCesResponses(), a.getCes(), a.getCesLower(), a.getCesUpper(), out);
        });
        expected.forEach((k, e) -> {
            if (!actual.containsKey(k) && !e.isEmpty()) out.add("segment window " + k + " with answers missing: expected " + e);
        });
        return out;
    }

    /** The latest touchpoint records against the recomputation: one line per difference. */
    static List<String> compareTouchpoints(ReferenceModel ref, PipelineConfig config, Map<TouchpointKey, TouchpointExperienceScore> actual) {
        List<String> out = new ArrayList<>();
        Map<TouchpointKey, Tally> expected = touchpointWindows(ref, config);
        for (TouchpointKey k : expected.keySet()) if (!actual.containsKey(k)) out.add("touchpoint window " + k + " missing: expected " + expected.get(k));
        for (TouchpointKey k : actual.keySet()) if (!expected.containsKey(k)) out.add("touchpoint window " + k + " not expected: got " + actual.get(k));
        expected.forEach((k, e) -> {
            TouchpointExperienceScore a = actual.get(k);
            if (a == null) return;
            String what = "touchpoint window " + k + " ";
            if (a.getRevision() != e.revision) out.add(what + "revision: expected " + e.revision + ", got " + a.getRevision());
            if (a.getWindowEnd().toEpochMilli() != k.start() + config.windows().size().toMillis()) out.add(what + "end: got " + a.getWindowEnd());
            compare(what, e, a.getNpsResponses(), a.getNpsPromoters(), a.getNpsPassives(), a.getNpsDetractors(), a.getNps(),
                    a.getNpsMarginOfError(), a.getCsatResponses(), a.getCsatSatisfied(), a.getCsat(), a.getCsatLower(), a.getCsatUpper(),
                    a.getCesResponses(), a.getCes(), a.getCesLower(), a.getCesUpper(), out);
        });
        return out;
    }

    private static void compare(String what, Tally e, long npsN, long promoters, long passives, long detractors, Double nps, Double npsMargin,
                                long csatN, long satisfied, Double csat, Double csatLower, Double csatUpper,
                                long cesN, Double ces, Double cesLower, Double cesUpper, List<String> out) {
        equal(what + "npsResponses", e.nps(), npsN, out);
        equal(what + "npsPromoters", e.promoters, promoters, out);
        equal(what + "npsPassives", e.passives, passives, out);
        equal(what + "npsDetractors", e.detractors, detractors, out);
        equal(what + "csatResponses", e.csat, csatN, out);
        equal(what + "csatSatisfied", e.satisfied, satisfied, out);
        equal(what + "cesResponses", e.ces, cesN, out);
        // NPS = 100 (P - D) / n; margin 1.96 · 100 · sqrt(((P + D)/n - ((P - D)/n)²) / n).
        long n = e.nps();
        close(what + "nps", n == 0 ? null : 100.0 * (e.promoters - e.detractors) / n, nps, out);
        close(what + "npsMarginOfError", n == 0 ? null
                : 196 * Math.sqrt(((double) (e.promoters + e.detractors) / n - Math.pow((double) (e.promoters - e.detractors) / n, 2)) / n),
                npsMargin, out);
        // CSAT: satisfied / n in %, Wilson interval with z = 1.96.
        if (e.csat == 0) {
            close(what + "csat", null, csat, out);
            close(what + "csatLower", null, csatLower, out);
            close(what + "csatUpper", null, csatUpper, out);
        } else {
            double m = e.csat, p = e.satisfied / m, z = 1.96;
            double centre = (p + z * z / (2 * m)) / (1 + z * z / m);
            double half = z / (1 + z * z / m) * Math.sqrt(p * (1 - p) / m + z * z / (4 * m * m));
            close(what + "csat", 100 * p, csat, out);
            close(what + "csatLower", 100 * Math.max(0, centre - half), csatLower, out);
            close(what + "csatUpper", 100 * Math.min(1, centre + half), csatUpper, out);
        }
        // CES: mean effort; Student t interval (n - 1 degrees of freedom), clipped to 1..7; no interval for one answer.
        Double mean = e.ces == 0 ? null : (double) e.cesSum / e.ces;
        close(what + "ces", mean, ces, out);
        if (e.ces < 2) {
            close(what + "cesLower", null, cesLower, out);
            close(what + "cesUpper", null, cesUpper, out);
        } else {
            double k = e.ces;
            double s2 = (e.cesSquares - k * mean * mean) / (k - 1);
            double half = new TDistribution(k - 1).inverseCumulativeProbability(0.975) * Math.sqrt(Math.max(0, s2) / k);
            close(what + "cesLower", Math.max(1, mean - half), cesLower, out);
            close(what + "cesUpper", Math.min(7, mean + half), cesUpper, out);
        }
    }

    private static void equal(String what, long expected, long actual, List<String> out) {
        if (expected != actual) out.add(what + ": expected " + expected + ", got " + actual);
    }

    private static void close(String what, Double expected, Double actual, List<String> out) {
        if (expected == null || actual == null) {
            if (!Objects.equals(expected, actual)) out.add(what + ": expected " + expected + ", got " + actual);
        } else if (!(Math.abs(expected - actual) <= TOLERANCE * Math.max(1.0, Math.abs(expected)))) {
            out.add(what + ": expected " + expected + ", got " + actual);
        }
    }
}
