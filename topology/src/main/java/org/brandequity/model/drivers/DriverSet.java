package org.brandequity.model.drivers;

import java.util.List;
import java.util.Map;
import org.brandequity.avro.Touchpoint;

/**
 * The touchpoints that can drive loyalty, in a fixed order (the index of a driver in every
 * observation, statistic and answer). Excluded, by definition rather than by configuration: the
 * survey itself (an earlier answer would predict the next one: a lagged outcome, not an
 * experience), the loyalty outcomes (REFERRAL, RENEWAL, CANCELLATION, DISPOSAL: they are what
 * loyalty does, not what drives it) and OTHER (no meaning to act on).
 */
public final class DriverSet {
    private static final List<Touchpoint> DRIVERS = List.of(
            Touchpoint.AD, Touchpoint.SOCIAL_MENTION, Touchpoint.WORD_OF_MOUTH,
            Touchpoint.WEBSITE_VISIT, Touchpoint.STORE_VISIT, Touchpoint.SALES_CONTACT,
            Touchpoint.CHECKOUT, Touchpoint.DELIVERY,
            Touchpoint.PRODUCT_USAGE, Touchpoint.APP_SESSION,
            Touchpoint.SUPPORT_CONTACT, Touchpoint.RETURN,
            Touchpoint.REVIEW);
    /** Each touchpoint's index by its ordinal, -1 where it is not a driver: looked up on every event. */
    private static final int[] BY_ORDINAL = new int[Touchpoint.values().length];

    static {
        java.util.Arrays.fill(BY_ORDINAL, -1);
        for (int i = 0; i < DRIVERS.size(); i++) BY_ORDINAL[DRIVERS.get(i).ordinal()] = i;
    }

    private DriverSet() {}

    public static List<Touchpoint> touchpoints() {
        return DRIVERS;
    }

    public static int size() {
        return DRIVERS.size();
    }

    /** The weight of each driver in {@code byTouchpoint} (e.g. the configured touchpoint weights), in driver order. */
    public static double[] weights(Map<Touchpoint, Double> byTouchpoint) {
        double[] w = new double[DRIVERS.size()];
        for (int i = 0; i < w.length; i++) w[i] = byTouchpoint.get(DRIVERS.get(i));
        return w;
    }

    /** The driver index of {@code touchpoint}, or -1 when it is not a driver. */
    public static int indexOf(Touchpoint touchpoint) {
        return BY_ORDINAL[touchpoint.ordinal()];
    }
}
