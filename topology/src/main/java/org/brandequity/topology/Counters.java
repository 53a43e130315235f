package org.brandequity.topology;

import java.util.concurrent.atomic.LongAdder;

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

    private Counters() {}
}
