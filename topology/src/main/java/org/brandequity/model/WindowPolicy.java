package org.brandequity.model;

import java.time.Duration;
import java.util.Objects;

/**
 * Every time setting of the windowed steps, as one value: the windows ({@code window.size},
 * {@code window.advance}, {@code window.grace}), how long segment windows stay answerable
 * ({@code segment.window.grace}), how far back a late event still revises ({@code late.horizon}) and
 * how long a re-sent event id is recognised ({@code dedup.horizon}). Passed whole, so no two
 * durations can be swapped at a call site, and each rule derived from them is computed here once.
 * Kafka-free; docs/model.md gives the rules.
 *
 * @param size          the window length ({@code window.size})
 * @param advance       the distance between consecutive window starts ({@code window.advance})
 * @param grace         how far behind stream time an event still counts on time ({@code window.grace})
 * @param segmentGrace  how long after its end a segment window stays queryable ({@code segment.window.grace})
 * @param lateHorizon   how far behind stream time an event still revises its closed windows ({@code late.horizon})
 * @param dedupHorizon  how far apart in event time two copies of an event id are recognised ({@code dedup.horizon})
 */
public record WindowPolicy(Duration size, Duration advance, Duration grace, Duration segmentGrace,
                           Duration lateHorizon, Duration dedupHorizon) {

    /** The rules between the settings; each setting's own range is its config key's validator's. */
    public WindowPolicy {
        Objects.requireNonNull(size, "size");
        Objects.requireNonNull(advance, "advance");
        Objects.requireNonNull(grace, "grace");
        Objects.requireNonNull(segmentGrace, "segmentGrace");
        Objects.requireNonNull(lateHorizon, "lateHorizon");
        Objects.requireNonNull(dedupHorizon, "dedupHorizon");
        require(advance.compareTo(size) <= 0, "window.advance must be <= window.size");
        require(size.toMillis() % advance.toMillis() == 0,
                "window.size must be a whole multiple of window.advance, so every event falls in the same number of windows");
        require(lateHorizon.compareTo(grace) >= 0, "late.horizon must be >= window.grace: an event within the grace "
                + "period is counted on time, so no horizon can be shorter");
    }

    /** The hopping windows every windowed step aligns to. */
    public WindowGrid grid() {
        return WindowGrid.of(size, advance, grace);
    }

    /**
     * How long a segment (and touchpoint) window is kept after its end:
     * {@code max(segment.window.grace, late.horizon)}, for queries and for the revisions late events
     * make, whichever needs it longer.
     */
    public Duration segmentRetention() {
        return segmentGrace.compareTo(lateHorizon) >= 0 ? segmentGrace : lateHorizon;
    }

    /**
     * How far behind stream time the customer ledger remembers event ids:
     * {@code dedup.horizon + window.grace}. A copy of an older on-time event is itself late, and is
     * checked against the closed panes instead (plus every id of a live pane, which the ledger keeps
     * until the pane closes).
     */
    public long ledgerMemoryMs() {
        return dedupHorizon.toMillis() + grace.toMillis();
    }

    /**
     * How long the closed-pane store keeps a pane:
     * {@code late.horizon + dedup.horizon + window.size + window.advance}. A late event reaches back
     * {@code late.horizon}, its windows one {@code size} further, and the copies it is checked
     * against another {@code dedup.horizon}; plus one {@code advance} for the pane's own length.
     */
    public Duration closedPaneRetention() {
        return lateHorizon.plus(dedupHorizon).plus(size).plus(advance);
    }

    private static void require(boolean ok, String message) {
        if (!ok) throw new IllegalArgumentException("Invalid config: " + message);
    }
}
