package org.brandequity.model;

import java.time.Duration;
import java.util.EnumSet;
import java.util.Set;
import java.util.LinkedHashSet;
import java.util.Collections;
import org.brandequity.avro.Touchpoint;

/**
 * Customer equity and the closed loop's at-risk rule ({@code model.customer.index.prior} and the
 * {@code closedloop.*} keys, defined with their defaults in {@code org.brandequity.config.ClosedLoopKeys};
 * the rule is {@link AtRiskRule}'s, the formulas are in docs/model.md §8).
 *
 * @param customerIndexPrior K_c in a customer's index 100 · BE_c / (V_c + K_c), in units of event weight w
 * @param segments           segments whose customers get at-risk alerts (equity is kept for everyone)
 * @param touchpoints        touchpoints where a detractor-level experience fires; empty = all
 * @param indexThreshold     LOW_INDEX fires when the customer index is below this (points, -100..100) ...
 * @param minEvents          ... with at least this many counted events behind it
 * @param hysteresis         an alert resolves by index once the index is at or above threshold + hysteresis
 * @param cooldown           no new FIRING for a customer within this much event time after their last RESOLVED
 * @param detractorSignal    an event with x at or below this is detractor-level (NPS 0-6, CSAT 1-2, a failure)
 */
public record ClosedLoopConfig(
        double customerIndexPrior,
        Set<String> segments,
        Set<Touchpoint> touchpoints,
        double indexThreshold,
        int minEvents,
        double hysteresis,
        Duration cooldown,
        double detractorSignal) {

    public ClosedLoopConfig {
        segments = Collections.unmodifiableSet(new LinkedHashSet<>(segments));
        touchpoints = touchpoints.isEmpty() ? Collections.unmodifiableSet(EnumSet.noneOf(Touchpoint.class))
                : Collections.unmodifiableSet(EnumSet.copyOf(touchpoints));
        require(customerIndexPrior >= 0 && Double.isFinite(customerIndexPrior), "model.customer.index.prior must be >= 0");
        require(indexThreshold >= -100 && indexThreshold < 100, "closedloop.index.threshold must be in [-100, 100)");
        require(minEvents >= 1, "closedloop.min.events must be >= 1");
        require(hysteresis >= 0 && indexThreshold + hysteresis < 100,
                "closedloop.hysteresis must be >= 0 and closedloop.index.threshold + closedloop.hysteresis < 100, "
                        + "else no index could ever resolve an alert");
        require(cooldown != null && !cooldown.isNegative(), "closedloop.cooldown must be >= 0");
        require(detractorSignal >= -1 && detractorSignal < 0, "closedloop.detractor.signal must be in [-1, 0)");
    }

    /** Whether customers of {@code segment} get alerts. */
    public boolean watchesSegment(String segment) {
        return segments.contains(segment);
    }

    /** Whether a detractor-level experience at {@code touchpoint} fires an alert. */
    public boolean watchesTouchpoint(Touchpoint touchpoint) {
        return touchpoints.isEmpty() || touchpoints.contains(touchpoint);
    }

    /** The index at or above which an alert resolves by index: threshold + hysteresis. */
    public double recoveryIndex() {
        return indexThreshold + hysteresis;
    }

    private static void require(boolean ok, String message) {
        if (!ok) throw new IllegalArgumentException("Invalid closed-loop config: " + message);
    }
}
