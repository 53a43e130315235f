package org.brandequity.model;

import java.util.Collections;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.function.Supplier;
import org.brandequity.avro.LifecycleStage;
import org.brandequity.avro.Touchpoint;

/**
 * Brand equity as a stock of decayed experience, valued at {@link #asOf()}.
 *
 * <pre>
 *   c_e   = &omega;_segment(e) &times; v_customer(e) &times; w_e                  (equity weight of event e)
 *   BE(t) = &Sigma;_e c_e &middot; x_e &middot; 2^(-(t - t_e) / H)                  (stock)
 *   V(t)  = &Sigma;_e c_e &middot; 2^(-(t - t_e) / H)                        (decayed volume)
 *   index = 100 &middot; BE(t) / (V(t) + K)                                 (quality, in (-100, 100))
 * </pre>
 *
 * The sums are kept per (segment, touchpoint, stage) <em>cell</em>, the finest breakdown, and only
 * for the cells that have experience (sparse). Merging two stocks revalues the older one to the newer
 * {@code asOf}; the result is the same in any order.
 *
 * <p>Why every other view is derived from the cells and not kept beside them: then the segment,
 * touchpoint and stage breakdowns, the two-way views (segment &times; touchpoint, segment &times;
 * stage) and the total are all sums of the same cell values, so each view sums to its parent and to
 * the total by construction: BE_s = &Sigma;_{tp,st} BE_{s,tp,st}, BE = &Sigma;_s BE_s = &Sigma;_cells
 * BE_cell, and likewise for V. Kept as separate running sums, each would be decayed and rounded on its
 * own and only agree approximately. What remains is floating-point summation order: two groupings of
 * the same n cell values differ by at most about n&middot;&epsilon;&middot;&Sigma;|value| (&epsilon; =
 * 2^-52), far below the 1e-9 the tests allow. The views are computed when asked for (a few hundred
 * cells at most per brand: segments &times; touchpoints &times; stages that actually occur).
 */
public final class EquityStock {
    /**
     * The segment that takes the cells of every segment beyond {@link SegmentCap#max()}: the same
     * name as the metrics' fold label ({@code DomainMetrics.OTHER}). A profile segment literally named
     * {@code other} shares it.
     */
    public static final String OVERFLOW_SEGMENT = "other";

    /**
     * How many segments the stock keeps cells of their own for (issue 21: segment names are free
     * strings from the profiles, and without a cap the equity record grew with every one of them).
     * Segments in {@code uncapped} (the operator's: those with a configured weight, and
     * {@code unassigned}) always keep their own cells and do not count. Of the others, the stock
     * keeps the {@code max} smallest names (String order) it has seen; every other segment's cells are
     * summed into {@link #OVERFLOW_SEGMENT}. When a smaller name arrives at the cap, the largest kept
     * one is folded into the overflow for good.
     *
     * <p>Why the smallest names and not the first to arrive: the kept set is then the same whatever
     * order the deltas are merged in (no restored, merged or replayed stock disagrees with another),
     * so a batch recomputation gets the same cells; and the sums are linear, so folding a segment
     * later gives exactly the sums folding it at once would. The total and every touchpoint and stage
     * view are unchanged by the cap; only segment breakdowns are folded.
     */
    public record SegmentCap(int max, Set<String> uncapped) {
        public static final SegmentCap NONE = new SegmentCap(Integer.MAX_VALUE, Set.of());

        public SegmentCap {
            if (max < 0) throw new IllegalArgumentException("the segment cap must be >= 0: " + max);
            uncapped = Set.copyOf(uncapped);
        }

        /** Whether {@code segment} is exempt from the cap (the overflow itself included). */
        public boolean exempt(String segment) {
            return segment.equals(OVERFLOW_SEGMENT) || uncapped.contains(segment);
        }
    }

    private final Decay decay;
    private final SegmentCap cap;
    private long asOf = Long.MIN_VALUE;
    private long events;
    // Sorted, so every sum over the cells is taken in the same order however the stock was built.
    private final TreeMap<Cell, Sums> cells = new TreeMap<>();
    /** The capped segments that have cells of their own; the largest is the first folded. */
    private final TreeSet<String> kept = new TreeSet<>();

    /** One (segment, touchpoint, stage) cell of the cross breakdown. */
    public record Cell(String segment, Touchpoint touchpoint, LifecycleStage stage) implements Comparable<Cell> {
        private static final Comparator<Cell> ORDER = Comparator.comparing(Cell::segment)
                .thenComparing(Cell::touchpoint).thenComparing(Cell::stage);
        private static final char SEPARATOR = '|';

        public SegmentTouchpoint segmentTouchpoint() {
            return new SegmentTouchpoint(segment, touchpoint);
        }

        public SegmentStage segmentStage() {
            return new SegmentStage(segment, stage);
        }

        /**
         * The cell as one string, {@code segment|TOUCHPOINT|STAGE}. Segment names are free strings and
         * may contain {@code |}; enum symbols cannot ([A-Za-z_][A-Za-z0-9_]*), so {@link #parse} splits
         * at the last two separators and every key reads back to its cell.
         */
        public String key() {
            return segment + SEPARATOR + touchpoint.name() + SEPARATOR + stage.name();
        }

        public static Cell parse(String key) {
            int second = key.lastIndexOf(SEPARATOR);
            int first = key.lastIndexOf(SEPARATOR, second - 1);
            if (first < 0) throw new IllegalArgumentException("not a cell key (segment|TOUCHPOINT|STAGE): " + key);
            return new Cell(key.substring(0, first), Touchpoint.valueOf(key.substring(first + 1, second)),
                    LifecycleStage.valueOf(key.substring(second + 1)));
        }

        @Override
        public int compareTo(Cell o) {
            return ORDER.compare(this, o);
        }
    }

    /** A segment &times; touchpoint pair: the sum of its cells over stages. */
    public record SegmentTouchpoint(String segment, Touchpoint touchpoint) implements Comparable<SegmentTouchpoint> {
        private static final Comparator<SegmentTouchpoint> ORDER = Comparator.comparing(SegmentTouchpoint::segment)
                .thenComparing(SegmentTouchpoint::touchpoint);

        @Override
        public int compareTo(SegmentTouchpoint o) {
            return ORDER.compare(this, o);
        }
    }

    /** A segment &times; lifecycle stage pair: the sum of its cells over touchpoints. */
    public record SegmentStage(String segment, LifecycleStage stage) implements Comparable<SegmentStage> {
        private static final Comparator<SegmentStage> ORDER = Comparator.comparing(SegmentStage::segment)
                .thenComparing(SegmentStage::stage);

        @Override
        public int compareTo(SegmentStage o) {
            return ORDER.compare(this, o);
        }
    }

    /** A stock without a segment cap. */
    public EquityStock(Decay decay) {
        this(decay, SegmentCap.NONE);
    }

    public EquityStock(Decay decay, SegmentCap cap) {
        this.decay = decay;
        this.cap = cap;
    }

    /**
     * The segment {@code segment}'s cells go under: itself, or {@link #OVERFLOW_SEGMENT} beyond the
     * cap. May fold the largest kept segment into the overflow to make room for a smaller name.
     */
    private String segmentFor(String segment) {
        if (cap.exempt(segment) || kept.contains(segment)) return segment;
        if (kept.size() < cap.max()) {
            kept.add(segment);
            return segment;
        }
        if (kept.isEmpty() || segment.compareTo(kept.last()) > 0) return OVERFLOW_SEGMENT;
        foldIntoOverflow(kept.pollLast());
        kept.add(segment);
        return segment;
    }

    /** Moves every cell of {@code segment} to the same touchpoint and stage of the overflow segment. */
    private void foldIntoOverflow(String segment) {
        Map<Cell, Sums> of = cells.subMap(new Cell(segment, Touchpoint.values()[0], LifecycleStage.values()[0]), true,
                new Cell(segment, Touchpoint.values()[Touchpoint.values().length - 1],
                        LifecycleStage.values()[LifecycleStage.values().length - 1]), true);
        // A copy of the keys and values, not of the entries: TreeMap reuses an entry object when it deletes another.
        Map<Cell, Sums> moved = new TreeMap<>(of);
        of.clear();
        moved.forEach((c, v) -> cells.merge(new Cell(OVERFLOW_SEGMENT, c.touchpoint(), c.stage()), v, Sums::plus));
    }

    private Cell capped(Cell c) {
        String segment = segmentFor(c.segment());
        return segment.equals(c.segment()) ? c : new Cell(segment, c.touchpoint(), c.stage());
    }

    /** The equity weight c = &omega;_segment &times; customer value weight &times; event weight. */
    public static double equityWeight(double segmentWeight, double valueWeight, double eventWeight) {
        return segmentWeight * valueWeight * eventWeight;
    }

    /** A perceived experience's promise gap: promise &minus; perceived (positive: the experience falls short). */
    public static double promiseGap(double promise, Sums sums) {
        return promise - sums.perceived();
    }

    public boolean isEmpty() {
        return asOf == Long.MIN_VALUE;
    }

    public long asOf() {
        return asOf;
    }

    public long events() {
        return events;
    }

    /** Adds {@code sums} valued at {@code time} to one (segment, touchpoint, stage) cell. */
    public EquityStock add(String segment, Touchpoint touchpoint, LifecycleStage stage, long time, Sums sums, long eventCount) {
        Sums aligned = align(time, sums);
        cells.merge(new Cell(segmentFor(segment), touchpoint, stage), aligned, Sums::plus);
        events += eventCount;
        return this;
    }

    /** Adds another stock's experience to this one; neither stock's own time is lost. */
    public EquityStock addAll(EquityStock other) {
        if (other.isEmpty()) return this;
        align(other.asOf, Sums.ZERO);
        double f = decay.factor(other.asOf, asOf);
        other.cells.forEach((k, v) -> cells.merge(capped(k), v.scaled(f), Sums::plus));
        events += other.events;
        return this;
    }

    /** Revalues every sum at {@code time}; only moves forward (experience never un-decays). */
    public EquityStock decayTo(long time) {
        if (isEmpty()) {
            asOf = time;
        } else if (time > asOf) {
            double f = decay.factor(asOf, time);
            cells.replaceAll((k, v) -> v.scaled(f));
            asOf = time;
        }
        return this;
    }

    /** Restores cells read back from storage, already valued at {@code asOf}. */
    public EquityStock restore(long asOf, long events, Map<Cell, Sums> cells) {
        this.asOf = asOf;
        this.events = events;
        this.cells.clear();
        this.kept.clear();
        // Through the cap: a stock stored under a higher cap (or none) is folded to this one's.
        // In cell order, so that the kept set and any folded sums come out the same however the map was built.
        new TreeMap<>(cells).forEach((k, v) -> this.cells.merge(capped(k), v, Sums::plus));
        return this;
    }

    /** BE and V: the sum of every cell. */
    public Sums total() {
        Sums t = Sums.ZERO;
        for (Sums s : cells.values()) t = t.plus(s);
        return t;
    }

    /** Equity index 100 &middot; BE / (V + K): experience quality, pulled toward 0 when volume is small. */
    public static double index(Sums total, double indexPrior) {
        double denominator = total.volume() + indexPrior;
        return denominator > 0 ? 100.0 * total.signal() / denominator : 0.0;
    }

    /** The cells that have experience, in (segment, touchpoint, stage) order. */
    public Map<Cell, Sums> cells() {
        return Collections.unmodifiableMap(cells);
    }

    /** Per segment: the sum of its cells. */
    public Map<String, Sums> segments() {
        return sumBy(Cell::segment, TreeMap::new);
    }

    /** Per touchpoint: the sum of its cells. */
    public Map<Touchpoint, Sums> touchpoints() {
        return sumBy(Cell::touchpoint, () -> new EnumMap<>(Touchpoint.class));
    }

    /** Per lifecycle stage: the sum of its cells. */
    public Map<LifecycleStage, Sums> stages() {
        return sumBy(Cell::stage, () -> new EnumMap<>(LifecycleStage.class));
    }

    /** Per segment &times; touchpoint: the sum of its cells over stages. */
    public Map<SegmentTouchpoint, Sums> segmentTouchpoints() {
        return sumBy(Cell::segmentTouchpoint, TreeMap::new);
    }

    /** Per segment &times; stage: the sum of its cells over touchpoints. */
    public Map<SegmentStage, Sums> segmentStages() {
        return sumBy(Cell::segmentStage, TreeMap::new);
    }

    private <K> Map<K, Sums> sumBy(Function<Cell, K> view, Supplier<Map<K, Sums>> empty) {
        Map<K, Sums> sums = empty.get();
        cells.forEach((cell, v) -> sums.merge(view.apply(cell), v, Sums::plus));
        return Collections.unmodifiableMap(sums);
    }

    private Sums align(long time, Sums sums) {
        if (isEmpty()) {
            asOf = time;
            return sums;
        }
        if (time > asOf) {
            decayTo(time);
            return sums;
        }
        return sums.scaled(decay.factor(time, asOf));
    }
}
