package org.brandequity.topology;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.brandequity.avro.CustomerAlert;
import org.brandequity.avro.CustomerAlertState;
import org.brandequity.avro.CustomerInteraction;
import org.brandequity.avro.internal.CustomerLedger;
import org.brandequity.avro.internal.ScoredInteraction;
import org.brandequity.avro.internal.SeenEvent;
import org.brandequity.avro.internal.DriverObservationChange;
import org.brandequity.model.DeadLetterReason;
import org.brandequity.model.Decay;
import org.brandequity.model.ExperienceSignal;
import org.brandequity.model.Polarity;
import org.brandequity.model.ScoringModel;
import org.brandequity.model.Violation;
import org.brandequity.model.WindowGrid;
import org.brandequity.model.WindowPolicy;
import org.brandequity.model.drivers.CustomerDrivers;
import org.brandequity.model.drivers.DriverConfig;
import org.brandequity.model.drivers.DriverSet;
import org.brandequity.model.drivers.ObservationChange;

/**
 * Admits, scores and records one interaction in its customer's ledger: rejects an event more than
 * {@code late.horizon} behind stream time, drops an event id already counted within the dedup
 * horizon, joins the customer's profile, scores the event and adds it to its pane. One read and
 * one write of the customer's ledger per on-time event.
 *
 * <p>Why one store for all of it: under exactly-once every state write costs a cache update, a
 * RocksDB put and a changelog record the broker must append. Dedup ids, the profile and the panes
 * in stores of their own cost about five state operations per event; the benchmark measured that
 * as what bounded throughput (docs/benchmark.md).
 *
 * <p>Lateness, against the stream time kept in a changelogged store (so a restart decides the same):
 * <ul>
 *   <li>{@code t >= streamTime - grace}: on time. Every window it belongs to is still open.</li>
 *   <li>{@code streamTime - horizon <= t < streamTime - grace}: counted late ({@link ScoredInteraction#getLate()}).
 *       Some of its windows may have been emitted; {@link CloseCustomerWindows} adds it to its pane
 *       and re-emits those windows as revisions. Here it is only deduplicated and its id remembered
 *       (in the ledger if its pane is still live; in the closed-pane store otherwise, by the window
 *       closer).</li>
 *   <li>{@code t < streamTime - horizon}: a {@code TOO_LATE} dead letter, before any dedup: nothing is
 *       remembered that far back.</li>
 * </ul>
 *
 * <p>Dedup memory: the ledger remembers the ids of events at or after
 * {@code min(streamTime - dedupHorizon - grace, oldest live pane)}, which covers every copy of an
 * on-time event; the ids of closed panes are in the closed-pane store ({@link ClosedPanes}), read
 * only for late events, so the on-time path never touches it.
 *
 * <p>Closed loop (docs/model.md §8): every counted event, on time or late, also updates the customer's
 * equity and last interactions in the same ledger and is judged by the at-risk rule
 * ({@link CustomerClosedLoop}); the alert records it causes ride on the scored event
 * ({@link ScoredInteraction#getAlerts()}) to the {@code customer-alerts} sink, so they are written in
 * the transaction that counts the event. The task's open alerts are also kept whole in a small store
 * of their own ({@link BrandEquityTopology#OPEN_CUSTOMER_ALERT_STORE}), written only when an alert
 * fires or resolves, so that the at-risk query reads them without scanning every customer.
 *
 * <p>Key drivers (issue 26): every counted event at a driver touchpoint or carrying a recommend
 * answer also updates the customer's key-driver state in the same ledger ({@link CustomerDrivers}),
 * and the observation changes it causes ride on the scored event
 * ({@link ScoredInteraction#getDriverChanges()}) to the {@code key-driver-observation-changes}
 * repartition topic, keyed by segment.
 *
 * <p>Hand-written because Kafka Streams has no dedup operator and no pane-based windowing.
 */
final class CustomerLedgerProcessor implements FixedKeyProcessor<String, CustomerInteraction, ScoredInteraction> {
    static final String STREAM_TIME_KEY = "stream-time";

    private final String ledgerStoreName;
    private final String streamTimeStoreName;
    private final String closedPaneStoreName;
    private final String openAlertStoreName;
    private final ScoringModel scoring;
    private final CustomerClosedLoop closedLoop;
    /** Decay of the key-driver predictors ({@code drivers.half.life}). */
    private final Decay driverDecay;
    private final long horizonMs;
    private final long lateHorizonMs;
    private final long graceMs;
    /** {@link WindowPolicy#ledgerMemoryMs()}. */
    private final long memoryMs;
    private final WindowGrid grid;
    private final Counters counters;
    private FixedKeyProcessorContext<String, ScoredInteraction> context;
    private KeyValueStore<String, CustomerLedger> ledgers;
    private KeyValueStore<String, Long> streamTimes;
    private ClosedPanes closedPanes;
    private KeyValueStore<String, CustomerAlert> openAlerts;
    /** This task's open alerts by segment, as added to the instance's gauge (taken back on close). */
    private final Map<String, Long> openBySegment = new HashMap<>();
    private long streamTime = Long.MIN_VALUE;

    CustomerLedgerProcessor(String ledgerStoreName, String streamTimeStoreName, String closedPaneStoreName, String openAlertStoreName,
                            ScoringModel scoring, CustomerClosedLoop closedLoop, DriverConfig drivers, WindowPolicy windows,
                            Counters counters) {
        this.driverDecay = new Decay(drivers.halfLife());
        this.counters = counters;
        this.ledgerStoreName = ledgerStoreName;
        this.streamTimeStoreName = streamTimeStoreName;
        this.closedPaneStoreName = closedPaneStoreName;
        this.openAlertStoreName = openAlertStoreName;
        this.scoring = scoring;
        this.closedLoop = closedLoop;
        this.horizonMs = windows.dedupHorizon().toMillis();
        this.lateHorizonMs = windows.lateHorizon().toMillis();
        this.graceMs = windows.grace().toMillis();
        this.memoryMs = windows.ledgerMemoryMs();
        this.grid = windows.grid();
    }

    @Override
    public void init(FixedKeyProcessorContext<String, ScoredInteraction> context) {
        this.context = context;
        this.ledgers = context.getStateStore(ledgerStoreName);
        this.streamTimes = context.getStateStore(streamTimeStoreName);
        this.closedPanes = new ClosedPanes(context.getStateStore(closedPaneStoreName));
        this.openAlerts = context.getStateStore(openAlertStoreName);
        Long stored = streamTimes.get(STREAM_TIME_KEY);
        streamTime = stored == null ? Long.MIN_VALUE : stored;
        // The task's open alerts, restored with its state, join the instance's gauge while it runs here.
        try (KeyValueIterator<String, CustomerAlert> it = openAlerts.all()) {
            it.forEachRemaining(kv -> openAlertsChanged(kv.value.getSegment(), 1));
        }
    }

    /** The task leaves this instance (rebalance, shutdown): its open alerts leave the gauge. */
    @Override
    public void close() {
        openBySegment.forEach((segment, n) -> counters.customerAlertsOpen(segment, -n));
        openBySegment.clear();
    }

    private void openAlertsChanged(String segment, long delta) {
        openBySegment.merge(segment, delta, Long::sum);
        counters.customerAlertsOpen(segment, delta);
    }

    @Override
    public void process(FixedKeyRecord<String, CustomerInteraction> record) {
        CustomerInteraction e = record.value();
        long t = record.timestamp();
        boolean started = streamTime != Long.MIN_VALUE;
        if (started && t < streamTime - lateHorizonMs) {
            counters.countLateRejected();
            throw new RejectedInteractionException(new Violation(DeadLetterReason.TOO_LATE,
                    "eventTime " + Instant.ofEpochMilli(t) + " is " + (streamTime - t) + " ms behind stream time "
                            + Instant.ofEpochMilli(streamTime) + ", beyond late.horizon (" + lateHorizonMs + " ms)"));
        }
        boolean late = started && t < streamTime - graceMs;
        // Panes older than this belong only to windows already emitted: the window closer, downstream,
        // has seen every earlier event and closed every window stream time had passed.
        long oldestLivePaneStart = started ? grid.oldestLivePaneStart(grid.closableWindowEnd(streamTime)) : Long.MIN_VALUE;
        CustomerLedger ledger = ledgers.get(record.key());
        if (ledger == null) ledger = CustomerLedgers.empty();
        if (CustomerLedgers.hasSeen(ledger, e.getEventId(), t, horizonMs)
                || late && closedPanes.hasSeen(record.key(), e.getEventId(), t, horizonMs, grid.advanceMs(), oldestLivePaneStart)) {
            counters.countDuplicate();
            return;
        }
        if ((!late || grid.paneStart(t) >= oldestLivePaneStart)
                && CustomerLedgers.remembered(ledger, hotMemoryFrom(oldestLivePaneStart)) >= CustomerLedgers.MAX_REMEMBERED_EVENTS) {
            throw new RejectedInteractionException(new Violation(DeadLetterReason.TOO_MANY_EVENTS, "customer already has "
                    + CustomerLedgers.MAX_REMEMBERED_EVENTS + " events within dedup.horizon in their ledger"));
        }
        // Everything that can reject or fail on the event happens above this line, before the first
        // store write: a rejection is dead-lettered with nothing of the event kept, and any failure
        // below fails the task so that exactly-once rolls back what was written.
        ExperienceSignal s = scoring.score(e);
        boolean behind = started && t < streamTime;
        if (t > streamTime) {
            streamTime = t;
            streamTimes.put(STREAM_TIME_KEY, t);
        }
        CustomerLedgers.prune(ledger, hotMemoryFrom(oldestLivePaneStart), oldestLivePaneStart);
        long pane = grid.paneStart(t);
        ScoredInteraction scored = new ScoredInteraction(e.getEventId(), e.getCustomerId(), t,
                e.getTouchpoint(), e.getStage(), ledger.getSegment(), ledger.getValueWeight(), s.value(), s.weight(), late,
                e.getRating(), e.getLikelihoodToRecommend(), e.getEffort(), null, null);
        Polarity polarity = scoring.polarity(s.value());
        if (!late) {
            ledger.getSeen().add(new SeenEvent(e.getEventId(), t));
            CustomerLedgers.add(CustomerLedgers.pane(ledger, pane),
                    polarity, s.value(), s.weight(), t, ledger.getSegment(), scored);
        } else if (pane >= oldestLivePaneStart) {
            // The window closer adds it to the pane (it needs the windows as they were before), and
            // copies the id to the closed-pane store with the rest of the pane when the pane closes.
            ledger.getSeen().add(new SeenEvent(e.getEventId(), t));
        }
        // Every counted event, late ones included, is in the customer's equity: the ledger is written
        // on every path (a late event in a closed pane changed nothing here before customer equity).
        List<CustomerAlert> alerts = closedLoop.count(record.key(), ledger, e, t, s, polarity);
        List<DriverObservationChange> driverChanges = countDrivers(ledger, e, t, s);
        ledgers.put(record.key(), ledger);
        for (CustomerAlert a : alerts) recordAlert(record.key(), a);

        if (late) counters.countLateCounted();
        else if (behind) counters.countLateAccepted();
        counters.countScored(e.getTouchpoint(), e.getStage(), s.value(), s.weight());
        scored.setAlerts(alerts.isEmpty() ? null : alerts);
        scored.setDriverChanges(driverChanges);
        context.forward(record.withValue(scored));
    }

    /**
     * Counts the event into the customer's key drivers ({@link CustomerDrivers}, in the same ledger):
     * an answer becomes an observation, a driver event after which the ledger keeps answers corrects
     * them. Returns the observation changes to forward, or null for none. Nothing counted from now on
     * is older than stream time minus {@code late.horizon} (older events are dead letters, above), so
     * what is older than that is settled.
     */
    private List<DriverObservationChange> countDrivers(CustomerLedger ledger, CustomerInteraction e, long t, ExperienceSignal s) {
        int driver = DriverSet.indexOf(e.getTouchpoint());
        Integer answer = e.getLikelihoodToRecommend();
        if (driver < 0 && answer == null) return null; // the common non-driver event: the ledger's part is untouched
        CustomerDrivers drivers = CustomerDriverStates.of(ledger.getDrivers());
        List<ObservationChange> changes = drivers.count(e.getEventId(), t, driver, s.value(), s.weight(), answer,
                ledger.getSegment(), streamTime - lateHorizonMs, driverDecay);
        ledger.setDrivers(CustomerDriverStates.state(drivers));
        if (changes.isEmpty()) return null;
        List<DriverObservationChange> out = new ArrayList<>(changes.size());
        for (ObservationChange c : changes) out.add(CustomerDriverStates.record(c));
        return out;
    }

    /** An alert fired or resolved: the task's open-alert store and the metrics follow. */
    private void recordAlert(String customer, CustomerAlert a) {
        String touchpoint = a.getEvent() == null ? "OTHER" : a.getEvent().getTouchpoint().name();
        if (a.getState() == CustomerAlertState.FIRING) {
            openAlerts.put(customer, a);
            openAlertsChanged(a.getSegment(), 1);
            counters.countCustomerAlertFired(a.getSegment(), touchpoint, a.getTrigger().name());
        } else {
            openAlerts.delete(customer);
            openAlertsChanged(a.getSegment(), -1);
            counters.countCustomerAlertResolved(a.getSegment());
        }
    }

    /**
     * The oldest event time whose id the ledger still remembers: the dedup horizon plus grace behind
     * stream time (a copy of an older on-time event would be a late event, checked against the
     * closed-pane store), and every id in a live pane, which the window closer copies to the
     * closed-pane store when the pane closes.
     */
    private long hotMemoryFrom(long oldestLivePaneStart) {
        return streamTime == Long.MIN_VALUE ? Long.MIN_VALUE
                : Math.min(streamTime - memoryMs, oldestLivePaneStart);
    }
}
