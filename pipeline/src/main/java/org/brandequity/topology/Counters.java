package org.brandequity.topology;

import java.util.concurrent.atomic.DoubleAdder;
import java.util.concurrent.atomic.LongAdder;
import org.brandequity.avro.LifecycleStage;
import org.brandequity.avro.Touchpoint;

/**
 * Process-wide counts of what the topology decided about events, read by the metrics endpoint and
 * the demo status line. Kafka Streams instantiates processors per task, so shared counters are
 * the simplest way to sum them.
 */
public final class Counters {
    /** Events dropped because their id was already counted. */
    public static final LongAdder DUPLICATES = new LongAdder();
    /** Events behind stream time but inside the grace period: counted. */
    public static final LongAdder LATE_ACCEPTED = new LongAdder();
    /** Events behind stream time by more than the grace period: dead-lettered. */
    public static final LongAdder LATE_REJECTED = new LongAdder();
    /** Events scored and counted. */
    public static final LongAdder SCORED = new LongAdder();
    /**
     * {@link #SCORED} by touchpoint and lifecycle stage, with the sums behind the mean experience
     * there: sum of w, and of w * x split by sign (so each sum only grows, as a Prometheus counter
     * must; mean = (positive - negative) / weight). Bounded labels (19 touchpoints x 8 stages) for the metrics
     * endpoint's touchpoint x stage heat map; the equity record only decomposes by each alone.
     */
    private static final int STAGES = LifecycleStage.values().length;
    private static final LongAdder[] EVENTS = new LongAdder[Touchpoint.values().length * STAGES];
    private static final DoubleAdder[] WEIGHT = new DoubleAdder[EVENTS.length];
    private static final DoubleAdder[] POSITIVE = new DoubleAdder[EVENTS.length];
    private static final DoubleAdder[] NEGATIVE = new DoubleAdder[EVENTS.length];

    static {
        for (int i = 0; i < EVENTS.length; i++) {
            EVENTS[i] = new LongAdder();
            WEIGHT[i] = new DoubleAdder();
            POSITIVE[i] = new DoubleAdder();
            NEGATIVE[i] = new DoubleAdder();
        }
    }

    /** Counts one scored event with experience {@code signal} and weight {@code weight}. */
    public static void scored(Touchpoint touchpoint, LifecycleStage stage, double signal, double weight) {
        SCORED.increment();
        int i = index(touchpoint, stage);
        EVENTS[i].increment();
        WEIGHT[i].add(weight);
        if (signal > 0) POSITIVE[i].add(weight * signal);
        else if (signal < 0) NEGATIVE[i].add(-weight * signal);
    }

    /** Events scored at this touchpoint and stage by this JVM since start. */
    public static long scored(Touchpoint touchpoint, LifecycleStage stage) {
        return EVENTS[index(touchpoint, stage)].sum();
    }

    /** Sum of the experience weights w of those events. */
    public static double weight(Touchpoint touchpoint, LifecycleStage stage) {
        return WEIGHT[index(touchpoint, stage)].sum();
    }

    /** Sum of w * x over those events with x &gt; 0. */
    public static double positive(Touchpoint touchpoint, LifecycleStage stage) {
        return POSITIVE[index(touchpoint, stage)].sum();
    }

    /** Sum of w * |x| over those events with x &lt; 0. */
    public static double negative(Touchpoint touchpoint, LifecycleStage stage) {
        return NEGATIVE[index(touchpoint, stage)].sum();
    }

    private static int index(Touchpoint touchpoint, LifecycleStage stage) {
        Touchpoint t = touchpoint == null ? Touchpoint.OTHER : touchpoint;
        LifecycleStage s = stage == null ? LifecycleStage.UNKNOWN : stage;
        return t.ordinal() * STAGES + s.ordinal();
    }

    private Counters() {}
}
