package org.brandequity.model;

import java.time.Duration;
import java.util.Objects;

/**
 * The hopping event-time windows every windowed step of the pipeline uses: windows {@code size}
 * long, a new one starting every {@code advance}, aligned to the epoch, and closed once stream time
 * has passed their end by {@code grace}. The one home of window alignment arithmetic; Kafka-free.
 *
 * <p>A window is the half-open interval {@code [start, start + size)}: its start is inclusive, its
 * end exclusive, and every start is a whole multiple of {@code advance} since the epoch (negative
 * times included: alignment rounds towards negative infinity). Since {@code size} is a whole
 * multiple of {@code advance}, every end is such a multiple too, and each instant lies in exactly
 * {@code size / advance} windows. With {@code advance == size} the windows are tumbling.
 *
 * <p>A <em>pane</em> is the {@code advance}-long slice {@code [k·advance, (k+1)·advance)}: each
 * window is the union of the {@code size / advance} panes it covers, so an aggregate kept per pane
 * gives every window by summing panes, and an event updates one pane instead of every window.
 *
 * <p>Closing: an event is admitted only while it is at most {@code grace} behind stream time (the
 * largest event time seen). A window ending at or before {@code streamTime - grace} can therefore
 * receive no more events; it is <em>closable</em>.
 *
 * @param sizeMs    the window length in milliseconds
 * @param advanceMs the distance between consecutive window starts in milliseconds
 * @param graceMs   how far behind stream time an event may be and still count, in milliseconds
 */
public record WindowGrid(long sizeMs, long advanceMs, long graceMs) {

    /**
     * @throws IllegalArgumentException if {@code advanceMs <= 0}, {@code advanceMs > sizeMs},
     *     {@code sizeMs} is not a whole multiple of {@code advanceMs}, or {@code graceMs < 0}
     */
    public WindowGrid {
        if (advanceMs <= 0 || advanceMs > sizeMs) {
            throw new IllegalArgumentException("window advance must be > 0 and <= size, got advance "
                    + advanceMs + " ms and size " + sizeMs + " ms");
        }
        if (sizeMs % advanceMs != 0) {
            throw new IllegalArgumentException("window size (" + sizeMs + " ms) must be a whole multiple of its advance ("
                    + advanceMs + " ms), so every instant lies in the same number of windows");
        }
        if (graceMs < 0) throw new IllegalArgumentException("window grace must be >= 0, got " + graceMs + " ms");
    }

    /**
     * Hopping windows.
     *
     * @param size    the window length
     * @param advance the distance between consecutive window starts
     * @param grace   how far behind stream time an event may be and still count
     * @return the grid
     * @throws IllegalArgumentException as the canonical constructor
     * @throws NullPointerException if an argument is null
     */
    public static WindowGrid of(Duration size, Duration advance, Duration grace) {
        return new WindowGrid(Objects.requireNonNull(size, "size").toMillis(),
                Objects.requireNonNull(advance, "advance").toMillis(), Objects.requireNonNull(grace, "grace").toMillis());
    }

    /**
     * Tumbling windows without grace: one window per {@code size}, each instant in exactly one.
     *
     * @param size the window length
     * @return the grid
     * @throws IllegalArgumentException if {@code size} is not positive
     * @throws NullPointerException if {@code size} is null
     */
    public static WindowGrid tumbling(Duration size) {
        return of(size, size, Duration.ZERO);
    }

    /**
     * The start of the pane holding {@code t}: the largest multiple of {@code advance} at or before
     * {@code t}. It is also the start of the newest window containing {@code t}.
     *
     * @param t an instant, epoch milliseconds
     * @return {@code floor(t / advance) · advance}
     */
    public long paneStart(long t) {
        return Math.floorDiv(t, advanceMs) * advanceMs;
    }

    /**
     * @param windowStart a window start (a multiple of {@code advance})
     * @return its exclusive end, {@code windowStart + size}
     */
    public long windowEnd(long windowStart) {
        return windowStart + sizeMs;
    }

    /**
     * @param windowEnd a window end (a multiple of {@code advance})
     * @return the start of the window ending there, {@code windowEnd - size}
     */
    public long startOfWindowEndingAt(long windowEnd) {
        return windowEnd - sizeMs;
    }

    /**
     * The end of the newest window closable at {@code streamTime}: the largest window end at or
     * before {@code streamTime - grace}. Every window ending at or before it can receive no more
     * events; every later one still can.
     *
     * @param streamTime the largest event time admitted so far, epoch milliseconds
     * @return {@code floor((streamTime - grace) / advance) · advance}
     */
    public long closableWindowEnd(long streamTime) {
        return Math.floorDiv(streamTime - graceMs, advanceMs) * advanceMs;
    }

    /**
     * The start of the oldest pane still needed once every window ending at or before
     * {@code closedEnd} has been emitted: the first pane of the window ending one {@code advance}
     * later. Older panes can be dropped.
     *
     * @param closedEnd the end of the newest emitted window
     * @return {@code closedEnd - size + advance}
     */
    public long oldestLivePaneStart(long closedEnd) {
        return closedEnd - sizeMs + advanceMs;
    }

    /**
     * Whether the window starting at {@code windowStart} contains {@code t}.
     *
     * @param windowStart a window start
     * @param t an instant, epoch milliseconds
     * @return {@code windowStart <= t < windowStart + size}
     */
    public boolean contains(long windowStart, long t) {
        return t >= windowStart && t < windowEnd(windowStart);
    }
}
