package org.brandequity.topology;

import java.util.ArrayList;
import java.util.List;
import org.brandequity.avro.CustomerExperienceScore;
import org.brandequity.avro.CustomerProfile;
import org.brandequity.avro.internal.CustomerLedger;
import org.brandequity.avro.internal.CustomerPane;
import org.brandequity.avro.internal.CustomerWindowAggregate;
import org.brandequity.avro.internal.ScoredInteraction;
import org.brandequity.avro.internal.SeenEvent;
import org.brandequity.model.Polarity;
import org.brandequity.model.WindowGrid;

/**
 * The customer ledger: one record per customer holding everything the per-event path needs, so
 * that an event costs one state read and one state write (see {@link CustomerLedgerProcessor}).
 *
 * <p>Windows are assembled from <em>panes</em>: a pane is the customer's aggregate over one
 * {@code window.advance} slice of event time, and a hopping window is the sum of the
 * {@code size / advance} panes it covers. An event updates one pane instead of every window that
 * covers it. Kafka Streams has no pane-based windowing, hence these helpers.
 */
public final class CustomerLedgers {
    private CustomerLedgers() {}

    /** A customer never seen, without a profile. */
    static CustomerLedger empty() {
        return new CustomerLedger(BrandEquityTopology.UNASSIGNED_SEGMENT, 1.0, new ArrayList<>(), new ArrayList<>(),
                null, null, new ArrayList<>(), null, null, null);
    }

    /** Applies a profile (or its deletion, {@code null}) the way docs/model.md says events join it. */
    static void applyProfile(CustomerLedger ledger, CustomerProfile profile) {
        String segment = profile == null || profile.getSegment().isBlank() ? BrandEquityTopology.UNASSIGNED_SEGMENT : profile.getSegment();
        double valueWeight = profile == null ? 1.0 : profile.getValueWeight();
        if (!(valueWeight >= 0) || Double.isInfinite(valueWeight)) valueWeight = 1.0;
        ledger.setSegment(segment);
        ledger.setValueWeight(valueWeight);
        ledger.setTier(profile == null ? null : profile.getTier());
    }

    /** Whether the ledger says no more than "no profile": nothing worth keeping. */
    static boolean isBlank(CustomerLedger ledger) {
        return ledger.getSeen().isEmpty() && ledger.getPanes().isEmpty()
                && ledger.getSegment().equals(BrandEquityTopology.UNASSIGNED_SEGMENT) && ledger.getValueWeight() == 1.0
                && ledger.getTier() == null && ledger.getEquity() == null && ledger.getRecent().isEmpty()
                && ledger.getOpenAlert() == null && ledger.getLastResolvedAt() == null && ledger.getDrivers() == null;
    }

    /** Whether {@code eventId} was counted within {@code horizonMs} of {@code eventTime}, among the ids the ledger remembers. */
    static boolean hasSeen(CustomerLedger ledger, String eventId, long eventTime, long horizonMs) {
        return hasSeen(ledger.getSeen(), eventId, eventTime, horizonMs);
    }

    /**
     * The most event ids one customer's ledger remembers (those within dedup.horizon and grace of
     * stream time); an event beyond it is dead-lettered {@code TOO_MANY_EVENTS} before anything is
     * written (issue 21). Why: the ledger is one changelog record; at 256 UTF-8 bytes an id, 2,000 ids
     * are about 540 KB, so one customer flooded with distinct ids cannot grow the record past the
     * broker's 1 MiB {@code max.message.bytes} (which would fail the task on every restart), nor make
     * each event's duplicate check (a scan of the ids) arbitrarily slow. A real customer has far fewer
     * interactions in a couple of hours.
     */
    static final int MAX_REMEMBERED_EVENTS = 2_000;

    /** The ids the ledger remembers at or after {@code rememberFrom}: what is left after {@link #prune}. */
    static int remembered(CustomerLedger ledger, long rememberFrom) {
        List<SeenEvent> seen = ledger.getSeen();
        if (seen.size() < MAX_REMEMBERED_EVENTS) return seen.size(); // the common case: no scan
        int n = 0;
        for (SeenEvent e : seen) if (e.getEventTime() >= rememberFrom) n++;
        return n;
    }

    /** Whether {@code seen} holds {@code eventId} at an event time within {@code horizonMs} of {@code eventTime}. */
    static boolean hasSeen(List<SeenEvent> seen, String eventId, long eventTime, long horizonMs) {
        for (SeenEvent s : seen) {
            if (Math.abs(eventTime - s.getEventTime()) <= horizonMs && s.getEventId().equals(eventId)) return true;
        }
        return false;
    }

    /**
     * Forgets ids older than {@code rememberFrom} and panes that no unemitted window covers.
     *
     * @return whether anything was forgotten
     */
    static boolean prune(CustomerLedger ledger, long rememberFrom, long oldestLivePaneStart) {
        boolean changed = false;
        // New lists, not removeIf: the arrays Avro decodes into do not support removal. Plain loops:
        // this runs on every event.
        List<SeenEvent> seen = ledger.getSeen();
        if (anySeenBefore(seen, rememberFrom)) {
            List<SeenEvent> kept = new ArrayList<>(seen.size());
            for (SeenEvent e : seen) if (e.getEventTime() >= rememberFrom) kept.add(e);
            ledger.setSeen(kept);
            changed = true;
        }
        List<CustomerPane> panes = ledger.getPanes();
        if (anyPaneBefore(panes, oldestLivePaneStart)) {
            List<CustomerPane> kept = new ArrayList<>(panes.size());
            for (CustomerPane p : panes) if (p.getStart() >= oldestLivePaneStart) kept.add(p);
            ledger.setPanes(kept);
            changed = true;
        }
        return changed;
    }

    static boolean anySeenBefore(List<SeenEvent> seen, long time) {
        for (SeenEvent e : seen) if (e.getEventTime() < time) return true;
        return false;
    }

    static boolean anyPaneBefore(List<CustomerPane> panes, long start) {
        for (CustomerPane p : panes) if (p.getStart() < start) return true;
        return false;
    }

    /** The pane starting at {@code paneStart}, created empty if absent. */
    static CustomerWindowAggregate pane(CustomerLedger ledger, long paneStart) {
        for (CustomerPane p : ledger.getPanes()) {
            if (p.getStart() == paneStart) return p.getAggregate();
        }
        CustomerWindowAggregate pane = emptyWindow();
        ledger.getPanes().add(new CustomerPane(paneStart, pane));
        return pane;
    }

    static CustomerWindowAggregate emptyWindow() {
        return new CustomerWindowAggregate(BrandEquityTopology.UNASSIGNED_SEGMENT, Long.MIN_VALUE, 0L, 0L, 0L, 0L, 0.0, 0.0,
                ResponseTallies.emptyList());
    }

    /**
     * Adds one scored event to a pane, with its survey answers (if any) under its touchpoint. The
     * answers ride in the pane the event already writes, so the standard metrics cost no state
     * operation of their own.
     */
    static void add(CustomerWindowAggregate w, Polarity polarity, double signal, double weight, long eventTime, String segment,
                    ScoredInteraction e) {
        add(w, polarity, signal, weight, eventTime, segment);
        if (ResponseTallies.answered(e.getRating(), e.getLikelihoodToRecommend(), e.getEffort())) {
            ResponseTallies.add(w.getTouchpointResponses(), e.getTouchpoint(),
                    ResponseTallies.of(e.getRating(), e.getLikelihoodToRecommend(), e.getEffort()));
        }
    }

    /** Adds one scored event without survey answers to a pane. */
    static void add(CustomerWindowAggregate w, Polarity polarity, double signal, double weight, long eventTime, String segment) {
        w.setEvents(w.getEvents() + 1);
        switch (polarity) {
            case POSITIVE -> w.setPositive(w.getPositive() + 1);
            case NEGATIVE -> w.setNegative(w.getNegative() + 1);
            default -> w.setNeutral(w.getNeutral() + 1);
        }
        w.setWeight(w.getWeight() + weight);
        w.setWeightedSignal(w.getWeightedSignal() + weight * signal);
        // A customer who changes segment mid-window is reported in the segment of their latest event.
        if (eventTime >= w.getLatestEventTime()) {
            w.setLatestEventTime(eventTime);
            w.setSegment(segment);
        }
    }

    /** Adds a pane into a window. Panes cover disjoint time, so the latest event is in exactly one. */
    static CustomerWindowAggregate combine(CustomerWindowAggregate window, CustomerWindowAggregate pane) {
        window.setEvents(window.getEvents() + pane.getEvents());
        window.setPositive(window.getPositive() + pane.getPositive());
        window.setNeutral(window.getNeutral() + pane.getNeutral());
        window.setNegative(window.getNegative() + pane.getNegative());
        window.setWeight(window.getWeight() + pane.getWeight());
        window.setWeightedSignal(window.getWeightedSignal() + pane.getWeightedSignal());
        if (!pane.getTouchpointResponses().isEmpty()) {
            ResponseTallies.addAll(window.getTouchpointResponses(), pane.getTouchpointResponses());
        }
        if (pane.getLatestEventTime() > window.getLatestEventTime()) {
            window.setLatestEventTime(pane.getLatestEventTime());
            window.setSegment(pane.getSegment());
        }
        return window;
    }

    /** The window {@code [start, end)} as the sum of the ledger's panes inside it, or null if it holds no event. */
    static CustomerWindowAggregate window(CustomerLedger ledger, long start, long end) {
        CustomerWindowAggregate window = null;
        for (CustomerPane p : ledger.getPanes()) {
            if (p.getStart() >= start && p.getStart() < end) {
                window = combine(window == null ? emptyWindow() : window, p.getAggregate());
            }
        }
        return window;
    }

    /**
     * The customer's windows that the ledger can still assemble whole at stream time
     * {@code streamTime}, open ones included (their figures may still change), newest first. Used by
     * the query API.
     */
    public static List<CustomerExperienceScore> windowsOf(CustomerLedger ledger, String customerId, long streamTime,
                                                          WindowGrid grid) {
        // From the newest window containing stream time back to the newest closed one.
        long first = grid.startOfWindowEndingAt(grid.closableWindowEnd(streamTime));
        long last = grid.paneStart(streamTime);
        List<CustomerExperienceScore> windows = new ArrayList<>();
        if (ledger == null) return windows;
        for (long start = last; start >= first; start -= grid.advanceMs()) {
            long end = grid.windowEnd(start);
            CustomerWindowAggregate window = window(ledger, start, end);
            if (window != null) windows.add(OutputRecords.customerScore(customerId, start, end, window));
        }
        return windows;
    }
}
