package org.brandequity.model;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Splits the change of a survey score (NPS, CSAT) between two windows into <em>mix</em> (each
 * touchpoint's share of the answers) and <em>rate</em> (each touchpoint's own score).
 *
 * <p>A window's score is the answer-weighted mean of its touchpoints' scores: with n_k answers at
 * touchpoint k of N, share s_k = n_k / N and score r_k, score = &Sigma;_k s_k &middot; r_k (exact for
 * NPS = 100 (P - D) / N and for CSAT = 100 S / N, which are sums over answers). The symmetric
 * two-factor form splits each touchpoint's term exactly:
 *
 * <pre>
 *   s2&middot;r2 - s1&middot;r1 = (s2 - s1)&middot;(r1 + r2)/2   +   (r2 - r1)&middot;(s1 + s2)/2
 *                            mix                        rate
 * </pre>
 *
 * so the mix and rate parts of all touchpoints sum to score(W2) - score(W1) up to floating-point
 * summation order. Why symmetric: the one-sided forms (mix at the old rates, rate at the new shares)
 * are exact too but give a different split depending on which window is called "old"; the midpoint
 * weights give the same split both ways, with the signs flipped. A touchpoint with no answer in a
 * window has no score there: it is given the other window's score, so its whole term is mix
 * (a touchpoint appearing or vanishing changes the mix, not a rate).
 *
 * <p>Each window's score comes with its 95 % margin m (see {@link StandardMetrics}); the change is
 * within the margins when |&Delta;| &le; &radic;(m1&sup2; + m2&sup2;), the margin of the difference of two
 * independent estimates.
 */
public final class MixRate {
    private MixRate() {}

    /** One touchpoint's answers and score in one window; {@code score} is null when {@code answers} is 0. */
    public record Cell(long answers, Double score) {
        public Cell {
            if (answers < 0) throw new IllegalArgumentException("answers must be >= 0: " + answers);
            if ((answers == 0) != (score == null)) {
                throw new IllegalArgumentException("a score is given exactly when there are answers: " + answers + ", " + score);
            }
        }

        public static final Cell NONE = new Cell(0, null);
    }

    /** One touchpoint's shares, scores and its two parts of the change. */
    public record Line(String key, Cell before, Cell after, double shareBefore, double shareAfter, double mix, double rate) {
        public double total() {
            return mix + rate;
        }
    }

    /**
     * The split: each window's answers, score and margin, the change, whether it is within the
     * margins, and the touchpoints, largest |mix + rate| first. The scores are null for a window
     * with no answer; then there is no split (no lines).
     */
    public record Split(long answersBefore, long answersAfter, Double scoreBefore, Double scoreAfter,
            Double marginBefore, Double marginAfter, List<Line> lines) {
        public Split {
            lines = List.copyOf(lines);
        }

        /** score(after) - score(before), or null when either window has no answer. */
        public Double change() {
            return scoreBefore == null || scoreAfter == null ? null : scoreAfter - scoreBefore;
        }

        /** |&Delta;| &le; &radic;(m1&sup2; + m2&sup2;); null when either score or margin is unknown. */
        public Boolean withinMargins() {
            if (change() == null || marginBefore == null || marginAfter == null) return null;
            return Math.abs(change()) <= Math.hypot(marginBefore, marginAfter);
        }
    }

    /**
     * The split of the change from {@code before} to {@code after}, by touchpoint (or any key).
     * The windows' overall scores are the answer-weighted means of the cells; the margins are the
     * caller's (from the windows' summed counts).
     */
    public static Split of(Map<String, Cell> before, Map<String, Cell> after, Double marginBefore, Double marginAfter) {
        long n1 = before.values().stream().mapToLong(Cell::answers).sum();
        long n2 = after.values().stream().mapToLong(Cell::answers).sum();
        if (n1 == 0 || n2 == 0) {
            return new Split(n1, n2, n1 == 0 ? null : weighted(before, n1), n2 == 0 ? null : weighted(after, n2),
                    marginBefore, marginAfter, List.of());
        }
        TreeSet<String> keys = new TreeSet<>(before.keySet());
        keys.addAll(after.keySet());
        List<Line> lines = new ArrayList<>(keys.size());
        for (String k : keys) {
            Cell c1 = before.getOrDefault(k, Cell.NONE);
            Cell c2 = after.getOrDefault(k, Cell.NONE);
            if (c1.answers() == 0 && c2.answers() == 0) continue;
            double s1 = (double) c1.answers() / n1;
            double s2 = (double) c2.answers() / n2;
            double r1 = c1.score() != null ? c1.score() : c2.score();
            double r2 = c2.score() != null ? c2.score() : c1.score();
            lines.add(new Line(k, c1, c2, s1, s2, (s2 - s1) * (r1 + r2) / 2, (r2 - r1) * (s1 + s2) / 2));
        }
        lines.sort(Comparator.comparingDouble((Line l) -> -Math.abs(l.total())).thenComparing(Line::key));
        return new Split(n1, n2, weighted(before, n1), weighted(after, n2), marginBefore, marginAfter, lines);
    }

    private static double weighted(Map<String, Cell> cells, long n) {
        double sum = 0;
        for (Cell c : cells.values()) {
            if (c.answers() > 0) sum += c.answers() * c.score();
        }
        return sum / n;
    }
}
