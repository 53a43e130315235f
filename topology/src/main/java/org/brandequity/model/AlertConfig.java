package org.brandequity.model;

import java.time.Duration;

/**
 * Settings of the score-drop detector ({@code alert.*} keys; defined with their defaults in
 * {@code org.brandequity.config.AlertKeys}, method and rationale in {@code docs/alerting.md} and on
 * {@link DropDetector}). Scores are on a 100-point scale: net experience and the window experience
 * index run from -100 to 100, a touchpoint's perceived experience is reported times 100.
 *
 * @param alpha               EWMA smoothing of the baseline and its variance, in (0, 1]: weight of the newest window
 * @param minBaselineWindows  windows folded into the baseline before it may judge (warm-up)
 * @param minSampleSize       a window with fewer customers / events is neither judged nor learnt from
 * @param minDrop             a drop must exceed this many points (practical significance)
 * @param z                   ... and z standard deviations of (window value - baseline) (statistical significance)
 * @param floorBrand          absolute floor for the brand's window experience index; NaN = off
 * @param floorSegment        absolute floor for a segment's net experience; NaN = off
 * @param floorTouchpoint     absolute floor for a touchpoint's perceived experience (points); NaN = off
 * @param cusumSlack          CUSUM reference value k, in standard deviations: deviations smaller than this are forgiven
 * @param cusumThreshold      CUSUM decision interval h, in standard deviations: a slow slide breaches above it
 * @param persistenceBreaches m: windows that must breach among the last {@code persistenceWindows} before firing
 * @param persistenceWindows  the n of "m of the last n windows"
 * @param clearDrop           a window counts towards recovery when its value is above baseline - clearDrop
 * @param clearWindows        consecutive recovering windows needed to resolve
 * @param rateLimitMax        at most this many FIRING alerts per key per {@code rateLimitPeriod} of event time
 * @param rateLimitPeriod     the rate cap's period
 * @param maxContributors     contributors listed per breakdown in an alert
 */
public record AlertConfig(
        double alpha,
        int minBaselineWindows,
        long minSampleSize,
        double minDrop,
        double z,
        double floorBrand,
        double floorSegment,
        double floorTouchpoint,
        double cusumSlack,
        double cusumThreshold,
        int persistenceBreaches,
        int persistenceWindows,
        double clearDrop,
        int clearWindows,
        int rateLimitMax,
        Duration rateLimitPeriod,
        int maxContributors) {

    /** The value written for a floor that is switched off. */
    public static final String OFF = "off";

    public AlertConfig {
        require(alpha > 0 && alpha <= 1, "alert.baseline.alpha must be in (0, 1]");
        require(minBaselineWindows >= 1, "alert.baseline.min.windows must be >= 1");
        require(minSampleSize >= 1, "alert.min.sample.size must be >= 1");
        require(minDrop >= 0, "alert.min.drop must be >= 0");
        require(z >= 0, "alert.z must be >= 0");
        require(cusumSlack >= 0, "alert.cusum.slack must be >= 0");
        require(cusumThreshold > 0, "alert.cusum.threshold must be > 0");
        // The breach history is a bit set in an int.
        require(persistenceWindows >= 1 && persistenceWindows <= 31, "alert.persistence.windows must be in [1, 31]");
        require(persistenceBreaches >= 1 && persistenceBreaches <= persistenceWindows,
                "alert.persistence.breaches must be in [1, alert.persistence.windows]");
        require(clearDrop >= 0 && clearDrop <= minDrop,
                "alert.clear.drop must be in [0, alert.min.drop], so that recovering is harder than breaching (hysteresis)");
        require(clearWindows >= 1, "alert.clear.windows must be >= 1");
        require(rateLimitMax >= 1, "alert.rate.limit.max must be >= 1");
        require(rateLimitPeriod != null && !rateLimitPeriod.isNegative() && !rateLimitPeriod.isZero(),
                "alert.rate.limit.period must be > 0");
        require(maxContributors >= 0, "alert.contributors.max must be >= 0");
    }

    private static void require(boolean ok, String message) {
        if (!ok) throw new IllegalArgumentException("Invalid alert config: " + message);
    }
}
