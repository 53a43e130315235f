package org.brandequity.topology;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.kstream.Windowed;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.ReadOnlyWindowStore;
import org.apache.kafka.streams.state.WindowStore;
import org.brandequity.avro.CustomerExperienceScore;
import org.brandequity.avro.internal.CustomerWindowAggregate;
import org.brandequity.avro.internal.ScoredInteraction;
import org.brandequity.model.ScoringModel;

/**
 * Per-customer hopping windows ({@code window.size} long, one starting every {@code window.advance},
 * aligned to the epoch), emitted once each when it closes, i.e. when stream time reaches its end
 * plus {@code window.grace}.
 *
 * <p>Each event updates one <em>pane</em>: the customer's aggregate over the {@code window.advance}
 * slice its event time falls in. A window is the sum of the {@code size / advance} panes it covers,
 * added up once, when it closes. The DSL's hopping aggregation instead read-modify-writes every
 * window that covers the event ({@code size / advance} of them, 4 by default), each a store write and
 * a changelog record under exactly-once; the benchmark measured that as the largest single cost per
 * event (docs/benchmark.md). Kafka Streams has no pane-based windowing, hence this processor.
 *
 * <p>Panes live in a window store keyed by {@code (pane start, customer id)} (see {@link #paneKey}),
 * so all panes of one slice form one contiguous key range: closing a window walks the ranges of its
 * panes side by side, in key order, and meets each customer once. Old panes leave with the store's
 * retention, without a delete per pane.
 *
 * <p>Closing needs no wall-clock throttle: whether a window has closed is one comparison per record,
 * and the store is read only when stream time crosses a window end. The last closed window end is
 * kept in a changelogged store, so a restart neither repeats nor skips a window.
 */
public final class CustomerWindowPanes implements Processor<String, ScoredInteraction, String, CustomerExperienceScore> {
    static final String CLOSED_UNTIL_KEY = "customer-windows-closed-until";
    private static final int TIME_BYTES = Long.BYTES;

    private final String paneStoreName;
    private final String progressStoreName;
    private final ScoringModel scoring;
    private final long sizeMs;
    private final long advanceMs;
    private final long graceMs;
    private ProcessorContext<String, CustomerExperienceScore> context;
    private WindowStore<Bytes, CustomerWindowAggregate> panes;
    private KeyValueStore<String, Long> progress;
    private long streamTime = Long.MIN_VALUE;
    /** Every window ending at or before this has been emitted, or can hold no event. */
    private long closedUntil;

    CustomerWindowPanes(String paneStoreName, String progressStoreName, ScoringModel scoring,
                        Duration size, Duration advance, Duration grace) {
        this.paneStoreName = paneStoreName;
        this.progressStoreName = progressStoreName;
        this.scoring = scoring;
        this.sizeMs = size.toMillis();
        this.advanceMs = advance.toMillis();
        this.graceMs = grace.toMillis();
    }

    /** How long panes must stay: until the last window covering them closes, plus one pane of slack. */
    static Duration paneRetention(Duration size, Duration advance, Duration grace) {
        return size.plus(grace).plus(advance);
    }

    @Override
    public void init(ProcessorContext<String, CustomerExperienceScore> context) {
        this.context = context;
        this.panes = context.getStateStore(paneStoreName);
        this.progress = context.getStateStore(progressStoreName);
        Long stored = progress.get(CLOSED_UNTIL_KEY);
        closedUntil = stored == null ? Long.MIN_VALUE : stored;
    }

    @Override
    public void process(Record<String, ScoredInteraction> record) {
        ScoredInteraction e = record.value();
        long t = e.getEventTime();
        if (t > streamTime) {
            streamTime = t;
            // Before the pane update: a record that moves stream time far ahead must not let the
            // store expire panes of windows that have yet to be emitted.
            closeWindows();
        }
        long paneStart = Math.floorDiv(t, advanceMs) * advanceMs;
        Bytes key = paneKey(paneStart, record.key());
        CustomerWindowAggregate pane = panes.fetch(key, paneStart);
        panes.put(key, add(pane == null ? empty() : pane, e), paneStart);
    }

    /**
     * Emits every window whose end plus grace stream time has reached. The lateness gate upstream
     * only lets through events at most {@code grace} behind stream time, and every window such an
     * event belongs to ends after {@code streamTime - grace}: no event can reach a window emitted here.
     */
    private void closeWindows() {
        long closable = Math.floorDiv(streamTime - graceMs, advanceMs) * advanceMs;
        if (closedUntil == Long.MIN_VALUE) {
            // First record ever: no earlier window can hold an event, since none got past the gate.
            closedUntil = closable;
            progress.put(CLOSED_UNTIL_KEY, closedUntil);
            return;
        }
        if (closable <= closedUntil) return;
        for (long end = closedUntil + advanceMs; end <= closable; end += advanceMs) emitWindowsEndingAt(end);
        closedUntil = closable;
        progress.put(CLOSED_UNTIL_KEY, closedUntil);
    }

    private void emitWindowsEndingAt(long end) {
        long start = end - sizeMs;
        int n = (int) (sizeMs / advanceMs);
        @SuppressWarnings("unchecked")
        KeyValueIterator<Windowed<Bytes>, CustomerWindowAggregate>[] slices = new KeyValueIterator[n];
        @SuppressWarnings("unchecked")
        KeyValue<Windowed<Bytes>, CustomerWindowAggregate>[] heads = new KeyValue[n];
        try {
            for (int i = 0; i < n; i++) {
                long paneStart = start + i * advanceMs;
                slices[i] = panes.fetch(paneKey(paneStart, ""), paneKey(paneStart + 1, ""), paneStart, paneStart);
                heads[i] = next(slices[i], null);
            }
            // A k-way merge by customer id over the window's panes: each slice is in key order.
            while (true) {
                byte[] customer = null;
                for (KeyValue<Windowed<Bytes>, CustomerWindowAggregate> head : heads) {
                    if (head != null && (customer == null || compareCustomer(head.key.key(), customer) < 0)) {
                        customer = customerBytes(head.key.key());
                    }
                }
                if (customer == null) return;
                CustomerWindowAggregate window = empty();
                for (int i = 0; i < n; i++) {
                    if (heads[i] != null && compareCustomer(heads[i].key.key(), customer) == 0) {
                        combine(window, heads[i].value);
                        heads[i] = next(slices[i], heads[i].key.key());
                    }
                }
                String customerId = new String(customer, StandardCharsets.UTF_8);
                context.forward(new Record<>(customerId,
                        BrandEquityTopology.customerScore(customerId, start, end, window), window.getLatestEventTime()));
            }
        } finally {
            for (KeyValueIterator<?, ?> it : slices) if (it != null) it.close();
        }
    }

    /** The next pane of a slice; fails loudly if the store ever breaks the key order the merge relies on. */
    private static KeyValue<Windowed<Bytes>, CustomerWindowAggregate> next(
            KeyValueIterator<Windowed<Bytes>, CustomerWindowAggregate> slice, Bytes previous) {
        if (!slice.hasNext()) return null;
        KeyValue<Windowed<Bytes>, CustomerWindowAggregate> kv = slice.next();
        if (previous != null && compareCustomer(kv.key.key(), customerBytes(previous)) <= 0) {
            throw new IllegalStateException("customer panes out of key order: " + kv.key.key() + " after " + previous);
        }
        return kv;
    }

    /**
     * The customer's windows that the pane store can still assemble whole at stream time
     * {@code streamTime}, open ones included (their figures may still change), newest first. Used by
     * the query API; reads one pane per {@code window.advance} of the retention, never a range.
     */
    public static List<CustomerExperienceScore> windowsOf(ReadOnlyWindowStore<Bytes, CustomerWindowAggregate> panes,
                                                          String customerId, long streamTime,
                                                          Duration size, Duration advance, Duration grace) {
        long sizeMs = size.toMillis();
        long advanceMs = advance.toMillis();
        long first = Math.floorDiv(streamTime - sizeMs - grace.toMillis(), advanceMs) * advanceMs;
        long last = Math.floorDiv(streamTime, advanceMs) * advanceMs;
        Map<Long, CustomerWindowAggregate> byStart = new HashMap<>();
        for (long paneStart = first; paneStart <= last; paneStart += advanceMs) {
            CustomerWindowAggregate pane = panes.fetch(paneKey(paneStart, customerId), paneStart);
            if (pane != null) byStart.put(paneStart, pane);
        }
        List<CustomerExperienceScore> windows = new ArrayList<>();
        for (long start = last; start >= first; start -= advanceMs) {
            CustomerWindowAggregate window = null;
            for (long paneStart = start; paneStart < start + sizeMs; paneStart += advanceMs) {
                CustomerWindowAggregate pane = byStart.get(paneStart);
                if (pane != null) window = combine(window == null ? empty() : window, pane);
            }
            if (window != null) windows.add(BrandEquityTopology.customerScore(customerId, start, start + sizeMs, window));
        }
        return windows;
    }

    /**
     * The pane store's key: the pane start as 8 big-endian bytes, then the customer id in UTF-8. Pane
     * starts are positive (event times before 1970 are rejected), so the bytes sort by pane start,
     * then by customer id. Customer ids contain no NUL character (rejected by the validator), so a
     * shorter id that prefixes a longer one sorts first in the store too, where the key is followed by
     * the window timestamp.
     */
    static Bytes paneKey(long paneStart, String customerId) {
        byte[] id = customerId.getBytes(StandardCharsets.UTF_8);
        return Bytes.wrap(ByteBuffer.allocate(TIME_BYTES + id.length).putLong(paneStart).put(id).array());
    }

    private static byte[] customerBytes(Bytes paneKey) {
        byte[] k = paneKey.get();
        return Arrays.copyOfRange(k, TIME_BYTES, k.length);
    }

    private static int compareCustomer(Bytes paneKey, byte[] customer) {
        byte[] k = paneKey.get();
        return Arrays.compareUnsigned(k, TIME_BYTES, k.length, customer, 0, customer.length);
    }

    static CustomerWindowAggregate empty() {
        return new CustomerWindowAggregate(BrandEquityTopology.UNASSIGNED_SEGMENT, Long.MIN_VALUE, 0L, 0L, 0L, 0L, 0.0, 0.0);
    }

    private CustomerWindowAggregate add(CustomerWindowAggregate w, ScoredInteraction e) {
        w.setEvents(w.getEvents() + 1);
        switch (scoring.polarity(e.getSignal())) {
            case POSITIVE -> w.setPositive(w.getPositive() + 1);
            case NEGATIVE -> w.setNegative(w.getNegative() + 1);
            default -> w.setNeutral(w.getNeutral() + 1);
        }
        w.setWeight(w.getWeight() + e.getWeight());
        w.setWeightedSignal(w.getWeightedSignal() + e.getWeight() * e.getSignal());
        // A customer who changes segment mid-window is reported in the segment of their latest event.
        if (e.getEventTime() >= w.getLatestEventTime()) {
            w.setLatestEventTime(e.getEventTime());
            w.setSegment(e.getSegment());
        }
        return w;
    }

    /** Adds a pane into a window. Panes cover disjoint time, so the latest event is in exactly one. */
    static CustomerWindowAggregate combine(CustomerWindowAggregate window, CustomerWindowAggregate pane) {
        window.setEvents(window.getEvents() + pane.getEvents());
        window.setPositive(window.getPositive() + pane.getPositive());
        window.setNeutral(window.getNeutral() + pane.getNeutral());
        window.setNegative(window.getNegative() + pane.getNegative());
        window.setWeight(window.getWeight() + pane.getWeight());
        window.setWeightedSignal(window.getWeightedSignal() + pane.getWeightedSignal());
        if (pane.getLatestEventTime() > window.getLatestEventTime()) {
            window.setLatestEventTime(pane.getLatestEventTime());
            window.setSegment(pane.getSegment());
        }
        return window;
    }
}
