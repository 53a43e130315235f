package org.brandequity.topology;

import java.util.ArrayList;
import java.util.TreeMap;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.WindowStore;
import org.apache.kafka.streams.state.WindowStoreIterator;
import org.brandequity.avro.internal.ClosedPane;
import org.brandequity.avro.internal.CustomerWindowAggregate;
import org.brandequity.avro.internal.SeenEvent;
import org.brandequity.avro.internal.WindowEmissions;

/**
 * The closed-pane store: each customer's panes after every window covering them has been emitted,
 * with the ids counted into them, for {@code late.horizon}. Only late events read it; the on-time
 * path writes each customer's pane once, when the pane closes.
 *
 * <p>Why a window store (Kafka Streams' segmented RocksDB store) keyed by customer at the pane
 * start: a late event needs one customer's panes over a short span of time, which is one range scan
 * per segment, and what ages out beyond the retention goes a whole segment at a time, a file
 * deletion rather than a delete per record. It lives on disk and in its changelog, not on the heap
 * and not in the per-event ledger.
 */
final class ClosedPanes {
    private final WindowStore<String, ClosedPane> store;

    ClosedPanes(WindowStore<String, ClosedPane> store) {
        this.store = store;
    }

    /** A pane holding nothing yet. */
    static ClosedPane empty() {
        return new ClosedPane(CustomerLedgers.emptyWindow(), new ArrayList<>(), new ArrayList<>());
    }

    /** The customer's closed panes starting in {@code [from, to]}, by start. */
    TreeMap<Long, ClosedPane> fetch(String customer, long from, long to) {
        TreeMap<Long, ClosedPane> panes = new TreeMap<>();
        try (WindowStoreIterator<ClosedPane> it = store.fetch(customer, from, to)) {
            while (it.hasNext()) {
                KeyValue<Long, ClosedPane> kv = it.next();
                panes.put(kv.key, kv.value);
            }
        }
        return panes;
    }

    /**
     * Whether a closed pane of the customer holds {@code eventId} at an event time within
     * {@code horizonMs} of {@code eventTime}. Only panes starting before {@code oldestLivePane} are
     * closed; the ids of live panes are in the ledger.
     */
    boolean hasSeen(String customer, String eventId, long eventTime, long horizonMs, long paneMs, long oldestLivePane) {
        long from = Math.floorDiv(eventTime - horizonMs, paneMs) * paneMs;
        long to = Math.min(eventTime + horizonMs, oldestLivePane - 1);
        if (to < from) return false;
        try (WindowStoreIterator<ClosedPane> it = store.fetch(customer, from, to)) {
            while (it.hasNext()) {
                if (CustomerLedgers.hasSeen(it.next().value.getIds(), eventId, eventTime, horizonMs)) return true;
            }
        }
        return false;
    }

    /** Stores a closed pane: when it closes, and each time a late event changes it. */
    void put(String customer, long paneStart, ClosedPane pane) {
        store.put(customer, pane, paneStart);
    }

    /** A closed pane from the ledger's live pane and the ids counted into it. */
    static ClosedPane of(CustomerWindowAggregate pane, java.util.List<SeenEvent> ids) {
        return new ClosedPane(pane, ids, new ArrayList<>());
    }

    /** The records of the window starting at {@code windowStart} that {@code pane} knows of, or 0. */
    static int emissions(ClosedPane pane, long windowStart) {
        for (WindowEmissions e : pane.getEmissions()) if (e.getWindowStart() == windowStart) return e.getRecords();
        return 0;
    }

    /** Records that the window starting at {@code windowStart} has had {@code records} records. */
    static void setEmissions(ClosedPane pane, long windowStart, int records) {
        for (WindowEmissions e : pane.getEmissions()) {
            if (e.getWindowStart() == windowStart) {
                e.setRecords(records);
                return;
            }
        }
        pane.getEmissions().add(new WindowEmissions(windowStart, records));
    }
}
