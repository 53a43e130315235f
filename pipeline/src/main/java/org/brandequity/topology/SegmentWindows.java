package org.brandequity.topology;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.ProcessorSupplier;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;
import org.brandequity.avro.CustomerExperienceScore;
import org.brandequity.avro.SegmentExperienceScore;
import org.brandequity.avro.internal.PartitionWatermark;
import org.brandequity.avro.internal.SegmentWindowAggregate;
import org.brandequity.avro.internal.SegmentWindowInput;
import org.brandequity.model.Polarity;
import org.brandequity.model.ScoringModel;

/**
 * Segment windows: adds each closed customer window to its segment's window with the same start and
 * emits the updated {@link SegmentExperienceScore}; deletes a segment window only once every
 * interactions partition has moved past it (a watermark: the minimum progress over all upstream
 * partitions, as in Flink and Beam).
 *
 * <p>Why not Kafka Streams' windowed aggregation: its stream time is the newest record over every
 * upstream partition, so while partitions progress unevenly (catching up a backlog, a restart after
 * downtime, a backfill) the slower partitions' customer windows arrive behind it and are dropped as
 * expired, one log line each. Here nothing is ever dropped: a customer window always lands in its
 * segment window. What moves is only when a segment window is deleted, and that follows the
 * <em>slowest</em> partition:
 *
 * <ul>
 *   <li>Each {@link CloseCustomerWindows} task, after the customer windows it closes, sends a
 *       {@link PartitionWatermark}: "every customer window of partition p ending at or before W has
 *       been sent". It reaches every partition of the repartition topic, behind the windows that
 *       task sent there (one producer keeps their order).</li>
 *   <li>This processor keeps the latest W of each upstream partition in a store (a restart decides the
 *       same), and deletes the segment windows starting at s once
 *       {@code min(W over all upstream partitions) >= s + window.size + segment.window.grace}: every
 *       partition has sent its customer windows of that start, and {@code segment.window.grace} more
 *       has passed, for queries (and for revisions of closed windows, which this leaves to come). A
 *       partition never heard from counts as minus infinity, so nothing is deleted before each one
 *       has reported; an idle partition holds deletion back (not output), at one small record per
 *       segment and {@code window.advance} of event time.</li>
 * </ul>
 *
 * <p>Output: the segment windows that changed since the last watermark, emitted when a watermark
 * arrives, in order of window start (then segment), keyed by segment and stamped with the window
 * start. A task's closing sends all its customer windows and then its watermark, so a segment window
 * gets one record per closing instead of one per customer; the latest record per (segment, window
 * start) is the final one, as before. Which windows changed is kept in memory: after a restart or a
 * rebalance (the only ways to lose it) every stored window counts as changed, and is emitted again
 * at the first watermark with the same figures, which the upsert contract makes harmless.
 *
 * <p>Hand-written because Kafka Streams has no watermark: its stream time is per task, the maximum of
 * what the task read.
 */
final class SegmentWindows implements Processor<String, SegmentWindowInput, String, SegmentExperienceScore> {
    private final String windowStoreName;
    private final String watermarkStoreName;
    private final ScoringModel scoring;
    private final long sizeMs;
    private final long retentionMs;
    private final int upstreamPartitions;
    private ProcessorContext<String, SegmentExperienceScore> context;
    private KeyValueStore<String, SegmentWindowAggregate> windows;
    private KeyValueStore<String, Long> watermarks;
    /** The stored watermarks, by upstream partition; {@link Long#MIN_VALUE} for a partition never heard from. */
    private long[] watermark;
    /** Store keys of the windows changed since the last emission; sorted, so emission goes by window start. */
    private final TreeSet<String> changed = new TreeSet<>();

    SegmentWindows(String windowStoreName, String watermarkStoreName, ScoringModel scoring,
                   Duration windowSize, Duration retention, int upstreamPartitions) {
        if (upstreamPartitions < 1) throw new IllegalArgumentException("upstream partitions must be >= 1, got " + upstreamPartitions);
        this.windowStoreName = windowStoreName;
        this.watermarkStoreName = watermarkStoreName;
        this.scoring = scoring;
        this.sizeMs = windowSize.toMillis();
        this.retentionMs = retention.toMillis();
        this.upstreamPartitions = upstreamPartitions;
    }

    /**
     * The processor with the two stores it owns (Kafka Streams connects them): the segment windows,
     * and the latest watermark of each upstream partition. Every task keeps its own copy of the
     * watermarks, since every task receives every watermark. Changelogged; the window store is cached
     * like the windowed aggregation's was, so the customer windows of one closing cost one changelog
     * record per segment window, not one per customer.
     */
    static ProcessorSupplier<String, SegmentWindowInput, String, SegmentExperienceScore> supplier(
            String windowStoreName, String watermarkStoreName, AppSerdes serdes, ScoringModel scoring,
            Duration windowSize, Duration retention, int upstreamPartitions) {
        StoreBuilder<KeyValueStore<String, SegmentWindowAggregate>> windowStore = Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(windowStoreName), serdes.string(), serdes.segmentWindow()).withCachingEnabled();
        StoreBuilder<KeyValueStore<String, Long>> watermarkStore = Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(watermarkStoreName), serdes.string(), Serdes.Long());
        return new ProcessorSupplier<>() {
            @Override
            public Processor<String, SegmentWindowInput, String, SegmentExperienceScore> get() {
                return new SegmentWindows(windowStoreName, watermarkStoreName, scoring, windowSize, retention, upstreamPartitions);
            }

            @Override
            public Set<StoreBuilder<?>> stores() {
                return Set.of(windowStore, watermarkStore);
            }
        };
    }

    @Override
    public void init(ProcessorContext<String, SegmentExperienceScore> context) {
        this.context = context;
        this.windows = context.getStateStore(windowStoreName);
        this.watermarks = context.getStateStore(watermarkStoreName);
        watermark = new long[upstreamPartitions];
        Arrays.fill(watermark, Long.MIN_VALUE);
        try (KeyValueIterator<String, Long> it = watermarks.all()) {
            it.forEachRemaining(kv -> watermark[Integer.parseInt(kv.key)] = kv.value);
        }
        try (KeyValueIterator<String, SegmentWindowAggregate> it = windows.all()) {
            it.forEachRemaining(kv -> changed.add(kv.key));
        }
    }

    @Override
    public void process(Record<String, SegmentWindowInput> record) {
        Object event = record.value().getEvent();
        if (event instanceof CustomerExperienceScore window) {
            add(window);
        } else if (event instanceof PartitionWatermark progress) {
            emitChanged();
            advance(progress);
        } else {
            throw new IllegalStateException("unknown segment window input " + event);
        }
    }

    private void add(CustomerExperienceScore c) {
        String key = new SegmentWindowKey(c.getSegment(), c.getWindowStart().toEpochMilli()).encode();
        SegmentWindowAggregate s = windows.get(key);
        if (s == null) s = new SegmentWindowAggregate(c.getWindowStart().toEpochMilli(), c.getWindowEnd().toEpochMilli(), 0L, 0L, 0.0, 0L, 0L);
        s.setCustomers(s.getCustomers() + 1);
        s.setEvents(s.getEvents() + c.getEvents());
        s.setScoreSum(s.getScoreSum() + c.getScore());
        Polarity p = scoring.polarity(c.getScore());
        if (p == Polarity.POSITIVE) s.setPositiveCustomers(s.getPositiveCustomers() + 1);
        if (p == Polarity.NEGATIVE) s.setNegativeCustomers(s.getNegativeCustomers() + 1);
        windows.put(key, s);
        changed.add(key);
    }

    private void emitChanged() {
        for (String key : changed) {
            SegmentWindowAggregate s = windows.get(key);
            if (s == null) continue; // deleted since: every partition had moved past it
            SegmentWindowKey k = SegmentWindowKey.decode(key);
            context.forward(new Record<>(k.segment(), BrandEquityTopology.segmentScore(k.segment(), s), k.windowStart()));
        }
        changed.clear();
    }

    private void advance(PartitionWatermark progress) {
        int p = progress.getPartition();
        if (p < 0 || p >= upstreamPartitions) {
            // Deleting on the wrong count would drop the windows of the partitions it does not know.
            throw new IllegalStateException("a watermark from interactions partition " + p + ", but topic.partitions is "
                    + upstreamPartitions + ": it must be the interactions topic's partition count");
        }
        if (progress.getClosedUntil() <= watermark[p]) return;
        watermark[p] = progress.getClosedUntil();
        watermarks.put(Integer.toString(p), watermark[p]);
        long slowest = Arrays.stream(watermark).min().orElseThrow();
        if (slowest == Long.MIN_VALUE) return;
        deleteStartingAtOrBefore(slowest - sizeMs - retentionMs);
    }

    /** Deletes the windows starting at or before {@code lastStart}: a prefix of the store's order. */
    private void deleteStartingAtOrBefore(long lastStart) {
        List<String> old = new ArrayList<>();
        try (KeyValueIterator<String, SegmentWindowAggregate> it = windows.all()) {
            while (it.hasNext()) {
                String key = it.next().key;
                if (SegmentWindowKey.decode(key).windowStart() > lastStart) break;
                old.add(key);
            }
        }
        // Deleted after the scan: the store's iterator is not meant to see its own writes.
        for (String key : old) windows.delete(key);
    }
}
