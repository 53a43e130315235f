package org.brandequity.model;

import org.brandequity.avro.AtRiskTrigger;
import org.brandequity.avro.Touchpoint;

/**
 * The closed loop's at-risk rule (docs/model.md §8), judged on every counted event of a customer, on
 * time or late, after the event is in the customer's equity ({@link CustomerStock}).
 *
 * <p>Resolution, of the customer's open alert (whatever their segment is now):
 * <ul>
 *   <li>{@code index-recovered}: index_c after the event &ge; threshold + hysteresis, for a LOW_INDEX
 *       alert; for a DETRACTOR_EXPERIENCE alert only if the index was below that level when it fired
 *       ("back above": a detractor alert of a customer whose index never fell is not resolved by it);</li>
 *   <li>{@code positive-signal}: for a DETRACTOR_EXPERIENCE alert, a positive event (x &ge;
 *       {@code model.polarity.positive.threshold}) at the alert's touchpoint, later in event time than
 *       the event that fired it.</li>
 * </ul>
 * Firing, only for a customer of a watched segment, with no open alert, and out of cooldown:
 * <ul>
 *   <li>DETRACTOR_EXPERIENCE: x &le; {@code closedloop.detractor.signal} at a watched touchpoint;</li>
 *   <li>else LOW_INDEX: index_c after the event &lt; {@code closedloop.index.threshold} with at least
 *       {@code closedloop.min.events} counted events.</li>
 * </ul>
 * One open alert per customer: while one is open, further triggers are absorbed by it. Cooldown: an
 * event fires only if its event time is at least {@code closedloop.cooldown} after the customer's last
 * RESOLVED (measured from the newest event time the customer had when it resolved), so a customer
 * hovering around the threshold does not open a case per event, and a late event from before the
 * last resolution (a case already handled) never fires. Nothing here reads the wall clock: the same
 * events give the same alerts on a restart or a replay.
 */
public final class AtRiskRule {
    /** Why an alert resolved, as written in {@code CustomerAlert.resolution}. */
    public enum Resolution {
        INDEX_RECOVERED("index-recovered"), POSITIVE_SIGNAL("positive-signal");

        private final String text;

        Resolution(String text) {
            this.text = text;
        }

        public String text() {
            return text;
        }
    }

    /** What the rule needs of the customer's open alert. */
    public record OpenAlert(AtRiskTrigger trigger, Touchpoint touchpoint, long firedAt, double indexAtFiring) {}

    /** One counted event as the rule sees it. */
    public record Event(long time, Touchpoint touchpoint, double signal, Polarity polarity) {}

    /**
     * What one event does: resolve the open alert ({@code resolved} non-null) and/or fire a new one
     * ({@code fired} non-null; after a resolution in the same event only when the cooldown is 0).
     */
    public record Decision(Resolution resolved, AtRiskTrigger fired) {
        public static final Decision NONE = new Decision(null, null);

        public boolean isNone() {
            return resolved == null && fired == null;
        }
    }

    private final ClosedLoopConfig config;
    private final long cooldownMs;

    public AtRiskRule(ClosedLoopConfig config) {
        this.config = config;
        this.cooldownMs = config.cooldown().toMillis();
    }

    public ClosedLoopConfig config() {
        return config;
    }

    /**
     * @param watched      whether the customer's segment is in {@code closedloop.segments}
     * @param open         the customer's open alert, or null
     * @param cooldownFrom when the customer's last alert resolved (see {@link #cooldownFrom}), or null
     * @param e            the event
     * @param after        the customer's equity with the event
     */
    public Decision judge(boolean watched, OpenAlert open, Long cooldownFrom, Event e, CustomerStock after) {
        double indexAfter = after.index(config.customerIndexPrior());
        Resolution resolved = open == null ? null : resolution(open, e, indexAfter);
        if (resolved == null && open != null) return Decision.NONE; // one open alert per customer
        Long from = resolved != null ? Long.valueOf(cooldownFrom(e.time(), after.asOf())) : cooldownFrom;
        AtRiskTrigger fired = watched && !coolingDown(from, e.time()) ? trigger(e, indexAfter, after.events()) : null;
        return resolved == null && fired == null ? Decision.NONE : new Decision(resolved, fired);
    }

    /**
     * Where the cooldown after a resolution starts: the newest event time the customer has then (a
     * late event that resolves an alert does not move the cooldown back before the customer's present).
     */
    public static long cooldownFrom(long resolvingEventTime, long customerAsOf) {
        return Math.max(resolvingEventTime, customerAsOf);
    }

    private Resolution resolution(OpenAlert open, Event e, double indexAfter) {
        double recovery = config.recoveryIndex();
        if (indexAfter >= recovery && (open.trigger() != AtRiskTrigger.DETRACTOR_EXPERIENCE || open.indexAtFiring() < recovery)) {
            return Resolution.INDEX_RECOVERED;
        }
        if (open.trigger() == AtRiskTrigger.DETRACTOR_EXPERIENCE && e.polarity() == Polarity.POSITIVE
                && e.touchpoint() == open.touchpoint() && e.time() > open.firedAt()) {
            return Resolution.POSITIVE_SIGNAL;
        }
        return null;
    }

    private boolean coolingDown(Long from, long t) {
        return from != null && t < from + cooldownMs;
    }

    private AtRiskTrigger trigger(Event e, double indexAfter, long eventsAfter) {
        if (e.signal() <= config.detractorSignal() && config.watchesTouchpoint(e.touchpoint())) {
            return AtRiskTrigger.DETRACTOR_EXPERIENCE;
        }
        if (indexAfter < config.indexThreshold() && eventsAfter >= config.minEvents()) return AtRiskTrigger.LOW_INDEX;
        return null;
    }
}
