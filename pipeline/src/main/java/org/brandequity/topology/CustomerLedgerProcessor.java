package org.brandequity.topology;

import java.time.Duration;
import java.time.Instant;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;
import org.apache.kafka.streams.state.KeyValueStore;
import org.brandequity.avro.CustomerInteraction;
import org.brandequity.avro.internal.CustomerLedger;
import org.brandequity.avro.internal.ScoredInteraction;
import org.brandequity.avro.internal.SeenEvent;
import org.brandequity.model.DeadLetterReason;
import org.brandequity.model.ExperienceSignal;
import org.brandequity.model.ScoringModel;
import org.brandequity.model.Violation;
import org.brandequity.model.WindowGrid;

/**
 * Admits, scores and records one interaction in its customer's ledger: drops an event id already
 * counted within the dedup horizon, rejects an event more than the grace period behind stream
 * time, joins the customer's profile, scores the event and adds it to its pane. One read and one
 * write of the customer's ledger per event.
 *
 * <p>Why one store for all of it: under exactly-once every state write costs a cache update, a
 * RocksDB put and a changelog record the broker must append. Dedup ids, the profile and the panes
 * in stores of their own cost about five state operations per event; the benchmark measured that
 * as what bounded throughput (docs/benchmark.md).
 *
 * <p>Why not leave lateness to the windowed aggregation: it skips late records with only a log line
 * and a metric, and it tracks stream time in memory, so after a restart it would accept records it
 * refused before. Here stream time lives in a changelogged store, and the rule is one line: an event
 * with {@code eventTime < streamTime - grace} is a dead letter ({@code TOO_LATE}). Every event let
 * through is inside the grace period of every window it belongs to, so the windows count it.
 *
 * <p>Hand-written because Kafka Streams has no dedup operator and no pane-based windowing.
 */
final class CustomerLedgerProcessor implements FixedKeyProcessor<String, CustomerInteraction, ScoredInteraction> {
    static final String STREAM_TIME_KEY = "stream-time";

    private final String ledgerStoreName;
    private final String streamTimeStoreName;
    private final ScoringModel scoring;
    private final long horizonMs;
    private final long graceMs;
    private final WindowGrid grid;
    private final Counters counters;
    private FixedKeyProcessorContext<String, ScoredInteraction> context;
    private KeyValueStore<String, CustomerLedger> ledgers;
    private KeyValueStore<String, Long> streamTimes;
    private long streamTime = Long.MIN_VALUE;

    CustomerLedgerProcessor(String ledgerStoreName, String streamTimeStoreName, ScoringModel scoring,
                            Duration dedupHorizon, Duration grace, Duration windowSize, Duration windowAdvance,
                            Counters counters) {
        this.counters = counters;
        this.ledgerStoreName = ledgerStoreName;
        this.streamTimeStoreName = streamTimeStoreName;
        this.scoring = scoring;
        this.horizonMs = dedupHorizon.toMillis();
        this.graceMs = grace.toMillis();
        this.grid = WindowGrid.of(windowSize, windowAdvance, grace);
    }

    @Override
    public void init(FixedKeyProcessorContext<String, ScoredInteraction> context) {
        this.context = context;
        this.ledgers = context.getStateStore(ledgerStoreName);
        this.streamTimes = context.getStateStore(streamTimeStoreName);
        Long stored = streamTimes.get(STREAM_TIME_KEY);
        streamTime = stored == null ? Long.MIN_VALUE : stored;
    }

    @Override
    public void process(FixedKeyRecord<String, CustomerInteraction> record) {
        CustomerInteraction e = record.value();
        long t = record.timestamp();
        CustomerLedger ledger = ledgers.get(record.key());
        if (ledger == null) ledger = CustomerLedgers.empty();
        if (CustomerLedgers.hasSeen(ledger, e.getEventId(), t, horizonMs, rememberFrom(streamTime))) {
            counters.countDuplicate();
            return;
        }
        if (streamTime != Long.MIN_VALUE && t < streamTime - graceMs) {
            counters.countLateRejected();
            throw new RejectedInteractionException(new Violation(DeadLetterReason.TOO_LATE,
                    "eventTime " + Instant.ofEpochMilli(t) + " is " + (streamTime - t) + " ms behind stream time "
                            + Instant.ofEpochMilli(streamTime) + " (grace " + graceMs + " ms)"));
        }
        // Everything that can reject or fail on the event happens above this line, before the first
        // store write: a rejection is dead-lettered with nothing of the event kept, and any failure
        // below fails the task so that exactly-once rolls back what was written.
        ExperienceSignal s = scoring.score(e);
        boolean late = streamTime != Long.MIN_VALUE && t < streamTime;
        // Panes older than this belong only to windows already emitted: the window closer, downstream,
        // has seen every earlier event and closed every window stream time had passed.
        long oldestLivePaneStart = streamTime == Long.MIN_VALUE ? Long.MIN_VALUE
                : grid.oldestLivePaneStart(grid.closableWindowEnd(streamTime));
        if (t > streamTime) {
            streamTime = t;
            streamTimes.put(STREAM_TIME_KEY, t);
        }
        CustomerLedgers.prune(ledger, rememberFrom(streamTime), oldestLivePaneStart);
        ledger.getSeen().add(new SeenEvent(e.getEventId(), t));
        CustomerLedgers.add(CustomerLedgers.pane(ledger, grid.paneStart(t)),
                scoring.polarity(s.value()), s.value(), s.weight(), t, ledger.getSegment());
        ledgers.put(record.key(), ledger);

        if (late) counters.countLateAccepted();
        counters.countScored(e.getTouchpoint(), e.getStage(), s.value(), s.weight());
        context.forward(record.withValue(new ScoredInteraction(e.getEventId(), e.getCustomerId(), t,
                e.getTouchpoint(), e.getStage(), ledger.getSegment(), ledger.getValueWeight(), s.value(), s.weight(), false)));
    }

    /**
     * The oldest event time whose id the dedup still remembers: a copy of an older one could only
     * arrive more than the grace period behind stream time, and is a dead letter for that anyway.
     */
    private long rememberFrom(long streamTime) {
        return streamTime == Long.MIN_VALUE ? Long.MIN_VALUE : streamTime - horizonMs - graceMs;
    }
}
