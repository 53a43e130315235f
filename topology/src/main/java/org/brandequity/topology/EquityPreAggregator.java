package org.brandequity.topology;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.utils.Bytes;
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
import org.brandequity.model.HistoryPolicy;
import org.brandequity.model.ModelConfig;
import org.brandequity.model.Sums;

/**
 * Sums each task's scored events into one cell per (segment, touchpoint, stage, on time or late),
 * and every {@code equity.flush.interval} of wall-clock time forwards them as at most two delta
 * ledgers keyed by brand: the on-time delta, and the late delta marked with the header
 * {@value #LATE_HEADER}.
 *
 * <p>Why: the brand is a single key. Sending every event to it would funnel the whole stream
 * through one task; this way it receives at most two small records per task per interval. The
 * pending cells live in a changelogged store, so under exactly-once a crash loses or repeats
 * nothing: a cell is either still pending or already folded, atomically with the input offsets.
 * The punctuation touches only the bounded set of cells, never per-customer state.
 *
 * <p>Why two deltas: brand equity counts every event, BE = BE_on-time + BE_late (decay is linear, so
 * the two deltas fold into the brand in any order, like any two deltas), but the brand and touchpoint
 * drop detectors judge only the on-time experience ({@link EquityDropDetection}). A delta that mixed
 * both could not be split again downstream. The marker is a record header, not a field, because the
 * layout of {@link PendingContribution} (this store's changelog) is frozen by the state already
 * written (StateSchemaCompatibilityTest), and one delta per kind keeps {@link EquityLedger} (the
 * {@code equity-cell-deltas} repartition topic) the brand's own layout; Kafka Streams writes a
 * record's headers to a repartition topic and hands them to the reading task (SinkNode and
 * StreamTask in 4.3.1). A late cell is keyed by the on-time cell's key plus
 * {@value #LATE_CELL_SUFFIX}, so the cells in a store restored from an earlier version are on-time cells.
 *
 * <p>Why one delta per history boundary: the equity history ({@link EquityHistoryProcessor}) values
 * the brand at every boundary of {@code equity.history.interval}, exactly, so no delta may mix events
 * of two history intervals. A pending cell's key carries the boundary its events count in
 * ({@link HistoryPolicy#boundaryOf}), and a flush forwards one on-time and one late delta per
 * boundary, oldest boundary first; a delta's boundary is that of its {@code asOf}. Usually one
 * boundary is pending, two across a boundary; a backfill may have more. (Cells restored from a
 * version without history keys are taken at the boundary of their newest event, once, at the upgrade.)
 */
final class EquityPreAggregator implements Processor<String, ScoredInteraction, String, EquityLedger> {
    /** Present on a delta of late events only (its value is informative: "true"). */
    static final String LATE_HEADER = "brandequity.late";
    private static final byte[] LATE_HEADER_VALUE = "true".getBytes(StandardCharsets.UTF_8);
    /** Appended to a cell's key when its events are late; unambiguous, since an on-time cell's key ends with a stage name. */
    static final String LATE_CELL_SUFFIX = "\u0000late";

    private final String storeName;
    private final String brandId;
    private final Duration flushInterval;
    private final ModelConfig model;
    private final EquityLedgers ledgers;
    private final Decay decay;
    private final HistoryPolicy history;
    private ProcessorContext<String, EquityLedger> context;
    private KeyValueStore<String, PendingContribution> pending;
    /**
     * The store's cells as objects, read once at init: every event then costs a store write but no
     * store read and no decode (the read was about 4 % of the stream threads in the profile,
     * docs/benchmark.md). The store stays the truth: every change is written to it at once.
     */
    private final Map<String, PendingContribution> cells = new HashMap<>();

    EquityPreAggregator(String storeName, String brandId, Duration flushInterval, ModelConfig model, int maxSegments,
                        HistoryPolicy history) {
        this.storeName = storeName;
        this.brandId = brandId;
        this.flushInterval = flushInterval;
        this.model = model;
        // Capped here too, so that a delta record stays small whatever a flood of segment names sends.
        this.ledgers = new EquityLedgers(model, maxSegments);
        this.decay = new Decay(model.halfLife());
        this.history = history;
    }

    /** Whether a delta ledger read from the {@code equity-cell-deltas} topic holds late events. */
    static boolean isLate(Headers headers) {
        return headers.lastHeader(LATE_HEADER) != null;
    }

    @Override
    public void init(ProcessorContext<String, EquityLedger> context) {
        this.context = context;
        this.pending = context.getStateStore(storeName);
        cells.clear();
        try (KeyValueIterator<String, PendingContribution> it = pending.all()) {
            it.forEachRemaining(kv -> cells.put(kv.key, kv.value));
        }
        context.schedule(flushInterval, PunctuationType.WALL_CLOCK_TIME, now -> flush());
    }

    @Override
    public void process(Record<String, ScoredInteraction> record) {
        ScoredInteraction e = record.value();
        double c = EquityStock.equityWeight(model.weightOfSegment(e.getSegment()), e.getValueWeight(), e.getWeight());
        Sums add = Sums.of(e.getSignal(), c);
        long t = e.getEventTime();
        String cell = e.getSegment() + '\u0000' + e.getTouchpoint() + '\u0000' + e.getStage() + '\u0000' + history.boundaryOf(t)
                + (e.getLate() ? LATE_CELL_SUFFIX : "");
        PendingContribution p = cells.get(cell);
        if (p == null) {
            p = new PendingContribution(e.getSegment(), e.getTouchpoint(), e.getStage(), t, 1L, add.signal(), add.volume());
            cells.put(cell, p);
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
        try {
            pending.put(cell, p);
        } catch (RuntimeException failed) {
            // The store did not take it: the object goes back to what the store holds.
            PendingContribution stored = pending.get(cell);
            if (stored == null) cells.remove(cell);
            else cells.put(cell, stored);
            throw failed;
        }
    }

    private void flush() {
        // Per history boundary, oldest first: [on time, late].
        TreeMap<Long, EquityStock[]> deltas = new TreeMap<>();
        // In the store's order (its keys' bytes, as an iteration of the store gave them before), so
        // that the sums add up in the same order, bit for bit.
        List<String> folded = new ArrayList<>(cells.keySet());
        folded.sort((a, b) -> Bytes.BYTES_LEXICO_COMPARATOR.compare(
                a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8)));
        for (String key : folded) {
            PendingContribution p = cells.get(key);
            EquityStock[] pair = deltas.computeIfAbsent(history.boundaryOf(p.getAsOf()),
                    b -> new EquityStock[] {ledgers.newStock(), ledgers.newStock()});
            pair[key.endsWith(LATE_CELL_SUFFIX) ? 1 : 0].add(p.getSegment(), p.getTouchpoint(), p.getStage(),
                    p.getAsOf(), new Sums(p.getSignal(), p.getVolume()), p.getEvents());
        }
        folded.forEach(pending::delete);
        cells.clear();
        for (EquityStock[] pair : deltas.values()) {
            EquityStock onTime = pair[0];
            EquityStock late = pair[1];
            if (!onTime.isEmpty()) context.forward(new Record<>(brandId, ledgers.toLedger(onTime), onTime.asOf()));
            if (!late.isEmpty()) {
                Headers marked = new RecordHeaders().add(LATE_HEADER, LATE_HEADER_VALUE);
                context.forward(new Record<>(brandId, ledgers.toLedger(late), late.asOf(), marked));
            }
        }
    }
}
