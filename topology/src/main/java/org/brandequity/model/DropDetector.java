package org.brandequity.model;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Decides, one completed window at a time, whether a score has dropped significantly below its own
 * history, and when it has recovered. Pure: the caller keeps the {@link State} (a value) between
 * windows. Scores are on a 100-point scale ({@link AlertConfig}).
 *
 * <h2>Baseline</h2>
 * An exponentially weighted moving average b of the window values, and the exponentially weighted
 * variance s² of its one-step forecast errors e = v - b around their own EW mean ē (West / Finch
 * incremental form):
 * <pre>
 *   u  = e - ē
 *   b  ← b + α·e
 *   ē  ← ē + α·u
 *   s² ← (1 - α)·(s² + α·u²)
 * </pre>
 * s is the score's usual window-to-window movement. Measuring it around ē rather than around 0 keeps
 * a steady slide (which makes every e negative) from passing itself off as noise.
 * α = {@code alert.baseline.alpha} (default 0.1: the newest window weighs 10%, a window k windows old
 * 0.1·0.9^k, so the baseline remembers about the last 10-20 windows). The first judged window seeds
 * b = v and s² = SE_v² (the only spread known then is sampling noise). The baseline is armed after
 * {@code alert.baseline.min.windows} windows. Only windows that do not breach update it, and nothing
 * updates it while an alert is FIRING: a sustained drop never becomes the new normal, and FIRING and
 * RESOLVED are measured against the same reference. A window with fewer than
 * {@code alert.min.sample.size} customers (or effective events) is skipped entirely: too few to judge,
 * and too few to learn from.
 *
 * <h2>Breach rules</h2>
 * With v the window's value, SE_v its standard error (its 95% margin of error / 1.96) and
 * σ = √(SE_v² + s²), a window breaches when
 * <ul>
 *   <li><b>drop-below-baseline</b>: b - v &gt; minDrop <em>and</em> b - v &gt; z·σ. The drop must be
 *       material (minDrop points) and stand out from both this window's sampling noise and the
 *       score's usual window-to-window movement s;</li>
 *   <li><b>below-floor</b>: v &lt; floor (a business threshold per scope, off by default);</li>
 *   <li><b>slow-slide</b>: the one-sided lower CUSUM C ← max(0, C + (b - v)/σ - k) exceeds h
 *       ({@code alert.cusum.slack}, {@code alert.cusum.threshold}), and v is more than minDrop below
 *       the baseline b₀ of when C last left 0 (so the slide is material, not only persistent). A slide
 *       of r points per window leaves the EWMA behind by up to r(1-α)/α points, so C grows by up to
 *       r(1-α)/(α·σ) - k per window and crosses h even though no single window is a significant drop.</li>
 * </ul>
 *
 * <h2>From breaches to alerts</h2>
 * <ul>
 *   <li><b>Persistence</b>: FIRING needs the current window to breach and at least m of the last n
 *       judged windows ({@code alert.persistence.breaches} of {@code alert.persistence.windows}) to
 *       have breached. One noisy window never pages anyone.</li>
 *   <li><b>Hysteresis</b>: a FIRING alert resolves only after {@code alert.clear.windows} consecutive
 *       windows with v &gt; b - clearDrop (and v at or above the floor); clearDrop &lt;= minDrop, so a value
 *       hovering around the firing threshold cannot flap.</li>
 *   <li><b>Rate cap</b>: at most {@code alert.rate.limit.max} FIRING records per key per
 *       {@code alert.rate.limit.period} of event time (window ends). An episode over the cap is
 *       tracked silently (its RESOLVED is not sent either) and counted in the next alert sent.</li>
 * </ul>
 *
 * <h2>Contributors</h2>
 * When the caller splits each value into additive parts (v = Σ u_i, e.g. per segment), the detector
 * keeps an EWMA b_i of each part, updated in lock-step with b. EWMA is linear, so b = Σ b_i and the
 * drop decomposes exactly: v - b = Σ (u_i - b_i). A FIRING alert lists the parts with the largest
 * negative change u_i - b_i, up to {@code alert.contributors.max} per breakdown (the text before the
 * first ':' of a part's name), so each breakdown lists what explains most of the drop.
 */
public final class DropDetector {

    /** Which rule fired, or that the score recovered; {@link #label()} is the alert's reason. */
    public enum Reason {
        DROP_BELOW_BASELINE("drop-below-baseline"),
        BELOW_FLOOR("below-floor"),
        SLOW_SLIDE("slow-slide"),
        RECOVERED("recovered");

        private final String label;

        Reason(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }

    /**
     * One completed window of a score.
     *
     * @param value         the window's score, points
     * @param standardError its standard error, points (95% margin of error / 1.96)
     * @param sampleSize    customers or (effective) events behind it
     * @param parts         additive parts of {@code value} by breakdown ("segment:high-value"), may be empty
     */
    public record Observation(long windowStart, long windowEnd, double value, double standardError, long sampleSize,
                              Map<String, Double> parts) {
        public Observation {
            parts = Map.copyOf(parts);
        }
    }

    /** One part's change against its own baseline, in points of the score. */
    public record Contributor(String name, double change) {}

    /**
     * What to tell people.
     *
     * @param firing          FIRING, or RESOLVED when false
     * @param episodeStart    window start of the window that fired; FIRING and RESOLVED of one episode share it
     * @param baselineSpread  s, the score's usual window-to-window standard deviation
     * @param suppressedAlerts FIRING alerts held back by the rate cap since the last one sent
     */
    public record Alert(boolean firing, Reason reason, long episodeStart, long windowStart, long windowEnd,
                        double baseline, double value, double marginOfError, long sampleSize,
                        double baselineSpread, List<Contributor> contributors, long suppressedAlerts) {
        public double drop() {
            return baseline - value;
        }
    }

    /** The detector's memory for one key; a value, stored by the caller between windows. */
    public record State(long baselineWindows, double baseline, double meanError, double variance, double cusum, double slideReference,
                        Map<String, Double> partBaselines, long lastWindowStart, int breachHistory,
                        boolean firing, long episodeStart, boolean episodeSuppressed,
                        int clearStreak, List<Long> sentAlerts, long suppressedAlerts) {
        public static final State EMPTY = new State(0, 0, 0, 0, 0, 0, Map.of(), Long.MIN_VALUE, 0,
                false, Long.MIN_VALUE, false, 0, List.of(), 0);

        public State {
            partBaselines = Map.copyOf(partBaselines);
            sentAlerts = List.copyOf(sentAlerts);
        }
    }

    /** The next state, and the alert to send for this window, if any. */
    public record Step(State state, Optional<Alert> alert) {}

    /** What the detector thinks of one window, for tests and logs. */
    public record Verdict(double drop, double sigma, double cusum, Optional<Reason> breach) {}

    private static final double Z95 = 1.96;
    // A window and a baseline without any noise make every drop significant; this only avoids 0/0.
    private static final double MIN_SIGMA = 1e-9;
    // Parts whose baseline has decayed to this are forgotten, so departed segments do not pile up.
    private static final double FORGOTTEN = 1e-9;
    private static final double NEGLIGIBLE_CHANGE = 1e-9;

    private final AlertConfig config;
    private final double floor;

    /** @param floor the absolute floor of this scope, NaN when off */
    public DropDetector(AlertConfig config, double floor) {
        this.config = config;
        this.floor = floor;
    }

    /** Judges one completed window. Windows at or before the last judged one are ignored. */
    public Step evaluate(State s, Observation o) {
        if (s.lastWindowStart() != Long.MIN_VALUE && o.windowStart() <= s.lastWindowStart()) {
            return new Step(s, Optional.empty());
        }
        Mutable m = new Mutable(s);
        m.lastWindowStart = o.windowStart();
        if (o.sampleSize() < config.minSampleSize() || !Double.isFinite(o.value())) {
            return m.step(null);
        }
        if (m.baselineWindows == 0) {
            m.baseline = o.value();
            m.variance = o.standardError() * o.standardError();
            m.partBaselines = new HashMap<>(o.parts());
            m.baselineWindows = 1;
            return m.step(null);
        }
        if (m.baselineWindows < config.minBaselineWindows()) {
            learn(m, o);
            return m.step(null);
        }

        Verdict v = judge(m, o);
        if (m.cusum == 0 && v.cusum() > 0) m.slideReference = m.baseline;
        m.cusum = v.cusum();
        boolean breach = v.breach().isPresent();
        int mask = (1 << config.persistenceWindows()) - 1;
        m.breachHistory = ((m.breachHistory << 1) | (breach ? 1 : 0)) & mask;

        if (!m.firing) {
            if (breach && Integer.bitCount(m.breachHistory) >= config.persistenceBreaches()) {
                return m.step(fire(m, o, v.breach().get()));
            }
            if (!breach) learn(m, o);
            return m.step(null);
        }

        boolean recovering = o.value() > m.baseline - config.clearDrop() && !(o.value() < floor);
        m.clearStreak = recovering ? m.clearStreak + 1 : 0;
        if (m.clearStreak < config.clearWindows()) return m.step(null);
        Alert resolved = m.episodeSuppressed ? null : alert(m, o, false, Reason.RECOVERED, List.of(), 0);
        m.firing = false;
        m.episodeSuppressed = false;
        m.clearStreak = 0;
        m.breachHistory = 0;
        m.cusum = 0;
        m.slideReference = 0;
        return m.step(resolved);
    }

    /** The breach rules applied to one window against the current baseline, without changing anything. */
    public Verdict judge(State s, Observation o) {
        return judge(new Mutable(s), o);
    }

    private Verdict judge(Mutable m, Observation o) {
        double se = o.standardError();
        double sigma = Math.max(MIN_SIGMA, Math.sqrt(se * se + m.variance));
        double drop = m.baseline - o.value();
        double cusum = Math.max(0, m.cusum + drop / sigma - config.cusumSlack());
        Reason breach = null;
        if (drop > config.minDrop() && drop > config.z() * sigma) breach = Reason.DROP_BELOW_BASELINE;
        else if (o.value() < floor) breach = Reason.BELOW_FLOOR;
        else if (cusum > config.cusumThreshold() && slideStart(m, cusum) - o.value() > config.minDrop()) breach = Reason.SLOW_SLIDE;
        return new Verdict(drop, sigma, cusum, Optional.ofNullable(breach));
    }

    /** Baseline when the current CUSUM run began: the reference a slide is measured from. */
    private static double slideStart(Mutable m, double cusum) {
        return m.cusum == 0 && cusum > 0 ? m.baseline : m.slideReference;
    }

    private void learn(Mutable m, Observation o) {
        double a = config.alpha();
        double e = o.value() - m.baseline;
        double u = e - m.meanError;
        m.baseline += a * e;
        m.meanError += a * u;
        m.variance = (1 - a) * (m.variance + a * u * u);
        Map<String, Double> parts = new HashMap<>(m.partBaselines);
        for (String k : o.parts().keySet()) parts.putIfAbsent(k, 0.0);
        parts.replaceAll((k, b) -> b + a * (o.parts().getOrDefault(k, 0.0) - b));
        parts.entrySet().removeIf(en -> Math.abs(en.getValue()) < FORGOTTEN && !o.parts().containsKey(en.getKey()));
        m.partBaselines = parts;
        m.baselineWindows++;
    }

    private Alert fire(Mutable m, Observation o, Reason reason) {
        m.firing = true;
        m.episodeStart = o.windowStart();
        m.clearStreak = 0;
        long periodMs = config.rateLimitPeriod().toMillis();
        List<Long> recent = new ArrayList<>();
        for (long t : m.sentAlerts) if (t > o.windowEnd() - periodMs) recent.add(t);
        if (recent.size() >= config.rateLimitMax()) {
            m.sentAlerts = recent;
            m.episodeSuppressed = true;
            m.suppressedAlerts++;
            return null;
        }
        recent.add(o.windowEnd());
        m.sentAlerts = recent;
        m.episodeSuppressed = false;
        long suppressed = m.suppressedAlerts;
        m.suppressedAlerts = 0;
        return alert(m, o, true, reason, contributors(m.partBaselines, o.parts(), config.maxContributors()), suppressed);
    }

    private Alert alert(Mutable m, Observation o, boolean firing, Reason reason, List<Contributor> contributors, long suppressed) {
        return new Alert(firing, reason, m.episodeStart, o.windowStart(), o.windowEnd(), m.baseline, o.value(),
                Z95 * o.standardError(), o.sampleSize(), Math.sqrt(m.variance), contributors, suppressed);
    }

    /**
     * The parts whose change u_i - b_i is most negative, at most {@code perBreakdown} per breakdown
     * (name prefix before ':'), most negative first within each breakdown, breakdowns in name order.
     */
    public static List<Contributor> contributors(Map<String, Double> baselines, Map<String, Double> parts, int perBreakdown) {
        Map<String, List<Contributor>> byBreakdown = new TreeMap<>();
        Map<String, Double> all = new LinkedHashMap<>(baselines);
        parts.keySet().forEach(k -> all.putIfAbsent(k, 0.0));
        all.forEach((name, base) -> {
            double change = parts.getOrDefault(name, 0.0) - base;
            // Parts that did not move differ from their baseline by rounding only; they explain nothing.
            if (change < -NEGLIGIBLE_CHANGE) {
                int colon = name.indexOf(':');
                byBreakdown.computeIfAbsent(colon < 0 ? "" : name.substring(0, colon), k -> new ArrayList<>())
                        .add(new Contributor(name, change));
            }
        });
        List<Contributor> out = new ArrayList<>();
        byBreakdown.values().forEach(list -> {
            list.sort(Comparator.comparingDouble(Contributor::change).thenComparing(Contributor::name));
            out.addAll(list.subList(0, Math.min(perBreakdown, list.size())));
        });
        return out;
    }

    /** Working copy of a {@link State} while one window is judged. */
    private static final class Mutable {
        long baselineWindows;
        double baseline;
        double meanError;
        double variance;
        double cusum;
        double slideReference;
        Map<String, Double> partBaselines;
        long lastWindowStart;
        int breachHistory;
        boolean firing;
        long episodeStart;
        boolean episodeSuppressed;
        int clearStreak;
        List<Long> sentAlerts;
        long suppressedAlerts;

        Mutable(State s) {
            baselineWindows = s.baselineWindows();
            baseline = s.baseline();
            meanError = s.meanError();
            variance = s.variance();
            cusum = s.cusum();
            slideReference = s.slideReference();
            partBaselines = s.partBaselines();
            lastWindowStart = s.lastWindowStart();
            breachHistory = s.breachHistory();
            firing = s.firing();
            episodeStart = s.episodeStart();
            episodeSuppressed = s.episodeSuppressed();
            clearStreak = s.clearStreak();
            sentAlerts = s.sentAlerts();
            suppressedAlerts = s.suppressedAlerts();
        }

        Step step(Alert alert) {
            return new Step(new State(baselineWindows, baseline, meanError, variance, cusum, slideReference, partBaselines, lastWindowStart,
                    breachHistory, firing, episodeStart, episodeSuppressed, clearStreak, sentAlerts,
                    suppressedAlerts), Optional.ofNullable(alert));
        }
    }
}
