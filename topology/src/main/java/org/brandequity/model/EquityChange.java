package org.brandequity.model;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * An exact account of how brand equity moved between two valuations, T1 and T2, per group of cells
 * (a cell, a segment, a touchpoint, a stage, a segment &times; touchpoint).
 *
 * <p>T1's equity is taken as it was first published; T2's as known now. With d = 2^(-(T2 - T1)/H)
 * the decay factor between them, every group g's stock moves by three parts, each valued at T2:
 *
 * <pre>
 *   new experience  N_g = &Sigma; c&middot;x&middot;2^(-(T2 - t)/H) over the events with t in (T1, T2]
 *   decay           D_g = (d - 1) &middot; BE_g(T1)          what the group held at T1, faded to T2
 *   restatement     R_g = &Sigma; c&middot;x&middot;2^(-(T2 - t)/H) over the late events with t &le; T1 that
 *                         arrived after T1 was first published
 *   &Delta;BE_g = N_g + D_g + R_g                               and likewise for the volume V
 * </pre>
 *
 * <p>Why the index change splits exactly although the index is not linear: with
 * index = 100&middot;BE/(V + K),
 *
 * <pre>
 *   index(T2) - index(T1) = [100&middot;BE(T2) - index(T1)&middot;(V(T2) + K)] / (V(T2) + K)
 *                         = [100&middot;&Delta;BE - index(T1)&middot;&Delta;V] / (V(T2) + K)
 * </pre>
 *
 * since index(T1)&middot;(V(T1) + K) = 100&middot;BE(T1). The expression is linear in (&Delta;BE,
 * &Delta;V), and both are sums over the groups and parts, so each part of each group contributes
 * [100&middot;&Delta;BE_part - index(T1)&middot;&Delta;V_part] / (V(T2) + K) to the index change, and
 * the contributions sum to it up to floating-point summation order (far below 1e-9). Nothing is left
 * in an "other factors" bucket except what {@link Account#top} folds on purpose.
 *
 * <p>Pure: no Kafka, no clock. The caller supplies the sums it keeps (the published history point
 * at T1 and the parts it recomputed); this class only does the arithmetic.
 */
public final class EquityChange {
    /** The name of the line that {@link Account#top} folds the smaller groups into. */
    public static final String OTHER = "other";

    private EquityChange() {}

    /** A stock and its volume, valued at one time. */
    public record StockVolume(double stock, double volume) {
        public static final StockVolume ZERO = new StockVolume(0, 0);

        public StockVolume plus(StockVolume o) {
            return new StockVolume(stock + o.stock, volume + o.volume);
        }

        public StockVolume times(double f) {
            return new StockVolume(stock * f, volume * f);
        }
    }

    /** One part of a group's change: its Δ stock, Δ volume and its share of the Δ index. */
    public record Part(double stock, double volume, double index) {
        static final Part ZERO = new Part(0, 0, 0);

        Part plus(Part o) {
            return new Part(stock + o.stock, volume + o.volume, index + o.index);
        }
    }

    /** One group's change, split into its three parts; {@link #total} is their sum. */
    public record Group(String key, Part newExperience, Part decay, Part restatement) {
        public Part total() {
            return newExperience.plus(decay).plus(restatement);
        }

        Group plus(Group o, String asKey) {
            return new Group(asKey, newExperience.plus(o.newExperience), decay.plus(o.decay),
                    restatement.plus(o.restatement));
        }
    }

    /**
     * The whole account: the brand's totals at T1 (as first published) and at T2, and the groups,
     * largest index contribution (by absolute value) first.
     */
    public record Account(StockVolume atT1, StockVolume atT2, double indexT1, double indexT2, List<Group> groups) {
        public Account {
            groups = List.copyOf(groups);
        }

        /** index(T2) - index(T1), computed from the two totals (not from the groups). */
        public double indexChange() {
            return indexT2 - indexT1;
        }

        /**
         * The {@code n} largest groups, and the rest summed into one {@link #OTHER} line (absent when
         * nothing is left over). The sums over the groups do not change.
         */
        public Account top(int n) {
            if (n < 0) throw new IllegalArgumentException("top must be >= 0: " + n);
            if (groups.size() <= n) return this;
            List<Group> kept = new ArrayList<>(groups.subList(0, n));
            Group rest = new Group(OTHER, Part.ZERO, Part.ZERO, Part.ZERO);
            for (Group g : groups.subList(n, groups.size())) rest = rest.plus(g, OTHER);
            kept.add(rest);
            return new Account(atT1, atT2, indexT1, indexT2, kept);
        }
    }

    /**
     * The account of the change from T1 to T2.
     *
     * @param publishedAtT1 every group's sums at T1, as first published
     * @param newExperience every group's sums of the events with event time in (T1, T2], valued at T2
     * @param restatement every group's sums of the late events with event time &le; T1 that arrived
     *     after T1 was first published, valued at T2
     * @param decayFactor d = 2^(-(T2 - T1)/H), in (0, 1]
     * @param prior the index prior K &ge; 0
     */
    public static Account of(Map<String, StockVolume> publishedAtT1, Map<String, StockVolume> newExperience,
            Map<String, StockVolume> restatement, double decayFactor, double prior) {
        if (!(decayFactor > 0 && decayFactor <= 1)) {
            throw new IllegalArgumentException("the decay factor must be in (0, 1]: " + decayFactor);
        }
        if (!(prior >= 0)) throw new IllegalArgumentException("the index prior must be >= 0: " + prior);
        Set<String> keys = new LinkedHashSet<>(publishedAtT1.keySet());
        keys.addAll(newExperience.keySet());
        keys.addAll(restatement.keySet());

        StockVolume t1 = StockVolume.ZERO;
        StockVolume t2 = StockVolume.ZERO;
        for (String k : keys) {
            StockVolume held = publishedAtT1.getOrDefault(k, StockVolume.ZERO);
            t1 = t1.plus(held);
            t2 = t2.plus(held.times(decayFactor))
                    .plus(newExperience.getOrDefault(k, StockVolume.ZERO))
                    .plus(restatement.getOrDefault(k, StockVolume.ZERO));
        }
        double index1 = index(t1, prior);
        double index2 = index(t2, prior);
        double denominator = t2.volume() + prior;

        List<Group> groups = new ArrayList<>(keys.size());
        for (String k : keys) {
            StockVolume held = publishedAtT1.getOrDefault(k, StockVolume.ZERO);
            groups.add(new Group(k,
                    part(newExperience.getOrDefault(k, StockVolume.ZERO), index1, denominator),
                    part(held.times(decayFactor - 1), index1, denominator),
                    part(restatement.getOrDefault(k, StockVolume.ZERO), index1, denominator)));
        }
        groups.sort(Comparator.comparingDouble((Group g) -> -Math.abs(g.total().index()))
                .thenComparing(Group::key));
        return new Account(t1, t2, index1, index2, groups);
    }

    /** 100 &middot; BE / (V + K), and 0 for an empty stock (V + K = 0). */
    public static double index(StockVolume sums, double prior) {
        double denominator = sums.volume() + prior;
        return denominator == 0 ? 0 : 100 * sums.stock() / denominator;
    }

    private static Part part(StockVolume delta, double index1, double denominator) {
        double index = denominator == 0 ? 0 : (100 * delta.stock() - index1 * delta.volume()) / denominator;
        return new Part(delta.stock(), delta.volume(), index);
    }
}
