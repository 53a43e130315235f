package org.brandequity.bench;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.apache.kafka.common.utils.Utils;
import org.brandequity.config.PipelineConfig;

/**
 * How many customer windows a correct pipeline has emitted once it has processed a preloaded input:
 * one per customer and hopping window that holds at least one of the customer's events and has
 * closed, i.e. whose end plus grace the stream time of the customer's partition has reached. A
 * plain recount from the events produced, independent of the topology, so the bench can tell a
 * pipeline that did all of its windowing work from one that did only part of it.
 */
final class ClosedWindows {
    private final long sizeMs;
    private final long advanceMs;
    private final long graceMs;
    private final int partitions;
    private final long[] streamTime;
    private final int[] partitionOf;
    private long[] panes = new long[1 << 16];
    private int n;

    ClosedWindows(PipelineConfig config, int customers) {
        this.sizeMs = config.windows().size().toMillis();
        this.advanceMs = config.windows().advance().toMillis();
        this.graceMs = config.windows().grace().toMillis();
        this.partitions = config.topicPartitions();
        this.streamTime = new long[partitions];
        Arrays.fill(streamTime, Long.MIN_VALUE);
        this.partitionOf = new int[customers + 1];
    }

    /** One produced event of customer number {@code customerNumber} (at most the customer count). */
    void add(String customerId, int customerNumber, long eventTimeMs) {
        // The producer's default partitioner for a keyed record.
        int partition = Utils.toPositive(Utils.murmur2(customerId.getBytes(StandardCharsets.UTF_8))) % partitions;
        partitionOf[customerNumber] = partition;
        streamTime[partition] = Math.max(streamTime[partition], eventTimeMs);
        if (n == panes.length) panes = Arrays.copyOf(panes, n * 2);
        panes[n++] = ((long) customerNumber << 32) | (Math.floorDiv(eventTimeMs, advanceMs) & 0xFFFFFFFFL);
    }

    /** Closed (customer, window) pairs, counted once the whole input has been added. */
    long expected() {
        long[] sorted = Arrays.copyOf(panes, n);
        Arrays.sort(sorted);
        int perPane = (int) (sizeMs / advanceMs);
        long[] windows = new long[n * perPane];
        int w = 0;
        long previous = -1;
        for (long pane : sorted) {
            if (pane == previous) continue;
            previous = pane;
            long paneIndex = pane & 0xFFFFFFFFL;
            for (int k = 0; k < perPane; k++) windows[w++] = (pane & 0xFFFFFFFF00000000L) | (paneIndex - k);
        }
        Arrays.sort(windows, 0, w);
        long closed = 0;
        previous = -1;
        for (int i = 0; i < w; i++) {
            if (windows[i] == previous) continue;
            previous = windows[i];
            int partition = partitionOf[(int) (windows[i] >>> 32)];
            long start = (windows[i] & 0xFFFFFFFFL) * advanceMs;
            if (start + sizeMs + graceMs <= streamTime[partition]) closed++;
        }
        return closed;
    }
}
