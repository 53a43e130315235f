package org.brandequity.topology;

import java.util.HexFormat;
import java.util.Objects;

/**
 * Where a segment window lives in {@link BrandEquityTopology#SEGMENT_WINDOW_STORE}: its start, then
 * its segment, as one string {@code <16 hex digits of the start>/<segment>}.
 *
 * <p>Why start first and fixed width: RocksDB orders keys by their bytes, so the store iterates in
 * order of window start, and the windows old enough to delete are a prefix of that order (eviction
 * reads only what it deletes). The start's sign bit is flipped, so that times before the epoch sort
 * before later ones. Hand-written because Kafka Streams' window-store key layouts are internal, and a
 * window store expires windows on its own stream time, the newest start put into it: the very rule
 * that dropped the slower partitions' customer windows.
 *
 * @param segment     the segment
 * @param windowStart the start of the segment window (the start of its customer windows), epoch ms
 */
public record SegmentWindowKey(String segment, long windowStart) {
    private static final int START_CHARS = 16;
    /** Lower-case digits, as {@code %016x} wrote them before (the keys of existing stores are unchanged); without String.format's parsing on every event. */
    private static final HexFormat HEX = HexFormat.of();

    public SegmentWindowKey {
        Objects.requireNonNull(segment, "segment");
    }

    /** The store key. */
    public String encode() {
        return HEX.toHexDigits(windowStart ^ Long.MIN_VALUE) + '/' + segment;
    }

    /** @throws IllegalArgumentException if {@code key} was not made by {@link #encode()} */
    public static SegmentWindowKey decode(String key) {
        if (key.length() <= START_CHARS || key.charAt(START_CHARS) != '/') {
            throw new IllegalArgumentException("not a segment window key: " + key);
        }
        long start = Long.parseUnsignedLong(key.substring(0, START_CHARS), 16) ^ Long.MIN_VALUE;
        return new SegmentWindowKey(key.substring(START_CHARS + 1), start);
    }
}
