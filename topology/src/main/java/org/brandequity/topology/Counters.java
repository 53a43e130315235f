package org.brandequity.topology;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;
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
    /** {@link #SCORED} by touchpoint (a bounded label for the metrics endpoint). */
    private static final Map<Touchpoint, LongAdder> SCORED_BY_TOUCHPOINT = new EnumMap<>(Touchpoint.class);

    static {
        for (Touchpoint t : Touchpoint.values()) SCORED_BY_TOUCHPOINT.put(t, new LongAdder());
    }

    /** Counts one scored event at {@code touchpoint}, in {@link #SCORED} and by touchpoint. */
    public static void scored(Touchpoint touchpoint) {
        SCORED.increment();
        SCORED_BY_TOUCHPOINT.get(touchpoint == null ? Touchpoint.OTHER : touchpoint).increment();
    }

    /** Events scored at {@code touchpoint} by this JVM since start. */
    public static long scoredAt(Touchpoint touchpoint) {
        return SCORED_BY_TOUCHPOINT.get(touchpoint).sum();
    }

    private Counters() {}
}
