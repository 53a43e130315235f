package org.brandequity.model;

import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.TreeMap;
import org.brandequity.avro.LifecycleStage;
import org.brandequity.avro.Touchpoint;

/**
 * Brand equity as a stock of decayed experience, valued at {@link #asOf()}.
 *
 * <pre>
 *   c_e   = &omega;_segment(e) &times; v_customer(e) &times; w_e                  (equity weight of event e)
 *   BE(t) = &Sigma;_e c_e &middot; x_e &middot; 2^(-(t - t_e) / H)                  (stock)
 *   V(t)  = &Sigma;_e c_e &middot; 2^(-(t - t_e) / H)                        (decayed volume)
 *   index = 100 &middot; BE(t) / (V(t) + K)                                 (quality, in (-100, 100))
 * </pre>
 *
 * The same sums are kept per segment, per touchpoint and per lifecycle stage. Each breakdown
 * partitions the events, so each sums to the total (to floating-point rounding). Merging two stocks
 * revalues the older one to the newer {@code asOf}; the result is the same in any order.
 */
public final class EquityStock {
    private final Decay decay;
    private long asOf = Long.MIN_VALUE;
    private long events;
    private final Map<String, Sums> segments = new TreeMap<>();
    private final Map<Touchpoint, Sums> touchpoints = new EnumMap<>(Touchpoint.class);
    private final Map<LifecycleStage, Sums> stages = new EnumMap<>(LifecycleStage.class);

    public EquityStock(Decay decay) {
        this.decay = decay;
    }

    /** The equity weight c = &omega;_segment &times; customer value weight &times; event weight. */
    public static double equityWeight(double segmentWeight, double valueWeight, double eventWeight) {
        return segmentWeight * valueWeight * eventWeight;
    }

    public boolean isEmpty() {
        return asOf == Long.MIN_VALUE;
    }

    public long asOf() {
        return asOf;
    }

    public long events() {
        return events;
    }

    /** Adds {@code sums} valued at {@code time} to one (segment, touchpoint, stage) cell. */
    public EquityStock add(String segment, Touchpoint touchpoint, LifecycleStage stage, long time, Sums sums, long eventCount) {
        Sums s = align(time, sums);
        segments.merge(segment, s, Sums::plus);
        touchpoints.merge(touchpoint, s, Sums::plus);
        stages.merge(stage, s, Sums::plus);
        events += eventCount;
        return this;
    }

    /** Adds another stock's experience to this one; neither stock's own time is lost. */
    public EquityStock addAll(EquityStock other) {
        if (other.isEmpty()) return this;
        align(other.asOf, Sums.ZERO);
        double f = decay.factor(other.asOf, asOf);
        other.segments.forEach((k, v) -> segments.merge(k, v.scaled(f), Sums::plus));
        other.touchpoints.forEach((k, v) -> touchpoints.merge(k, v.scaled(f), Sums::plus));
        other.stages.forEach((k, v) -> stages.merge(k, v.scaled(f), Sums::plus));
        events += other.events;
        return this;
    }

    /** Revalues every sum at {@code time}; only moves forward (experience never un-decays). */
    public EquityStock decayTo(long time) {
        if (isEmpty()) {
            asOf = time;
        } else if (time > asOf) {
            double f = decay.factor(asOf, time);
            segments.replaceAll((k, v) -> v.scaled(f));
            touchpoints.replaceAll((k, v) -> v.scaled(f));
            stages.replaceAll((k, v) -> v.scaled(f));
            asOf = time;
        }
        return this;
    }

    /** Restores sums read back from storage, already valued at {@code asOf}. */
    public EquityStock restore(long asOf, long events, Map<String, Sums> segments,
                               Map<Touchpoint, Sums> touchpoints, Map<LifecycleStage, Sums> stages) {
        this.asOf = asOf;
        this.events = events;
        this.segments.clear();
        this.segments.putAll(segments);
        this.touchpoints.clear();
        this.touchpoints.putAll(touchpoints);
        this.stages.clear();
        this.stages.putAll(stages);
        return this;
    }

    public Sums total() {
        Sums t = Sums.ZERO;
        for (Sums s : segments.values()) t = t.plus(s);
        return t;
    }

    /** Equity index 100 &middot; BE / (V + K): experience quality, pulled toward 0 when volume is small. */
    public static double index(Sums total, double indexPrior) {
        double denominator = total.volume() + indexPrior;
        return denominator > 0 ? 100.0 * total.signal() / denominator : 0.0;
    }

    public Map<String, Sums> segments() {
        return Collections.unmodifiableMap(segments);
    }

    public Map<Touchpoint, Sums> touchpoints() {
        return Collections.unmodifiableMap(touchpoints);
    }

    public Map<LifecycleStage, Sums> stages() {
        return Collections.unmodifiableMap(stages);
    }

    private Sums align(long time, Sums sums) {
        if (isEmpty()) {
            asOf = time;
            return sums;
        }
        if (time > asOf) {
            decayTo(time);
            return sums;
        }
        return sums.scaled(decay.factor(time, asOf));
    }
}
