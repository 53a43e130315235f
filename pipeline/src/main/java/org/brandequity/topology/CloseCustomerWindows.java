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
import org.brandequity.avro.internal.CustomerLedger;
import org.brandequity.avro.internal.CustomerWindowAggregate;
import org.brandequity.avro.internal.PartitionWatermark;
import org.brandequity.avro.internal.ScoredInteraction;
import org.brandequity.avro.internal.SegmentWindowInput;
import org.brandequity.model.WindowGrid;

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
 * ids. Which windows have been emitted follows from the stream time {@link CustomerLedgerProcessor}
 * keeps in a changelogged store (every window ending at or before
 * {@link WindowGrid#closableWindowEnd} of it), so a restart neither repeats nor skips a window. The
 * lateness gate only lets through events at most {@code grace} behind stream time, and every window
 * such an event belongs to ends after {@code streamTime - grace}: no event can reach a window that
 * has closed.
 *
 * <p>After the windows of a closing, and once at the first event, it emits this partition's
 * watermark: a {@link PartitionWatermark} saying that every customer window ending at or before
 * {@code closedUntil} has been emitted. The segment windows ({@link SegmentWindows}) are deleted on
 * the slowest partition's watermark, so a partition behind the others never loses its windows there.
 */
final class CloseCustomerWindows implements Processor<String, ScoredInteraction, String, SegmentWindowInput> {
    private final String ledgerStoreName;
    private final String streamTimeStoreName;
    private final WindowGrid grid;
    private final long rememberMs;
    private ProcessorContext<String, SegmentWindowInput> context;
    private KeyValueStore<String, CustomerLedger> ledgers;
    private long streamTime = Long.MIN_VALUE;
    /** Every window ending at or before this has been emitted, or can hold no event. */
    private long closedUntil;

    CloseCustomerWindows(String ledgerStoreName, String streamTimeStoreName,
                         Duration size, Duration advance, Duration grace, Duration dedupHorizon) {
        this.ledgerStoreName = ledgerStoreName;
        this.streamTimeStoreName = streamTimeStoreName;
        this.grid = WindowGrid.of(size, advance, grace);
        this.rememberMs = dedupHorizon.toMillis() + grid.graceMs();
    }

    @Override
    public void init(ProcessorContext<String, SegmentWindowInput> context) {
        this.context = context;
        this.ledgers = context.getStateStore(ledgerStoreName);
        KeyValueStore<String, Long> streamTimes = context.getStateStore(streamTimeStoreName);
        Long stored = streamTimes.get(CustomerLedgerProcessor.STREAM_TIME_KEY);
        closedUntil = stored == null ? Long.MIN_VALUE : grid.closableWindowEnd(stored);
    }

    @Override
    public void process(Record<String, ScoredInteraction> record) {
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
                new SegmentWindowInput(new PartitionWatermark(partition, closedUntil)), closedUntil));
    }

    /** Emits every customer's window ending at {@code end}; on the last pass, also tidies idle ledgers. */
    private void emitWindowsEndingAt(long end, boolean tidy) {
        long start = grid.startOfWindowEndingAt(end);
        long oldestLivePane = grid.oldestLivePaneStart(end);
        long rememberFrom = streamTime - rememberMs;
        // Changes are applied after the scan: the store's iterator is not meant to see its own writes.
        List<KeyValue<String, CustomerLedger>> tidied = new ArrayList<>();
        try (KeyValueIterator<String, CustomerLedger> it = ledgers.all()) {
            while (it.hasNext()) {
                KeyValue<String, CustomerLedger> kv = it.next();
                CustomerWindowAggregate window = CustomerLedgers.window(kv.value, start, end);
                if (window != null) {
                    context.forward(new Record<>(kv.key, new SegmentWindowInput(
                            BrandEquityTopology.customerScore(kv.key, start, end, window)), window.getLatestEventTime()));
                }
                if (tidy && isIdle(kv.value, oldestLivePane, rememberFrom)) {
                    CustomerLedgers.prune(kv.value, rememberFrom, oldestLivePane);
                    tidied.add(kv);
                }
            }
        }
        for (KeyValue<String, CustomerLedger> kv : tidied) {
            ledgers.put(kv.key, CustomerLedgers.isBlank(kv.value) ? null : kv.value);
        }
    }

    /** Whether the ledger holds anything besides the profile that can still matter; idle ones are written once. */
    private static boolean isIdle(CustomerLedger ledger, long oldestLivePane, long rememberFrom) {
        if (ledger.getSeen().isEmpty() && ledger.getPanes().isEmpty()) return false; // already tidy
        return ledger.getSeen().stream().allMatch(s -> s.getEventTime() < rememberFrom)
                && ledger.getPanes().stream().allMatch(p -> p.getStart() < oldestLivePane);
    }
}
