package org.brandequity.topology;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.brandequity.avro.internal.EquityLedger;
import org.brandequity.avro.internal.PendingContribution;
import org.brandequity.avro.internal.ScoredInteraction;
import org.brandequity.model.Decay;
import org.brandequity.model.EquityStock;
import org.brandequity.model.ModelConfig;
import org.brandequity.model.Sums;

/**
 * Sums each task's scored events into one cell per (segment, touchpoint, stage), and every
 * {@code equity.flush.interval} of wall-clock time forwards them as one delta ledger keyed by brand.
 *
 * <p>Why: the brand is a single key. Sending every event to it would funnel the whole stream
 * through one task; this way it receives at most one small record per task per interval. The
 * pending cells live in a changelogged store, so under exactly-once a crash loses or repeats
 * nothing: a cell is either still pending or already folded, atomically with the input offsets.
 * The punctuation touches only the bounded set of cells, never per-customer state.
 */
final class EquityPreAggregator implements Processor<String, ScoredInteraction, String, EquityLedger> {
    private final String storeName;
    private final String brandId;
    private final Duration flushInterval;
    private final ModelConfig model;
    private final EquityLedgers ledgers;
    private final Decay decay;
    private ProcessorContext<String, EquityLedger> context;
    private KeyValueStore<String, PendingContribution> pending;

    EquityPreAggregator(String storeName, String brandId, Duration flushInterval, ModelConfig model) {
        this.storeName = storeName;
        this.brandId = brandId;
        this.flushInterval = flushInterval;
        this.model = model;
        this.ledgers = new EquityLedgers(model);
        this.decay = new Decay(model.halfLife());
    }

    @Override
    public void init(ProcessorContext<String, EquityLedger> context) {
        this.context = context;
        this.pending = context.getStateStore(storeName);
        context.schedule(flushInterval, PunctuationType.WALL_CLOCK_TIME, now -> flush());
    }

    @Override
    public void process(Record<String, ScoredInteraction> record) {
        ScoredInteraction e = record.value();
        double c = EquityStock.equityWeight(model.weightOfSegment(e.getSegment()), e.getValueWeight(), e.getWeight());
        Sums add = Sums.of(e.getSignal(), c);
        String cell = e.getSegment() + '\u0000' + e.getTouchpoint() + '\u0000' + e.getStage();
        PendingContribution p = pending.get(cell);
        long t = e.getEventTime();
        if (p == null) {
            p = new PendingContribution(e.getSegment(), e.getTouchpoint(), e.getStage(), t, 1L, add.signal(), add.volume());
        } else {
            // Keep the cell valued at its newest event time; older events enter decayed to it.
            long asOf = Math.max(p.getAsOf(), t);
            double old = decay.factor(p.getAsOf(), asOf);
            double now = decay.factor(t, asOf);
            p.setSignal(p.getSignal() * old + add.signal() * now);
            p.setVolume(p.getVolume() * old + add.volume() * now);
            p.setAsOf(asOf);
            p.setEvents(p.getEvents() + 1);
        }
        pending.put(cell, p);
    }

    private void flush() {
        EquityStock delta = ledgers.newStock();
        List<String> folded = new ArrayList<>();
        try (KeyValueIterator<String, PendingContribution> it = pending.all()) {
            while (it.hasNext()) {
                KeyValue<String, PendingContribution> kv = it.next();
                PendingContribution p = kv.value;
                delta.add(p.getSegment(), p.getTouchpoint(), p.getStage(), p.getAsOf(),
                        new Sums(p.getSignal(), p.getVolume()), p.getEvents());
                folded.add(kv.key);
            }
        }
        if (delta.isEmpty()) return;
        folded.forEach(pending::delete);
        context.forward(new Record<>(brandId, ledgers.toLedger(delta), delta.asOf()));
    }
}
