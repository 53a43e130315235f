package org.brandequity.topology;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import java.util.Map;
import java.util.TreeMap;
import org.brandequity.avro.CustomerExperienceScore;
import org.brandequity.avro.Touchpoint;
import org.brandequity.avro.internal.ResponseCounts;
import org.brandequity.avro.internal.TouchpointResponses;
import org.brandequity.avro.internal.TouchpointWindowCounts;
import org.brandequity.avro.internal.ClosedPane;
import org.brandequity.avro.internal.CustomerLedger;
import org.brandequity.avro.internal.CustomerPane;
import org.brandequity.avro.internal.CustomerWindowAggregate;
import org.brandequity.avro.internal.CustomerWindowRevision;
import org.brandequity.avro.internal.SeenEvent;
import org.brandequity.avro.internal.PartitionWatermark;
import org.brandequity.avro.internal.ScoredInteraction;
import org.brandequity.avro.internal.SegmentWindowInput;
import org.brandequity.model.ScoringModel;
import org.brandequity.model.WindowGrid;
import org.brandequity.model.WindowPolicy;

/**
 * Emits each customer window ({@code window.size} long, one starting every {@code window.advance},
 * aligned to the epoch) once, when it closes: when stream time reaches its end plus
 * {@code window.grace}. A window is the sum of the customer's panes inside it (see
 * {@link CustomerLedgers}).
 *
 * <p>Runs after {@link CustomerLedgerProcessor} on every admitted event. Whether a window has closed
 * is one comparison per event; the ledger store is scanned only when stream time crosses a window
 * end, once per {@code window.advance} of event time, and each customer is read once per closing
 * window. The scan also drops the ledgers of customers with nothing left in them but a profile's
 * absence, and shrinks those with only a profile left, so idle customers do not keep old panes and
 * ids; it drops a customer's equity once its decayed volume is negligible and no alert is open
 * ({@link CustomerClosedLoop#prunable}). Which windows have been emitted follows from the stream time {@link CustomerLedgerProcessor}
 * keeps in a changelogged store (every window ending at or before
 * {@link WindowGrid#closableWindowEnd} of it), so a restart neither repeats nor skips a window. The
 * lateness gate only lets through events at most {@code grace} behind stream time, and every window
 * such an event belongs to ends after {@code streamTime - grace}: no event can reach a window that
 * has closed.
 *
 * <p>When a customer's pane closes (the last window covering it is emitted), the pane and the ids
 * counted into it move to the closed-pane store ({@link ClosedPanes}): one write per customer and
 * pane that had events. A <em>late</em> event (more than {@code grace} behind stream time, within
 * {@code late.horizon}: see {@link CustomerLedgerProcessor}) is added to its pane here, in the ledger
 * if the pane is live, in the closed-pane store if not, and every window covering it that was
 * already emitted is emitted again, with the late event, as a revision: its customer record with
 * {@code revision} = the number of its earlier records, and a {@link CustomerWindowRevision} telling
 * the segment windows which version to take out and which to put in. The window of a revision is
 * the sum of its panes, each from the ledger (live) or from the closed-pane store (closed).
 *
 * <p>Touchpoint windows ride on the same closing. The survey answers of an event are counted in its
 * customer's pane, per touchpoint ({@link CustomerLedgers#add}), so a customer window knows its
 * answers per touchpoint; the closing scan, which reads every customer's window anyway, sums them
 * per touchpoint and emits, before the watermark, one {@link TouchpointWindowCounts} per touchpoint
 * answered in the window on this partition. A late answer emits its own counts for each window of
 * it this partition had already closed ({@code late = true}); a window still open gets it through
 * the pane. Why so: the touchpoint windows then cost no state operation and no repartition record
 * per event (an event without an answer costs nothing at all), only a few records per closing on
 * the repartition topic the segment windows already use, whose watermarks close them too
 * ({@link TouchpointWindows}).
 *
 * <p>After the windows of a closing, and once at the first event, it emits this partition's
 * watermark: a {@link PartitionWatermark} saying that every customer window ending at or before
 * {@code closedUntil} has been emitted. The segment windows ({@link SegmentWindows}) are deleted on
 * the slowest partition's watermark, so a partition behind the others never loses its windows there.
 */
final class CloseCustomerWindows implements Processor<String, ScoredInteraction, String, SegmentWindowInput> {
    private final String ledgerStoreName;
    private final String streamTimeStoreName;
    private final String closedPaneStoreName;
    private final ScoringModel scoring;
    private final WindowGrid grid;
    private final long rememberMs;
    private final CustomerClosedLoop closedLoop;
    private ProcessorContext<String, SegmentWindowInput> context;
    private KeyValueStore<String, CustomerLedger> ledgers;
    private ClosedPanes closedPanes;
    private long streamTime = Long.MIN_VALUE;
    /** Every window ending at or before this has been emitted, or can hold no event. */
    private long closedUntil;

    CloseCustomerWindows(String ledgerStoreName, String streamTimeStoreName, String closedPaneStoreName, ScoringModel scoring,
                         CustomerClosedLoop closedLoop, WindowPolicy windows) {
        this.closedLoop = closedLoop;
        this.ledgerStoreName = ledgerStoreName;
        this.streamTimeStoreName = streamTimeStoreName;
        this.closedPaneStoreName = closedPaneStoreName;
        this.scoring = scoring;
        this.grid = windows.grid();
        this.rememberMs = windows.ledgerMemoryMs();
    }

    @Override
    public void init(ProcessorContext<String, SegmentWindowInput> context) {
        this.context = context;
        this.ledgers = context.getStateStore(ledgerStoreName);
        this.closedPanes = new ClosedPanes(context.getStateStore(closedPaneStoreName));
        KeyValueStore<String, Long> streamTimes = context.getStateStore(streamTimeStoreName);
        Long stored = streamTimes.get(CustomerLedgerProcessor.STREAM_TIME_KEY);
        closedUntil = stored == null ? Long.MIN_VALUE : grid.closableWindowEnd(stored);
    }

    @Override
    public void process(Record<String, ScoredInteraction> record) {
        if (record.value().getLate()) {
            revise(record.key(), record.value());
            return;
        }
        long t = record.value().getEventTime();
        if (t <= streamTime) return;
        streamTime = t;
        long closable = grid.closableWindowEnd(streamTime);
        if (closedUntil == Long.MIN_VALUE) {
            // First event ever: no earlier window can hold an event, since none got past the gate.
            closedUntil = closable;
            emitWatermark();
            return;
        }
        if (closable <= closedUntil) return;
        for (long end = closedUntil + grid.advanceMs(); end <= closable; end += grid.advanceMs()) {
            emitWindowsEndingAt(end, end == closable);
        }
        closedUntil = closable;
        emitWatermark();
    }

    /**
     * This partition's progress, behind the windows it covers: the task's partition of the
     * interactions topic (its task id's), stamped with {@code closedUntil}. Keyed by that partition
     * number, for readability only: a watermark goes to every segment-window task.
     */
    private void emitWatermark() {
        int partition = context.taskId().partition();
        context.forward(new Record<>(Integer.toString(partition),
                new SegmentWindowInput(new PartitionWatermark(partition, closedUntil), null, null, List.of(), List.of()), closedUntil));
    }

    /** Emits every customer's window ending at {@code end}; on the last pass, also tidies idle ledgers. */
    private void emitWindowsEndingAt(long end, boolean tidy) {
        long start = grid.startOfWindowEndingAt(end);
        long oldestLivePane = grid.oldestLivePaneStart(end);
        long rememberFrom = Math.min(streamTime - rememberMs, oldestLivePane);
        // Changes are applied after the scan: the store's iterator is not meant to see its own writes.
        List<KeyValue<String, CustomerLedger>> tidied = new ArrayList<>();
        List<TouchpointResponses> byTouchpoint = ResponseTallies.emptyList();
        try (KeyValueIterator<String, CustomerLedger> it = ledgers.all()) {
            while (it.hasNext()) {
                KeyValue<String, CustomerLedger> kv = it.next();
                CustomerWindowAggregate window = CustomerLedgers.window(kv.value, start, end);
                if (window != null) {
                    context.forward(new Record<>(kv.key, new SegmentWindowInput(
                            OutputRecords.customerScore(kv.key, start, end, window),
                            ResponseTallies.total(window.getTouchpointResponses()), null,
                            ResponseTallies.copyList(window.getTouchpointResponses()), List.of()), window.getLatestEventTime()));
                    ResponseTallies.addAll(byTouchpoint, window.getTouchpointResponses());
                    closePane(kv.key, kv.value, start);
                }
                boolean idle = tidy && isIdle(kv.value, oldestLivePane, rememberFrom);
                // Customer equity whose decayed volume is negligible, with no alert open (docs/model.md §8).
                boolean faded = tidy && closedLoop.prunable(kv.value, streamTime);
                if (idle) CustomerLedgers.prune(kv.value, rememberFrom, oldestLivePane);
                if (faded) CustomerClosedLoop.prune(kv.value);
                if (idle || faded) tidied.add(kv);
            }
        }
        for (KeyValue<String, CustomerLedger> kv : tidied) {
            ledgers.put(kv.key, CustomerLedgers.isBlank(kv.value) ? null : kv.value);
        }
        for (TouchpointResponses t : byTouchpoint) emitTouchpointCounts(t.getTouchpoint(), start, t.getCounts(), false, start);
    }

    /** A touchpoint's answers in the window starting at {@code start}, to its touchpoint window. */
    private void emitTouchpointCounts(Touchpoint touchpoint, long start, ResponseCounts counts, boolean late, long timestamp) {
        context.forward(new Record<>(touchpoint.name(), new SegmentWindowInput(
                new TouchpointWindowCounts(touchpoint, start, counts, late), null, null, List.of(), List.of()), timestamp));
    }

    /**
     * Moves the customer's pane starting at {@code paneStart}, whose last window has just been
     * emitted, to the closed-pane store with the ids counted into it. The ledger drops it later.
     */
    private void closePane(String customer, CustomerLedger ledger, long paneStart) {
        for (CustomerPane p : ledger.getPanes()) {
            if (p.getStart() != paneStart) continue;
            long paneEnd = paneStart + grid.advanceMs();
            List<SeenEvent> ids = new ArrayList<>();
            for (SeenEvent e : ledger.getSeen()) {
                if (e.getEventTime() >= paneStart && e.getEventTime() < paneEnd) ids.add(e);
            }
            closedPanes.put(customer, paneStart, ClosedPanes.of(p.getAggregate(), ids));
            return;
        }
    }

    /**
     * Adds a late event to its pane and re-emits each already emitted window covering it. Which
     * windows were emitted: those ending at or before {@code closedUntil}. Which panes are closed:
     * those starting before the oldest live pane, whose ledger copies (if not yet pruned) are stale.
     */
    private void revise(String customer, ScoredInteraction e) {
        long t = e.getEventTime();
        long pane = grid.paneStart(t);
        long oldestLive = grid.oldestLivePaneStart(closedUntil);
        long firstStart = pane - grid.sizeMs() + grid.advanceMs();
        TreeMap<Long, ClosedPane> closed = closedPanes.fetch(customer, firstStart, Math.min(pane + grid.sizeMs(), oldestLive) - 1);
        CustomerLedger ledger = ledgers.get(customer);
        if (ledger == null) ledger = CustomerLedgers.empty();
        List<Long> emitted = new ArrayList<>();
        for (long start = firstStart; start <= pane; start += grid.advanceMs()) {
            if (grid.windowEnd(start) <= closedUntil) emitted.add(start);
        }
        Map<Long, CustomerWindowAggregate> before = new TreeMap<>();
        for (long start : emitted) before.put(start, window(ledger, closed, oldestLive, start));

        CustomerWindowAggregate target;
        if (pane >= oldestLive) {
            target = CustomerLedgers.pane(ledger, pane);
        } else {
            ClosedPane p = closed.computeIfAbsent(pane, k -> ClosedPanes.empty());
            p.getIds().add(new SeenEvent(e.getEventId(), t));
            target = p.getAggregate();
        }
        CustomerLedgers.add(target, scoring.polarity(e.getSignal()), e.getSignal(), e.getWeight(), t, e.getSegment(), e);
        if (pane >= oldestLive) ledgers.put(customer, ledger);

        // Where each window's record count is kept: the late event's own pane when it is closed (then
        // one write per late event), else each window's first pane, closed since the window was emitted.
        // A window's count is the largest its closed panes know of.
        Map<Long, ClosedPane> changed = new TreeMap<>();
        if (pane < oldestLive) changed.put(pane, closed.get(pane));
        for (long start : emitted) {
            CustomerWindowAggregate old = before.get(start);
            CustomerWindowAggregate now = window(ledger, closed, oldestLive, start);
            int known = 0;
            for (Map.Entry<Long, ClosedPane> p : closed.subMap(start, true, grid.windowEnd(start), false).entrySet()) {
                known = Math.max(known, ClosedPanes.emissions(p.getValue(), start));
            }
            int earlier = known > 0 ? known : old == null ? 0 : 1;
            ClosedPane keeper = pane < oldestLive ? closed.get(pane) : closed.computeIfAbsent(start, k -> ClosedPanes.empty());
            ClosedPanes.setEmissions(keeper, start, earlier + 1);
            changed.put(pane < oldestLive ? pane : start, keeper);
            emitRevision(customer, start, old, now, earlier, t);
            if (ResponseTallies.answered(e.getRating(), e.getLikelihoodToRecommend(), e.getEffort())) {
                emitTouchpointCounts(e.getTouchpoint(), start,
                        ResponseTallies.of(e.getRating(), e.getLikelihoodToRecommend(), e.getEffort()), true, t);
            }
        }
        changed.forEach((start, p) -> closedPanes.put(customer, start, p));
    }

    /** The customer's window starting at {@code start} from its live and closed panes, or null if it holds no event. */
    private CustomerWindowAggregate window(CustomerLedger ledger, Map<Long, ClosedPane> closed, long oldestLive, long start) {
        long end = grid.windowEnd(start);
        CustomerWindowAggregate window = null;
        for (Map.Entry<Long, ClosedPane> p : closed.entrySet()) {
            if (p.getKey() >= start && p.getKey() < Math.min(end, oldestLive) && p.getValue().getAggregate().getEvents() > 0) {
                window = CustomerLedgers.combine(window == null ? CustomerLedgers.emptyWindow() : window, p.getValue().getAggregate());
            }
        }
        for (CustomerPane p : ledger.getPanes()) {
            if (p.getStart() >= Math.max(start, oldestLive) && p.getStart() < end) {
                window = CustomerLedgers.combine(window == null ? CustomerLedgers.emptyWindow() : window, p.getAggregate());
            }
        }
        return window;
    }

    /**
     * The revised window on the customer topic, and to the segment windows the swap of its versions:
     * one record if the segment is unchanged, else one taking the old version out of its segment and
     * one putting the new one into the other.
     */
    private void emitRevision(String customer, long start, CustomerWindowAggregate old, CustomerWindowAggregate now,
                              int revision, long eventTime) {
        long end = grid.windowEnd(start);
        CustomerExperienceScore current = OutputRecords.customerScore(customer, start, end, now, revision);
        CustomerExperienceScore previous = old == null ? null : OutputRecords.customerScore(customer, start, end, old, revision - 1);
        ResponseCounts previousResponses = old == null ? null : ResponseTallies.total(old.getTouchpointResponses());
        ResponseCounts currentResponses = ResponseTallies.total(now.getTouchpointResponses());
        List<TouchpointResponses> previousByTouchpoint = old == null ? List.of() : ResponseTallies.copyList(old.getTouchpointResponses());
        List<TouchpointResponses> currentByTouchpoint = ResponseTallies.copyList(now.getTouchpointResponses());
        if (previous != null && !previous.getSegment().equals(current.getSegment())) {
            context.forward(new Record<>(customer, new SegmentWindowInput(new CustomerWindowRevision(previous, null),
                    null, previousResponses, List.of(), previousByTouchpoint), eventTime));
            previous = null;
            previousResponses = null;
            previousByTouchpoint = List.of();
        }
        context.forward(new Record<>(customer, new SegmentWindowInput(new CustomerWindowRevision(previous, current),
                currentResponses, previousResponses, currentByTouchpoint, previousByTouchpoint), eventTime));
    }

    /** Whether the ledger holds anything besides the profile that can still matter; idle ones are written once. */
    private static boolean isIdle(CustomerLedger ledger, long oldestLivePane, long rememberFrom) {
        if (ledger.getSeen().isEmpty() && ledger.getPanes().isEmpty()) return false; // already tidy
        // rememberFrom is already the lower of the dedup memory and the oldest live pane.
        return ledger.getSeen().stream().allMatch(s -> s.getEventTime() < rememberFrom)
                && ledger.getPanes().stream().allMatch(p -> p.getStart() < oldestLivePane);
    }
}
