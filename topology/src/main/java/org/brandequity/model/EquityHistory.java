package org.brandequity.model;

import java.util.Collections;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import org.brandequity.model.EquityChange.StockVolume;
import org.brandequity.model.EquityStock.Cell;

/**
 * The brand's equity history: one {@link Point} per boundary of the {@link HistoryPolicy} grid, and
 * the exact account of the change between two of them ({@link #account}).
 *
 * <p>A point at boundary B keeps, per (segment, touchpoint, stage) cell, two pairs of sums, both
 * valued at B (c = equity weight, x = signal, H = half-life):
 *
 * <pre>
 *   known_B     = &Sigma; c&middot;x&middot;2^(-(B - t)/H) over every counted event with t &le; B, as known now
 *   restated_B  = the same sum over those of them that arrived after B was first published
 * </pre>
 *
 * (and likewise for the volume, without x). So the point as first published is known_B &minus;
 * restated_B: history is "as known now", and each point says how much late data changed it.
 *
 * <p>Between two points T1 &lt; T2, with d = 2^(-(T2 - T1)/H), every cell's change from T1 as first
 * published to T2 as known now splits into the three parts of {@link EquityChange}:
 *
 * <pre>
 *   new experience  N = known_T2 - d&middot;known_T1      (the events with t in (T1, T2], valued at T2)
 *   decay           D = (d - 1)&middot;(known_T1 - restated_T1)
 *   restatement     R = d&middot;restated_T1
 *   N + D + R = known_T2 - (known_T1 - restated_T1)
 * </pre>
 *
 * <p>Pure: no Kafka. The topology keeps the points (EquityHistoryProcessor); this class only reads them.
 *
 * @see EquityChange
 */
public final class EquityHistory {
    private EquityHistory() {}

    /**
     * One history point.
     *
     * @param boundary the boundary, epoch milliseconds, on the grid
     * @param events the events counted with t &le; boundary (as known now)
     * @param restatedEvents of those, the ones that arrived after the point was first published
     * @param revisions how many times late data revised the point since it was first published
     * @param known every cell's sums as known now, valued at the boundary
     * @param restated every cell's sums of the late arrivals, valued at the boundary (only cells that have some)
     */
    public record Point(long boundary, long events, long restatedEvents, int revisions, Map<Cell, Sums> known,
                        Map<Cell, Sums> restated) {
        public Point {
            known = Collections.unmodifiableMap(new TreeMap<>(known));
            restated = Collections.unmodifiableMap(new TreeMap<>(restated));
        }

        /** The brand's totals as known now: every cell summed. */
        public Sums total() {
            return sum(known);
        }

        /** The late arrivals' totals since first publication. */
        public Sums restatedTotal() {
            return sum(restated);
        }

        /** The totals as the point was first published: known &minus; restated. */
        public Sums firstPublished() {
            Sums r = restatedTotal();
            return total().plus(r.scaled(-1));
        }

        private static Sums sum(Map<Cell, Sums> cells) {
            Sums t = Sums.ZERO;
            for (Sums s : cells.values()) t = t.plus(s);
            return t;
        }
    }

    /** How the cells of an account are grouped: the {@code by} of {@code GET /equity/change}. */
    public enum Grouping {
        CELL("cell", Cell::key),
        SEGMENT("segment", Cell::segment),
        TOUCHPOINT("touchpoint", c -> c.touchpoint().name()),
        STAGE("stage", c -> c.stage().name()),
        SEGMENT_TOUCHPOINT("segment,touchpoint", c -> c.segment() + '|' + c.touchpoint().name());

        private final String parameter;
        private final Function<Cell, String> key;

        Grouping(String parameter, Function<Cell, String> key) {
            this.parameter = parameter;
            this.key = key;
        }

        /** The spelling in a query: {@code cell}, {@code segment}, {@code touchpoint}, {@code stage}, {@code segment,touchpoint}. */
        public String parameter() {
            return parameter;
        }

        /** A group's key: segment names verbatim, touchpoint and stage symbols, a cell's {@code segment|TOUCHPOINT|STAGE}. */
        public String keyOf(Cell cell) {
            return key.apply(cell);
        }

        /** The grouping spelled {@code s} (case-insensitive, spaces ignored), or null for none. */
        public static Grouping parse(String s) {
            String wanted = s.replace(" ", "").toLowerCase(Locale.ROOT);
            for (Grouping g : values()) if (g.parameter.equals(wanted)) return g;
            return null;
        }
    }

    /**
     * The exact account of the change from {@code t1} (as first published) to {@code t2} (as known
     * now), grouped {@code by}: see the class comment for the three parts and {@link EquityChange}
     * for the index contributions.
     *
     * @throws IllegalArgumentException unless t1 is before t2
     */
    public static EquityChange.Account account(Point t1, Point t2, Grouping by, Decay decay, double prior) {
        if (t1.boundary() >= t2.boundary()) {
            throw new IllegalArgumentException("from must be before to: " + t1.boundary() + " >= " + t2.boundary());
        }
        double d = decay.factor(t1.boundary(), t2.boundary());
        Map<String, StockVolume> published = new HashMap<>();
        Map<String, StockVolume> newExperience = new HashMap<>();
        Map<String, StockVolume> restatement = new HashMap<>();
        t1.known().forEach((cell, known) -> {
            Sums late = t1.restated().getOrDefault(cell, Sums.ZERO);
            add(published, by.keyOf(cell), known.signal() - late.signal(), known.volume() - late.volume());
            // The cells of T1, faded to T2, leave the new experience (they are in known_T2 too).
            add(newExperience, by.keyOf(cell), -d * known.signal(), -d * known.volume());
        });
        t1.restated().forEach((cell, late) -> add(restatement, by.keyOf(cell), d * late.signal(), d * late.volume()));
        t2.known().forEach((cell, known) -> add(newExperience, by.keyOf(cell), known.signal(), known.volume()));
        return EquityChange.of(published, newExperience, restatement, d, prior);
    }

    private static void add(Map<String, StockVolume> into, String key, double stock, double volume) {
        into.merge(key, new StockVolume(stock, volume), StockVolume::plus);
    }
}
