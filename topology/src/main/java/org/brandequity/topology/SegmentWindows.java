package org.brandequity.topology;

import java.util.List;
import java.time.Duration;
import java.util.Set;
import java.util.TreeSet;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.PunctuationType;
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
import org.brandequity.avro.internal.CustomerWindowRevision;
import org.brandequity.avro.internal.PartitionWatermark;
import org.brandequity.avro.internal.ResponseCounts;
import org.brandequity.avro.internal.TouchpointResponses;
import org.brandequity.avro.internal.TouchpointWindowCounts;
import org.brandequity.avro.internal.SegmentWindowAggregate;
import org.brandequity.avro.internal.SegmentWindowInput;
import org.brandequity.model.Polarity;
import org.brandequity.model.ScoringModel;
import org.brandequity.model.WindowPolicy;

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
 * <p>Revisions: a {@link CustomerWindowRevision} (a late event changed a customer window already
 * added) takes the customer's previous version out of the segment window (customers, events, score
 * sum, positive/negative customers by its polarity and survey answers, so NX, NPS, CSAT, CES and
 * their intervals follow) and puts the new
 * one in. Each one applied adds 1 to the window's revision count ({@code segment-window-revision-store},
 * written only on this path), which the window's records carry. Windows are kept
 * {@code max(segment.window.grace, late.horizon)} past the slowest watermark, so a revision finds
 * its window: a late event is at most {@code late.horizon} behind its own partition's stream time,
 * hence its windows end after that partition's watermark minus {@code late.horizon}, and so after the
 * slowest one minus it.
 *
 * <p>Judgement: once the slowest watermark passes a window's end, every partition has sent its
 * on-time customer windows: the window is complete on time, and only then is it passed, once, to the
 * drop detector (the child {@code detectorName}); revisions after that reach the output topic only.
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
    private final String revisionStoreName;
    private final String outputName;
    private final String detectorName;
    private final ScoringModel scoring;
    private final long sizeMs;
    private final long retentionMs;
    private final int upstreamPartitions;
    private ProcessorContext<String, SegmentExperienceScore> context;
    private KeyValueStore<String, SegmentWindowAggregate> windows;
    private KeyValueStore<String, Long> revisions;
    /** Every upstream partition's watermark; every window ending at or before the slowest has been passed to the detector. */
    private PartitionWatermarks watermarks;
    /** Store keys of the windows changed since the last emission; sorted, so emission goes by window start. */
    private final TreeSet<String> changed = new TreeSet<>();

    SegmentWindows(Names names, ScoringModel scoring, WindowPolicy windows, int upstreamPartitions) {
        if (upstreamPartitions < 1) throw new IllegalArgumentException("upstream partitions must be >= 1, got " + upstreamPartitions);
        this.windowStoreName = names.windowStore();
        this.watermarkStoreName = names.watermarkStore();
        this.revisionStoreName = names.revisionStore();
        this.outputName = names.output();
        this.detectorName = names.detector();
        this.scoring = scoring;
        this.sizeMs = windows.size().toMillis();
        // Kept for queries (segment.window.grace) and for revisions (late.horizon), whichever is longer.
        this.retentionMs = windows.segmentRetention().toMillis();
        this.upstreamPartitions = upstreamPartitions;
    }

    /**
     * The names of the processor's stores and of its two children: {@code output} receives every
     * emitted window, {@code detector} each window once, when it is complete on time.
     */
    record Names(String windowStore, String watermarkStore, String revisionStore, String output, String detector) {}

    /** How often revised windows are emitted when no watermark comes, in wall-clock time. */
    static final Duration REVISION_EMIT_INTERVAL = Duration.ofSeconds(1);

    /**
     * The processor with the three stores it owns (Kafka Streams connects them): the segment windows,
     * the latest watermark of each upstream partition, and the revision counts. Every task keeps its
     * own copy of the watermarks, since every task receives every watermark. Changelogged; the window
     * store is cached like the windowed aggregation's was, so the customer windows of one closing cost
     * one changelog record per segment window, not one per customer.
     */
    static ProcessorSupplier<String, SegmentWindowInput, String, SegmentExperienceScore> supplier(
            Names names, AppSerdes serdes, ScoringModel scoring, WindowPolicy windows, int upstreamPartitions) {
        StoreBuilder<KeyValueStore<String, SegmentWindowAggregate>> windowStore = Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(names.windowStore()), serdes.string(), serdes.segmentWindow()).withCachingEnabled();
        StoreBuilder<KeyValueStore<String, Long>> watermarkStore = Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(names.watermarkStore()), serdes.string(), Serdes.Long());
        // Cached: a late backfill revises the same few windows over and over.
        StoreBuilder<KeyValueStore<String, Long>> revisionStore = Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(names.revisionStore()), serdes.string(), Serdes.Long()).withCachingEnabled();
        return new ProcessorSupplier<>() {
            @Override
            public Processor<String, SegmentWindowInput, String, SegmentExperienceScore> get() {
                return new SegmentWindows(names, scoring, windows, upstreamPartitions);
            }

            @Override
            public Set<StoreBuilder<?>> stores() {
                return Set.of(windowStore, watermarkStore, revisionStore);
            }
        };
    }

    @Override
    public void init(ProcessorContext<String, SegmentExperienceScore> context) {
        this.context = context;
        this.windows = context.getStateStore(windowStoreName);
        this.revisions = context.getStateStore(revisionStoreName);
        this.watermarks = new PartitionWatermarks(context.getStateStore(watermarkStoreName), upstreamPartitions);
        context.schedule(REVISION_EMIT_INTERVAL, PunctuationType.WALL_CLOCK_TIME, now -> emitChanged(watermarks.slowest()));
        try (KeyValueIterator<String, SegmentWindowAggregate> it = windows.all()) {
            it.forEachRemaining(kv -> changed.add(kv.key));
        }
    }

    @Override
    public void process(Record<String, SegmentWindowInput> record) {
        Object event = record.value().getEvent();
        if (event instanceof CustomerExperienceScore window) {
            add(window, record.value().getResponses(), record.value().getTouchpointResponses());
        } else if (event instanceof CustomerWindowRevision revision) {
            revise(revision, record.value());
        } else if (event instanceof TouchpointWindowCounts) {
            return; // the touchpoint windows' (a sibling processor on the same topic)
        } else if (event instanceof PartitionWatermark progress) {
            emitChanged(Long.MAX_VALUE);
            advance(progress);
        } else {
            throw new IllegalStateException("unknown segment window input " + event);
        }
    }

    private void add(CustomerExperienceScore c, ResponseCounts responses, List<TouchpointResponses> byTouchpoint) {
        String key = keyOf(c);
        SegmentWindowAggregate s = stored(key, c);
        fold(s, c, responses, byTouchpoint, 1);
        windows.put(key, s);
        changed.add(key);
    }

    /**
     * Adds ({@code sign} = 1) or takes out ({@code -1}) one customer window, with its survey answers
     * ({@code responses}, null: none): the segment window's answers are those of its customers'
     * windows, so NPS, CSAT and CES count responses, and a revision replaces them like the rest.
     */
    private void fold(SegmentWindowAggregate s, CustomerExperienceScore c, ResponseCounts responses,
                      List<TouchpointResponses> byTouchpoint, int sign) {
        ResponseTallies.add(s.getResponses(), responses, sign);
        ResponseTallies.addAll(s.getTouchpointResponses(), byTouchpoint, sign);
        s.setCustomers(s.getCustomers() + sign);
        s.setEvents(s.getEvents() + sign * c.getEvents());
        s.setScoreSum(s.getScoreSum() + sign * c.getScore());
        Polarity p = scoring.polarity(c.getScore());
        if (p == Polarity.POSITIVE) s.setPositiveCustomers(s.getPositiveCustomers() + sign);
        if (p == Polarity.NEGATIVE) s.setNegativeCustomers(s.getNegativeCustomers() + sign);
    }

    /**
     * Swaps a customer's window versions. The previous version is in the window unless the window
     * was deleted (it cannot be within late.horizon: see the class comment) or predates this
     * version's state, which only an upgrade could cause; then there is nothing to take out.
     */
    private void revise(CustomerWindowRevision r, SegmentWindowInput in) {
        CustomerExperienceScore c = r.getCurrent() != null ? r.getCurrent() : r.getPrevious();
        String key = keyOf(c);
        SegmentWindowAggregate s = stored(key, c);
        if (r.getPrevious() != null && s.getCustomers() > 0) {
            fold(s, r.getPrevious(), in.getPreviousResponses(), in.getPreviousTouchpointResponses(), -1);
        }
        if (r.getCurrent() != null) fold(s, r.getCurrent(), in.getResponses(), in.getTouchpointResponses(), 1);
        windows.put(key, s);
        Long n = revisions.get(key);
        revisions.put(key, n == null ? 1L : n + 1);
        changed.add(key);
    }

    /** The segment window under {@code key}, or an empty one over {@code c}'s window. */
    private SegmentWindowAggregate stored(String key, CustomerExperienceScore c) {
        SegmentWindowAggregate s = windows.get(key);
        return s != null ? s
                : new SegmentWindowAggregate(c.getWindowStart().toEpochMilli(), c.getWindowEnd().toEpochMilli(), 0L, 0L, 0.0, 0L, 0L,
                        ResponseTallies.zero(), ResponseTallies.emptyList());
    }

    private static String keyOf(CustomerExperienceScore c) {
        return new SegmentWindowKey(c.getSegment(), c.getWindowStart().toEpochMilli()).encode();
    }

    /** Emits the changed windows ending at or before {@code until}; the others stay marked changed. */
    private void emitChanged(long until) {
        if (until == Long.MIN_VALUE) return;
        for (java.util.Iterator<String> it = changed.iterator(); it.hasNext(); ) {
            String key = it.next();
            SegmentWindowKey k = SegmentWindowKey.decode(key);
            if (k.windowStart() > until - sizeMs) continue;
            it.remove();
            SegmentWindowAggregate s = windows.get(key);
            if (s == null) continue; // deleted since: every partition had moved past it
            context.forward(new Record<>(k.segment(), score(key, k, s), k.windowStart()), outputName);
        }
    }

    private SegmentExperienceScore score(String key, SegmentWindowKey k, SegmentWindowAggregate s) {
        Long n = revisions.get(key);
        return OutputRecords.segmentScore(k.segment(), s, n == null ? 0 : Math.toIntExact(n));
    }

    private void advance(PartitionWatermark progress) {
        long previous = watermarks.slowest();
        if (!watermarks.advance(progress)) return;
        long slowest = watermarks.slowest();
        if (slowest == Long.MIN_VALUE) return;
        judgeCompleted(previous, slowest);
        deleteStartingAtOrBefore(slowest - sizeMs - retentionMs);
    }

    /** Passes each window ending in {@code (after, until]} to the detector: complete on time now. */
    private void judgeCompleted(long after, long until) {
        try (KeyValueIterator<String, SegmentWindowAggregate> it = windows.all()) {
            while (it.hasNext()) {
                var kv = it.next();
                SegmentWindowKey k = SegmentWindowKey.decode(kv.key);
                long end = k.windowStart() + sizeMs;
                if (end > until) break;
                if (after != Long.MIN_VALUE && end <= after) continue;
                context.forward(new Record<>(k.segment(), score(kv.key, k, kv.value), k.windowStart()), detectorName);
            }
        }
    }

    /** Deletes the windows starting at or before {@code lastStart}: a prefix of the store's order. */
    private void deleteStartingAtOrBefore(long lastStart) {
        for (String key : PartitionWatermarks.startingAtOrBefore(windows, lastStart)) {
            windows.delete(key);
            revisions.delete(key);
        }
    }
}
