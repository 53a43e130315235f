package org.brandequity.topology;

import java.time.Duration;
import java.time.Instant;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.WindowStore;
import org.apache.kafka.streams.state.WindowStoreIterator;
import org.brandequity.avro.CustomerInteraction;
import org.brandequity.model.DeadLetterReason;
import org.brandequity.model.Violation;

/**
 * Drops a repeated event id seen within the dedup horizon, and rejects an event more than the grace
 * period behind stream time.
 *
 * <p>Why not leave lateness to the windowed aggregation: it skips late records with only a log line
 * and a metric, and it tracks stream time in memory, so after a restart it would accept records it
 * refused before. Here stream time lives in a changelogged store, and the rule is one line: an event
 * with {@code eventTime < streamTime - grace} is a dead letter ({@code TOO_LATE}). Every event let
 * through is inside the grace period of every window it belongs to, so the windows count it.
 *
 * <p>Hand-written because Kafka Streams has no dedup operator; the window-store pattern is the one
 * from Kafka's own examples.
 */
final class DeduplicateAndGateLateness implements FixedKeyProcessor<String, CustomerInteraction, CustomerInteraction> {
    static final String STREAM_TIME_KEY = "stream-time";

    private final String dedupStoreName;
    private final String streamTimeStoreName;
    private final long horizonMs;
    private final long graceMs;
    private FixedKeyProcessorContext<String, CustomerInteraction> context;
    private WindowStore<String, Long> seen;
    private KeyValueStore<String, Long> streamTimes;
    private long streamTime = Long.MIN_VALUE;

    DeduplicateAndGateLateness(String dedupStoreName, String streamTimeStoreName, Duration horizon, Duration grace) {
        this.dedupStoreName = dedupStoreName;
        this.streamTimeStoreName = streamTimeStoreName;
        this.horizonMs = horizon.toMillis();
        this.graceMs = grace.toMillis();
    }

    @Override
    public void init(FixedKeyProcessorContext<String, CustomerInteraction> context) {
        this.context = context;
        this.seen = context.getStateStore(dedupStoreName);
        this.streamTimes = context.getStateStore(streamTimeStoreName);
        Long stored = streamTimes.get(STREAM_TIME_KEY);
        streamTime = stored == null ? Long.MIN_VALUE : stored;
    }

    @Override
    public void process(FixedKeyRecord<String, CustomerInteraction> record) {
        String eventId = record.value().getEventId();
        long t = record.timestamp();
        if (isDuplicate(eventId, t)) {
            Counters.DUPLICATES.increment();
            return;
        }
        if (streamTime != Long.MIN_VALUE && t < streamTime - graceMs) {
            Counters.LATE_REJECTED.increment();
            throw new RejectedInteractionException(new Violation(DeadLetterReason.TOO_LATE,
                    "eventTime " + Instant.ofEpochMilli(t) + " is " + (streamTime - t) + " ms behind stream time "
                            + Instant.ofEpochMilli(streamTime) + " (grace " + graceMs + " ms)"));
        }
        if (streamTime != Long.MIN_VALUE && t < streamTime) Counters.LATE_ACCEPTED.increment();
        seen.put(eventId, t, t);
        if (t > streamTime) {
            streamTime = t;
            streamTimes.put(STREAM_TIME_KEY, t);
        }
        context.forward(record);
    }

    private boolean isDuplicate(String eventId, long t) {
        try (WindowStoreIterator<Long> it = seen.fetch(eventId, t - horizonMs, t + horizonMs)) {
            return it.hasNext();
        }
    }
}
