package org.brandequity.topology;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.brandequity.avro.EquityHistoryPoint;
import org.brandequity.avro.internal.EquityHistoryEntry;
import org.brandequity.avro.internal.EquityLedger;
import org.brandequity.model.EquityHistory;
import org.brandequity.model.EquityStock;
import org.brandequity.model.HistoryPolicy;

/**
 * Keeps the brand's equity history (the model's {@link EquityHistory}): a point at every boundary of
 * {@code equity.history.interval} of event time, valued at the boundary, revised by late events.
 *
 * <p>Input: the delta ledgers of {@link EquityPreAggregator}, on time and late alike, each holding
 * the events of one history interval (B - interval, B]. {@link #process} only merges a delta into the
 * pending sums of its boundary (one store write). Every {@code equity.flush.interval} of wall-clock
 * time, {@link #publish}:
 * <ol>
 *   <li>revises the published points with the pending sums of boundaries already published (late
 *       events, or another task's delta that arrived after the boundary was published), in one sweep
 *       from the oldest such boundary to the newest point, with a running sum R decayed from point to
 *       point: R_B = R_{B-1}&middot;2^(-interval/H) + pending_B. Each point gets R_B added to its known
 *       and to its restated sums; so a late delta costs one write per later point, once per flush,
 *       however many deltas arrived;</li>
 *   <li>publishes every boundary before the newest pending one (the brand's stream time has passed
 *       them): point_B = point_{B-1}&middot;2^(-interval/H) + pending_B, nothing restated, one
 *       point per boundary even where no event fell (then the previous point decayed);</li>
 *   <li>deletes the points older than {@code equity.history.retention} before the newest.</li>
 * </ol>
 * Every written point is also sent to the history topic. The pending sums and the points are
 * changelogged stores of the brand's task, so under exactly-once a crash loses or repeats nothing.
 */
final class EquityHistoryProcessor implements Processor<String, EquityLedger, String, EquityHistoryPoint> {
    private final String pendingStoreName;
    private final String historyStoreName;
    private final String brandId;
    private final Duration flushInterval;
    private final HistoryPolicy history;
    private final EquityLedgers ledgers;
    private final EquityHistories histories;
    private ProcessorContext<String, EquityHistoryPoint> context;
    private KeyValueStore<Long, EquityLedger> pending;
    private KeyValueStore<Long, EquityHistoryEntry> points;

    EquityHistoryProcessor(String pendingStoreName, String historyStoreName, String brandId, Duration flushInterval,
                           HistoryPolicy history, EquityLedgers ledgers, double indexPrior) {
        this.pendingStoreName = pendingStoreName;
        this.historyStoreName = historyStoreName;
        this.brandId = brandId;
        this.flushInterval = flushInterval;
        this.history = history;
        this.ledgers = ledgers;
        this.histories = new EquityHistories(ledgers, indexPrior);
    }

    @Override
    public void init(ProcessorContext<String, EquityHistoryPoint> context) {
        this.context = context;
        this.pending = context.getStateStore(pendingStoreName);
        this.points = context.getStateStore(historyStoreName);
        context.schedule(flushInterval, PunctuationType.WALL_CLOCK_TIME, now -> publish());
    }

    @Override
    public void process(Record<String, EquityLedger> delta) {
        long key = EquityHistories.storeKey(history.boundaryOf(delta.value().getAsOf()));
        EquityLedger held = pending.get(key);
        pending.put(key, held == null ? delta.value() : ledgers.merge(held, delta.value()));
    }

    /** Revises, publishes and prunes, as the class comment says. Package-private for tests. */
    void publish() {
        TreeMap<Long, EquityStock> due = new TreeMap<>();
        try (KeyValueIterator<Long, EquityLedger> it = pending.all()) {
            it.forEachRemaining(kv -> due.put(EquityHistories.boundary(kv.key), ledgers.toStock(kv.value)));
        }
        if (due.isEmpty()) return;
        Long newest = newestPoint();
        if (newest != null) {
            Map<Long, EquityStock> late = due.headMap(newest, true);
            if (!late.isEmpty()) revise(new TreeMap<>(late), newest);
            late.keySet().forEach(b -> pending.delete(EquityHistories.storeKey(b)));
            late.clear();
        }
        if (due.size() < 2) return;
        // The newest pending boundary is still open; every one before it is passed.
        publishUpTo(newest, due, due.lastKey() - history.step());
    }

    private Long newestPoint() {
        try (KeyValueIterator<Long, EquityHistoryEntry> it = points.reverseAll()) {
            return it.hasNext() ? EquityHistories.boundary(it.next().key) : null;
        }
    }

    private void revise(TreeMap<Long, EquityStock> late, long newest) {
        EquityStock running = ledgers.newStock();
        List<KeyValue<Long, EquityHistoryEntry>> revised = new ArrayList<>();
        try (KeyValueIterator<Long, EquityHistoryEntry> it =
                     points.range(EquityHistories.storeKey(late.firstKey()), EquityHistories.storeKey(newest))) {
            while (it.hasNext()) {
                KeyValue<Long, EquityHistoryEntry> kv = it.next();
                long b = EquityHistories.boundary(kv.key);
                while (!late.isEmpty() && late.firstKey() <= b) running.addAll(late.pollFirstEntry().getValue());
                running.decayTo(b);
                revised.add(KeyValue.pair(kv.key, histories.revised(kv.value, b, running)));
            }
        }
        for (KeyValue<Long, EquityHistoryEntry> kv : revised) write(kv.key, kv.value);
    }

    private void publishUpTo(Long newest, TreeMap<Long, EquityStock> due, long last) {
        EquityHistoryEntry previous = newest == null ? null : points.get(EquityHistories.storeKey(newest));
        EquityStock known = previous == null ? ledgers.newStock() : histories.stock(previous, newest);
        long first = newest == null ? due.firstKey() : newest + history.step();
        // After a gap longer than the retention, only the points that would be kept are written;
        // what came before is folded (decayed) into the first of them.
        long oldest = history.oldestKept(last);
        if (first < oldest) first = oldest;
        for (long b = first; b <= last; b += history.step()) {
            known.decayTo(b);
            while (!due.isEmpty() && due.firstKey() <= b) {
                Map.Entry<Long, EquityStock> bucket = due.pollFirstEntry();
                known.addAll(bucket.getValue());
                pending.delete(EquityHistories.storeKey(bucket.getKey()));
            }
            write(EquityHistories.storeKey(b), EquityHistories.first(known));
        }
        prune(oldest);
    }

    private void prune(long oldest) {
        List<Long> expired = new ArrayList<>();
        try (KeyValueIterator<Long, EquityHistoryEntry> it = points.all()) {
            while (it.hasNext()) {
                long key = it.next().key;
                if (EquityHistories.boundary(key) >= oldest) break;
                expired.add(key);
            }
        }
        expired.forEach(points::delete);
    }

    private void write(long key, EquityHistoryEntry entry) {
        points.put(key, entry);
        long b = EquityHistories.boundary(key);
        context.forward(new Record<>(EquityHistories.topicKey(brandId, b), histories.toPublic(brandId, b, entry), b));
    }
}
