package org.brandequity.model;

import java.time.Duration;
import java.util.Objects;

/**
 * The equity history's grid: a point at every epoch-aligned multiple of {@code interval} of event
 * time ({@code equity.history.interval}), kept for {@code retention} ({@code equity.history.retention}).
 *
 * <p>A point at boundary B holds the experience of every event with event time t &le; B, valued at
 * B: an event exactly at a boundary belongs to that boundary's point, and the new experience between
 * two points T1 &lt; T2 is that of the events with t in (T1, T2].
 */
public record HistoryPolicy(Duration interval, Duration retention) {
    /** At most this many points are kept: about 60 bytes per cell each (docs/benchmark.md), so a bound on disk. */
    public static final int MAX_POINTS = 100_000;

    public HistoryPolicy {
        Objects.requireNonNull(interval, "interval");
        Objects.requireNonNull(retention, "retention");
        if (interval.toMillis() < 1_000) throw new IllegalArgumentException("equity.history.interval must be at least 1s");
        if (retention.compareTo(interval) < 0) {
            throw new IllegalArgumentException("equity.history.retention must be >= equity.history.interval");
        }
        if (retention.toMillis() / interval.toMillis() > MAX_POINTS) {
            throw new IllegalArgumentException("equity.history.retention / equity.history.interval must be at most "
                    + MAX_POINTS + " points; it is " + retention.toMillis() / interval.toMillis());
        }
    }

    /** The grid step in milliseconds. */
    public long step() {
        return interval.toMillis();
    }

    /** The boundary whose point an event at {@code eventTime} first counts in: the smallest multiple of the interval &ge; it. */
    public long boundaryOf(long eventTime) {
        return -Math.floorDiv(-eventTime, step()) * step();
    }

    /** The boundary at or before {@code time}: the largest multiple of the interval &le; it. */
    public long floor(long time) {
        return Math.floorDiv(time, step()) * step();
    }

    /** Whether {@code time} is on the grid. */
    public boolean onGrid(long time) {
        return Math.floorMod(time, step()) == 0;
    }

    /** The oldest boundary kept while {@code newest} is the newest point: newest minus retention, exclusive. */
    public long oldestKept(long newest) {
        return floor(newest - retention.toMillis()) + step();
    }
}
