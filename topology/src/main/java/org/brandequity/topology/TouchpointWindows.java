package org.brandequity.topology;

import org.brandequity.model.WindowPolicy;
import java.time.Duration;
import java.util.Iterator;
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
import org.brandequity.avro.Touchpoint;
import org.brandequity.avro.TouchpointExperienceScore;
import org.brandequity.avro.internal.PartitionWatermark;
import org.brandequity.avro.internal.SegmentWindowInput;
import org.brandequity.avro.internal.TouchpointWindowAggregate;
import org.brandequity.avro.internal.TouchpointWindowCounts;

/**
 * Touchpoint windows: NPS, CSAT and CES over every answer given at a touchpoint, per window of the
 * customer windows' grid ({@code window.size}, {@code window.advance}).
 *
 * <p>Input: the {@link TouchpointWindowCounts} the window closers send on the segment windows'
 * repartition topic, keyed (hence partitioned) by touchpoint: one per touchpoint and window per
 * interactions partition at its closing, and one per late answer and window that partition had
 * already closed. Adds them up per (touchpoint, window start). A late one adds 1 to the window's
 * {@code revision}; one that finds no window (its first answers are late) creates it.
 *
 * <p>Closing and output are the segment windows' ({@link SegmentWindows}): each task keeps every
 * interactions partition's latest {@link PartitionWatermark} (its own store); on each watermark it
 * emits the windows that changed since the previous one, in order of start, keyed by touchpoint and
 * stamped with the start; revised windows are also emitted within a second of wall-clock time; a
 * window is deleted once the slowest watermark is {@code max(segment.window.grace, late.horizon)}
 * past its end, so a late answer always finds its window. The latest record per (touchpoint, window
 * start) is the current one. Which windows changed is kept in memory: after a restart every stored
 * window counts as changed and is emitted again with the same figures (harmless under the upsert
 * contract).
 *
 * <p>Hand-written for the same reason as the segment windows: Kafka Streams has no watermark.
 */
final class TouchpointWindows implements Processor<String, SegmentWindowInput, String, TouchpointExperienceScore> {
    private final String windowStoreName;
    private final String watermarkStoreName;
    private final long sizeMs;
    private final long retentionMs;
    private final int upstreamPartitions;
    private ProcessorContext<String, TouchpointExperienceScore> context;
    private KeyValueStore<String, TouchpointWindowAggregate> windows;
    private PartitionWatermarks watermarks;
    /** Store keys of the windows changed since the last emission ({@link SegmentWindowKey}, by start). */
    private final TreeSet<String> changed = new TreeSet<>();

    private TouchpointWindows(String windowStoreName, String watermarkStoreName, WindowPolicy windows, int upstreamPartitions) {
        if (upstreamPartitions < 1) throw new IllegalArgumentException("upstream partitions must be >= 1, got " + upstreamPartitions);
        this.windowStoreName = windowStoreName;
        this.watermarkStoreName = watermarkStoreName;
        this.sizeMs = windows.size().toMillis();
        this.retentionMs = windows.segmentRetention().toMillis();
        this.upstreamPartitions = upstreamPartitions;
    }

    /**
     * The processor with its two stores: the windows (cached: a closing of six partitions updates a
     * window six times) and every upstream partition's latest watermark. Both changelogged.
     */
    static ProcessorSupplier<String, SegmentWindowInput, String, TouchpointExperienceScore> supplier(
            String windowStoreName, String watermarkStoreName, AppSerdes serdes, WindowPolicy windows, int upstreamPartitions) {
        StoreBuilder<KeyValueStore<String, TouchpointWindowAggregate>> windowStore = Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(windowStoreName), serdes.string(), serdes.touchpointWindow()).withCachingEnabled();
        StoreBuilder<KeyValueStore<String, Long>> watermarkStore = Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(watermarkStoreName), serdes.string(), Serdes.Long());
        return new ProcessorSupplier<>() {
            @Override
            public Processor<String, SegmentWindowInput, String, TouchpointExperienceScore> get() {
                return new TouchpointWindows(windowStoreName, watermarkStoreName, windows, upstreamPartitions);
            }

            @Override
            public Set<StoreBuilder<?>> stores() {
                return Set.of(windowStore, watermarkStore);
            }
        };
    }

    @Override
    public void init(ProcessorContext<String, TouchpointExperienceScore> context) {
        this.context = context;
        this.windows = context.getStateStore(windowStoreName);
        this.watermarks = new PartitionWatermarks(context.getStateStore(watermarkStoreName), upstreamPartitions);
        context.schedule(SegmentWindows.REVISION_EMIT_INTERVAL, PunctuationType.WALL_CLOCK_TIME, now -> emitChanged(watermarks.slowest()));
        try (KeyValueIterator<String, TouchpointWindowAggregate> it = windows.all()) {
            it.forEachRemaining(kv -> changed.add(kv.key));
        }
    }

    @Override
    public void process(Record<String, SegmentWindowInput> record) {
        Object event = record.value().getEvent();
        if (event instanceof TouchpointWindowCounts counts) {
            add(counts);
        } else if (event instanceof PartitionWatermark progress) {
            emitChanged(Long.MAX_VALUE);
            advance(progress);
        }
        // Customer windows and their revisions are the segment windows' (the sibling processor).
    }

    private void add(TouchpointWindowCounts c) {
        String key = new SegmentWindowKey(c.getTouchpoint().name(), c.getWindowStart()).encode();
        TouchpointWindowAggregate w = windows.get(key);
        if (w == null) w = new TouchpointWindowAggregate(c.getWindowStart(), c.getWindowStart() + sizeMs, ResponseTallies.zero(), 0);
        ResponseTallies.add(w.getCounts(), c.getCounts(), 1);
        if (c.getLate()) w.setRevision(w.getRevision() + 1);
        windows.put(key, w);
        changed.add(key);
    }

    /** Emits the changed windows ending at or before {@code until}; the others stay marked changed. */
    private void emitChanged(long until) {
        if (until == Long.MIN_VALUE) return;
        for (Iterator<String> it = changed.iterator(); it.hasNext(); ) {
            String key = it.next();
            SegmentWindowKey k = SegmentWindowKey.decode(key);
            if (k.windowStart() > until - sizeMs) continue;
            it.remove();
            TouchpointWindowAggregate w = windows.get(key);
            if (w == null) continue; // deleted since: every partition had moved past it
            context.forward(new Record<>(k.segment(), ResponseTallies.touchpointScore(Touchpoint.valueOf(k.segment()),
                    w.getWindowStart(), w.getWindowEnd(), w.getCounts(), w.getRevision()), k.windowStart()));
        }
    }

    private void advance(PartitionWatermark progress) {
        if (!watermarks.advance(progress) || watermarks.slowest() == Long.MIN_VALUE) return;
        for (String key : PartitionWatermarks.startingAtOrBefore(windows, watermarks.slowest() - sizeMs - retentionMs)) {
            windows.delete(key);
        }
    }
}
