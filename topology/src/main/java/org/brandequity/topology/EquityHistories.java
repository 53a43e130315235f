package org.brandequity.topology;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.brandequity.avro.EquityHistoryCell;
import org.brandequity.avro.EquityHistoryPoint;
import org.brandequity.avro.internal.EquityHistoryEntry;
import org.brandequity.avro.internal.HistoryCellSums;
import org.brandequity.model.EquityHistory;
import org.brandequity.model.EquityStock;
import org.brandequity.model.EquityStock.Cell;
import org.brandequity.model.Sums;

/**
 * Converts between the stored {@link EquityHistoryEntry} (one per history boundary), the model's
 * {@link EquityHistory.Point} and {@link EquityStock}, and the public {@link EquityHistoryPoint} of
 * the history topic and the query API.
 *
 * <p>The store's key is the boundary with its sign bit flipped ({@link #storeKey}): Kafka's long
 * serde writes big-endian two's complement, whose byte order puts negative numbers after positive
 * ones; flipped, byte order is time order for every boundary, so ranges and the last key are right
 * even for event times before 1970.
 */
final class EquityHistories {
    private final EquityLedgers ledgers;
    private final double indexPrior;

    EquityHistories(EquityLedgers ledgers, double indexPrior) {
        this.ledgers = ledgers;
        this.indexPrior = indexPrior;
    }

    static long storeKey(long boundary) {
        return boundary ^ Long.MIN_VALUE;
    }

    static long boundary(long storeKey) {
        return storeKey ^ Long.MIN_VALUE;
    }

    /** A point first published: {@code known} valued at its boundary, nothing restated yet. */
    static EquityHistoryEntry first(EquityStock known) {
        Map<String, HistoryCellSums> cells = new HashMap<>();
        known.cells().forEach((c, v) -> cells.put(c.key(), new HistoryCellSums(v.signal(), v.volume(), 0.0, 0.0)));
        return new EquityHistoryEntry(known.events(), 0L, 0, cells);
    }

    /** The entry with {@code late} (valued at the entry's boundary) added to both its known and its restated sums. */
    EquityHistoryEntry revised(EquityHistoryEntry entry, long boundary, EquityStock late) {
        // Through a stock, so that the segment cap folds late cells as it folds the brand's.
        EquityStock known = stock(entry, boundary).addAll(late);
        Map<Cell, Sums> knownCells = known.cells();
        // The restated sums go under the known cells' keys: a segment the cap has folded into the
        // overflow segment (now, or since the entry was written) has its restatement folded too.
        Map<Cell, Sums> restated = new HashMap<>();
        java.util.function.BiConsumer<Cell, Sums> restate = (c, v) -> restated.merge(
                knownCells.containsKey(c) ? c : new Cell(EquityStock.OVERFLOW_SEGMENT, c.touchpoint(), c.stage()), v, Sums::plus);
        entry.getCells().forEach((k, v) -> {
            if (v.getRestatedSignal() != 0 || v.getRestatedVolume() != 0) {
                restate.accept(Cell.parse(k), new Sums(v.getRestatedSignal(), v.getRestatedVolume()));
            }
        });
        late.cells().forEach(restate);
        Map<String, HistoryCellSums> cells = new HashMap<>();
        knownCells.forEach((c, v) -> {
            Sums r = restated.getOrDefault(c, Sums.ZERO);
            cells.put(c.key(), new HistoryCellSums(v.signal(), v.volume(), r.signal(), r.volume()));
        });
        return new EquityHistoryEntry(known.events(), entry.getRestatedEvents() + late.events(), entry.getRevisions() + 1, cells);
    }

    /** The entry's known sums as a stock valued at {@code boundary}. */
    EquityStock stock(EquityHistoryEntry entry, long boundary) {
        Map<Cell, Sums> cells = new HashMap<>();
        entry.getCells().forEach((k, v) -> cells.put(Cell.parse(k), new Sums(v.getSignal(), v.getVolume())));
        return ledgers.newStock().restore(boundary, entry.getEvents(), cells);
    }

    /** The model's view of a stored point. */
    static EquityHistory.Point point(long boundary, EquityHistoryEntry entry) {
        Map<Cell, Sums> known = new TreeMap<>();
        Map<Cell, Sums> restated = new TreeMap<>();
        entry.getCells().forEach((k, v) -> {
            Cell c = Cell.parse(k);
            known.put(c, new Sums(v.getSignal(), v.getVolume()));
            if (v.getRestatedSignal() != 0 || v.getRestatedVolume() != 0) {
                restated.put(c, new Sums(v.getRestatedSignal(), v.getRestatedVolume()));
            }
        });
        return new EquityHistory.Point(boundary, entry.getEvents(), entry.getRestatedEvents(), entry.getRevisions(), known, restated);
    }

    /** The public record of a stored point, cells in (segment, touchpoint, stage) order. */
    EquityHistoryPoint toPublic(String brandId, long boundary, EquityHistoryEntry entry) {
        EquityHistory.Point p = point(boundary, entry);
        List<EquityHistoryCell> cells = new ArrayList<>();
        p.known().forEach((c, v) -> {
            Sums r = p.restated().getOrDefault(c, Sums.ZERO);
            cells.add(new EquityHistoryCell(c.segment(), c.touchpoint(), c.stage(), v.signal(), v.volume(), r.signal(), r.volume()));
        });
        Sums total = p.total();
        Sums late = p.restatedTotal();
        return new EquityHistoryPoint(brandId, Instant.ofEpochMilli(boundary), total.signal(), total.volume(),
                EquityStock.index(total, indexPrior), p.events(), late.signal(), late.volume(), p.restatedEvents(),
                EquityStock.index(p.firstPublished(), indexPrior), p.revisions(), cells);
    }

    /** The history topic's key: {@code brandId|boundary} (ISO-8601), so that compaction keeps each point's latest revision. */
    static String topicKey(String brandId, long boundary) {
        return brandId + '|' + Instant.ofEpochMilli(boundary);
    }
}
