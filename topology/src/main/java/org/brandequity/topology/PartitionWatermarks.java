package org.brandequity.topology;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.brandequity.avro.internal.PartitionWatermark;

/**
 * The latest {@link PartitionWatermark} of every interactions partition, as one window task has
 * heard them, and the slowest of them, which is what closes and expires windows. Kept in the task's
 * watermark store (key: the partition number) so that a restarted task knows them. Shared by the
 * segment windows ({@link SegmentWindows}) and the touchpoint windows ({@link TouchpointWindows}),
 * which read the same watermarks from the same repartition topic.
 */
final class PartitionWatermarks {
    private final KeyValueStore<String, Long> store;
    /** By upstream partition; {@link Long#MIN_VALUE} for a partition never heard from. */
    private final long[] watermark;
    private long slowest;

    /**
     * @param store      the task's watermark store, read once here
     * @param partitions the interactions topic's partition count ({@code topic.partitions})
     */
    PartitionWatermarks(KeyValueStore<String, Long> store, int partitions) {
        this.store = store;
        this.watermark = new long[partitions];
        Arrays.fill(watermark, Long.MIN_VALUE);
        try (KeyValueIterator<String, Long> it = store.all()) {
            it.forEachRemaining(kv -> watermark[Integer.parseInt(kv.key)] = kv.value);
        }
        slowest = Arrays.stream(watermark).min().orElseThrow();
    }

    /** The slowest partition's watermark; {@link Long#MIN_VALUE} until every partition was heard from. */
    long slowest() {
        return slowest;
    }

    /**
     * Takes in a partition's progress: stored if it moved the partition forward.
     *
     * @return whether the partition's watermark moved (the slowest may have moved with it)
     * @throws IllegalStateException if the partition is not one of the {@code partitions} this was built
     *                               for: deleting on the wrong count would drop the windows of the partitions it does not know
     */
    boolean advance(PartitionWatermark progress) {
        int p = progress.getPartition();
        if (p < 0 || p >= watermark.length) {
            throw new IllegalStateException("a watermark from interactions partition " + p + ", but topic.partitions is "
                    + watermark.length + ": it must be the interactions topic's partition count");
        }
        if (progress.getClosedUntil() <= watermark[p]) return false;
        watermark[p] = progress.getClosedUntil();
        store.put(Integer.toString(p), watermark[p]);
        slowest = Arrays.stream(watermark).min().orElseThrow();
        return true;
    }

    /**
     * The keys of the windows starting at or before {@code lastStart} in a store keyed by
     * {@link SegmentWindowKey}: a prefix of the store's order, so the scan reads only what goes.
     * Collected before the caller deletes them: the store's iterator is not meant to see its own writes.
     */
    static List<String> startingAtOrBefore(KeyValueStore<String, ?> windows, long lastStart) {
        List<String> old = new ArrayList<>();
        try (KeyValueIterator<String, ?> it = windows.all()) {
            while (it.hasNext()) {
                String key = it.next().key;
                if (SegmentWindowKey.decode(key).windowStart() > lastStart) break;
                old.add(key);
            }
        }
        return old;
    }
}
