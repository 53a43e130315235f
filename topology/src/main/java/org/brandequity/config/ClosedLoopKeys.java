package org.brandequity.config;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Range;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigException;
import org.brandequity.avro.Touchpoint;
import org.brandequity.model.ClosedLoopConfig;
import org.brandequity.model.Durations;

/**
 * Customer equity's index prior and the closed loop's at-risk alerts ({@link ClosedLoopConfig};
 * the rule and its formulas in docs/model.md §8).
 */
public final class ClosedLoopKeys {
    public static final String CUSTOMER_INDEX_PRIOR_CONFIG = "model.customer.index.prior";
    public static final String SEGMENTS_CONFIG = "closedloop.segments";
    public static final String TOUCHPOINTS_CONFIG = "closedloop.touchpoints";
    public static final String INDEX_THRESHOLD_CONFIG = "closedloop.index.threshold";
    public static final String MIN_EVENTS_CONFIG = "closedloop.min.events";
    public static final String HYSTERESIS_CONFIG = "closedloop.hysteresis";
    public static final String COOLDOWN_CONFIG = "closedloop.cooldown";
    public static final String DETRACTOR_SIGNAL_CONFIG = "closedloop.detractor.signal";

    private ClosedLoopKeys() {}

    static void define(ConfigDef def) {
        // K_c is in units of event weight (a customer's equity weight is w: see §8): with 2, one
        // failed delivery (x = -1, w = 1.2) gives an index of 100 * -1.2 / (1.2 + 2) = -37.5.
        def.define(CUSTOMER_INDEX_PRIOR_CONFIG, Type.DOUBLE, 2.0, Validators.atLeast(0), Importance.LOW,
                "K_c in a customer's equity index 100 · BE_c / (V_c + K_c), in units of event weight w: damps the index "
                        + "of a customer with few events.");
        def.define(SEGMENTS_CONFIG, Type.LIST, "high-value", segmentNames(), Importance.MEDIUM,
                "Segments whose customers get at-risk alerts on topic.customer.alerts (names matched exactly); customer "
                        + "equity is kept for every customer. Empty = no alerts.");
        def.define(TOUCHPOINTS_CONFIG, Type.LIST, "", touchpointNames(), Importance.LOW,
                "Touchpoints where a detractor-level experience fires an at-risk alert; empty = all. LOW_INDEX fires at any.");
        def.define(INDEX_THRESHOLD_CONFIG, Type.DOUBLE, -20.0, Validators.fromBelow(-100, 100), Importance.MEDIUM,
                "A customer whose equity index falls below this (points) with at least closedloop.min.events events "
                        + "is at risk (LOW_INDEX).");
        def.define(MIN_EVENTS_CONFIG, Type.INT, 3, Range.atLeast(1), Importance.LOW,
                "Counted events a customer's index needs behind it before LOW_INDEX may fire.");
        def.define(HYSTERESIS_CONFIG, Type.DOUBLE, 10.0, Validators.atLeast(0), Importance.LOW,
                "An alert resolves by index once the customer index is at or above closedloop.index.threshold plus this "
                        + "(for a detractor alert: if the index was below that when it fired).");
        def.define(COOLDOWN_CONFIG, Type.STRING, "24h", Validators.durationAtLeast(0), Importance.LOW,
                "No new alert fires for a customer within this much event time after their last RESOLVED one.");
        // -0.5: NPS 0-6 (x <= -0.6), CSAT 1-2 (x <= -0.5) and a failure outcome (x = -1) are
        // detractor-level; NPS 7 (-0.2), CSAT 3 (0) and effort 3 (-0.33) are not (ScoringModel).
        def.define(DETRACTOR_SIGNAL_CONFIG, Type.DOUBLE, -0.5, Validators.fromBelow(-1, 0), Importance.MEDIUM,
                "An event whose experience x is at or below this is detractor-level (default: NPS 0-6, CSAT 1-2, a "
                        + "failure outcome) and fires DETRACTOR_EXPERIENCE at a watched touchpoint.");
    }

    static ClosedLoopConfig parse(AbstractConfig c) {
        Set<Touchpoint> touchpoints = EnumSet.noneOf(Touchpoint.class);
        for (String t : c.getList(TOUCHPOINTS_CONFIG)) touchpoints.add(Touchpoint.valueOf(t.trim()));
        List<String> segments = new ArrayList<>();
        for (String s : c.getList(SEGMENTS_CONFIG)) segments.add(s.trim());
        return new ClosedLoopConfig(
                c.getDouble(CUSTOMER_INDEX_PRIOR_CONFIG),
                new java.util.LinkedHashSet<>(segments),
                touchpoints,
                c.getDouble(INDEX_THRESHOLD_CONFIG),
                c.getInt(MIN_EVENTS_CONFIG),
                c.getDouble(HYSTERESIS_CONFIG),
                Durations.parse(COOLDOWN_CONFIG, c.getString(COOLDOWN_CONFIG)),
                c.getDouble(DETRACTOR_SIGNAL_CONFIG));
    }

    static void write(ClosedLoopConfig l, Map<String, String> out) {
        out.put(CUSTOMER_INDEX_PRIOR_CONFIG, Double.toString(l.customerIndexPrior()));
        out.put(SEGMENTS_CONFIG, String.join(",", l.segments()));
        out.put(TOUCHPOINTS_CONFIG, String.join(",", l.touchpoints().stream().map(Touchpoint::name).toList()));
        out.put(INDEX_THRESHOLD_CONFIG, Double.toString(l.indexThreshold()));
        out.put(MIN_EVENTS_CONFIG, Integer.toString(l.minEvents()));
        out.put(HYSTERESIS_CONFIG, Double.toString(l.hysteresis()));
        out.put(COOLDOWN_CONFIG, Durations.format(l.cooldown()));
        out.put(DETRACTOR_SIGNAL_CONFIG, Double.toString(l.detractorSignal()));
    }

    /** Segment names: non-empty, each listed once. */
    private static ConfigDef.Validator segmentNames() {
        return ConfigDef.LambdaValidator.with((name, value) -> {
            @SuppressWarnings("unchecked")
            List<String> names = (List<String>) value;
            Set<String> seen = new HashSet<>();
            for (String n : names) {
                if (n.isBlank()) throw new ConfigException(name, value, "a segment name is empty");
                if (!seen.add(n.trim())) throw new ConfigException(name, value, "segment '" + n.trim() + "' is listed twice");
            }
        }, () -> "segment,... (empty = none)");
    }

    /** Touchpoint symbols of the Avro enum. */
    private static ConfigDef.Validator touchpointNames() {
        return ConfigDef.LambdaValidator.with((name, value) -> {
            @SuppressWarnings("unchecked")
            List<String> names = (List<String>) value;
            for (String n : names) {
                try {
                    Touchpoint.valueOf(n.trim());
                } catch (IllegalArgumentException e) {
                    throw new ConfigException(name, value, "'" + n.trim() + "' is not a touchpoint (one of "
                            + java.util.Arrays.toString(Touchpoint.values()) + ")");
                }
            }
        }, () -> "touchpoint,... (empty = all)");
    }
}
