package org.brandequity.topology;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.brandequity.avro.AtRiskTrigger;
import org.brandequity.avro.CustomerAlert;
import org.brandequity.avro.CustomerAlertEvent;
import org.brandequity.avro.CustomerAlertState;
import org.brandequity.avro.CustomerInteraction;
import org.brandequity.avro.RecentInteraction;
import org.brandequity.avro.internal.CustomerEquity;
import org.brandequity.avro.internal.CustomerLedger;
import org.brandequity.avro.internal.OpenCustomerAlert;
import org.brandequity.avro.internal.RecentSignal;
import org.brandequity.model.AtRiskRule;
import org.brandequity.model.ClosedLoopConfig;
import org.brandequity.model.CustomerStock;
import org.brandequity.model.Decay;
import org.brandequity.model.ExperienceSignal;
import org.brandequity.model.Polarity;

/**
 * The closed loop's part of a customer's ledger: their equity ({@link CustomerStock}), their last
 * five interactions and their open at-risk alert, updated by every counted event in the same ledger
 * read and write as the rest ({@link CustomerLedgerProcessor}), judged by {@link AtRiskRule}, and
 * turned into {@link CustomerAlert} records with the context a case needs.
 */
final class CustomerClosedLoop {
    /** Interactions kept for an alert's context. */
    static final int RECENT = 5;
    private static final List<CustomerAlert> NONE = List.of();

    private final ClosedLoopConfig config;
    private final AtRiskRule rule;
    private final Decay decay;

    CustomerClosedLoop(ClosedLoopConfig config, Decay decay) {
        this.config = config;
        this.rule = new AtRiskRule(config);
        this.decay = decay;
    }

    ClosedLoopConfig config() {
        return config;
    }

    /** The customer's equity as stored in their ledger. */
    static CustomerStock stock(CustomerLedger ledger) {
        CustomerEquity e = ledger == null ? null : ledger.getEquity();
        return e == null ? CustomerStock.EMPTY : new CustomerStock(e.getAsOf(), e.getSignal(), e.getVolume(), e.getEvents());
    }

    /**
     * Counts a scored event into the customer's equity and recent interactions and applies the
     * at-risk rule; changes the ledger in place (the caller writes it) and returns the alert records
     * to emit, RESOLVED before FIRING, usually none.
     */
    List<CustomerAlert> count(String customerId, CustomerLedger ledger, CustomerInteraction e, long t, ExperienceSignal s,
                              Polarity polarity) {
        CustomerStock before = stock(ledger);
        // c = w: the customer's segment and value weights are constant for them (docs/model.md §8).
        CustomerStock after = before.plus(t, s.value(), s.weight(), decay);
        CustomerEquity equity = ledger.getEquity();
        if (equity == null) {
            ledger.setEquity(new CustomerEquity(after.asOf(), after.signal(), after.volume(), after.events()));
        } else {
            equity.setAsOf(after.asOf());
            equity.setSignal(after.signal());
            equity.setVolume(after.volume());
            equity.setEvents(after.events());
        }
        boolean watched = config.watchesSegment(ledger.getSegment());
        if (watched) remember(ledger, e, t, s.value());
        OpenCustomerAlert open = ledger.getOpenAlert();
        // The common case, a customer nobody watches and no alert to resolve: nothing more to do.
        if (!watched && open == null) return NONE;
        AtRiskRule.Decision d = rule.judge(watched,
                open == null ? null : new AtRiskRule.OpenAlert(open.getTrigger(), open.getTouchpoint(), open.getFiredAt(), open.getIndexAtFiring()),
                ledger.getLastResolvedAt(), new AtRiskRule.Event(t, e.getTouchpoint(), s.value(), polarity), after);
        if (d.isNone()) return NONE;
        double k = config.customerIndexPrior();
        double indexBefore = before.index(k);
        double indexAfter = after.index(k);
        List<CustomerAlert> out = new ArrayList<>(2);
        if (d.resolved() != null) {
            out.add(alert(open.getAlertId(), customerId, CustomerAlertState.RESOLVED, open.getTrigger(), open.getSegment(), ledger,
                    e, t, s.value(), indexBefore, indexAfter, after.events(), d.resolved().text()));
            ledger.setOpenAlert(null);
            ledger.setLastResolvedAt(AtRiskRule.cooldownFrom(t, after.asOf()));
        }
        if (d.fired() != null) {
            String alertId = customerId + ":" + e.getEventId();
            out.add(alert(alertId, customerId, CustomerAlertState.FIRING, d.fired(), ledger.getSegment(), ledger,
                    e, t, s.value(), indexBefore, indexAfter, after.events(), null));
            ledger.setOpenAlert(new OpenCustomerAlert(alertId, d.fired(), e.getTouchpoint(), ledger.getSegment(), t, indexAfter));
        }
        return out;
    }

    /**
     * Whether the customer's closed-loop state can go: its decayed volume at {@code streamTime} is
     * below {@link CustomerStock#PRUNE_VOLUME}, no alert is open and the cooldown is over. A later
     * event then starts a new stock (docs/model.md §8, "Pruning").
     */
    boolean prunable(CustomerLedger ledger, long streamTime) {
        if (ledger.getEquity() == null && ledger.getRecent().isEmpty() && ledger.getLastResolvedAt() == null) return false;
        if (ledger.getOpenAlert() != null) return false;
        Long resolved = ledger.getLastResolvedAt();
        if (resolved != null && streamTime < resolved + config.cooldown().toMillis()) return false;
        return stock(ledger).negligibleAt(streamTime, decay);
    }

    /** Drops the customer's closed-loop state (see {@link #prunable}). */
    static void prune(CustomerLedger ledger) {
        ledger.setEquity(null);
        ledger.setRecent(new ArrayList<>());
        ledger.setLastResolvedAt(null);
    }

    /** Inserts the event among the last {@link #RECENT} interactions, newest event time first. */
    private static void remember(CustomerLedger ledger, CustomerInteraction e, long t, double x) {
        List<RecentSignal> recent = ledger.getRecent();
        int at = 0;
        while (at < recent.size() && recent.get(at).getEventTime() >= t) at++;
        if (at >= RECENT) return; // older than the five kept: a late event
        // A new list: the arrays Avro decodes into do not support insertion everywhere.
        List<RecentSignal> kept = new ArrayList<>(RECENT + 1);
        kept.addAll(recent.subList(0, at));
        kept.add(new RecentSignal(e.getTouchpoint(), x, t));
        kept.addAll(recent.subList(at, Math.min(recent.size(), RECENT - 1)));
        ledger.setRecent(kept);
    }

    private static CustomerAlert alert(String alertId, String customerId, CustomerAlertState state, AtRiskTrigger trigger, String segment,
                                       CustomerLedger ledger, CustomerInteraction e, long t, double x, double indexBefore,
                                       double indexAfter, long events, String resolution) {
        List<RecentInteraction> recent = new ArrayList<>(ledger.getRecent().size());
        for (RecentSignal r : ledger.getRecent()) {
            recent.add(new RecentInteraction(r.getTouchpoint(), r.getSignal(), Instant.ofEpochMilli(r.getEventTime())));
        }
        CustomerAlertEvent event = new CustomerAlertEvent(e.getEventId(), Instant.ofEpochMilli(t), e.getTouchpoint(), e.getStage(),
                e.getChannel(), x, e.getRating(), e.getLikelihoodToRecommend(), e.getEffort(), e.getSentiment(), e.getOutcome());
        return new CustomerAlert(alertId, customerId, state, trigger, segment, ledger.getTier(), ledger.getValueWeight(),
                Instant.ofEpochMilli(t), event, indexBefore, indexAfter, events, recent, resolution);
    }
}
