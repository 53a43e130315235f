package org.brandequity.config;

import java.util.Locale;
import java.util.Map;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Range;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.brandequity.model.AlertConfig;
import org.brandequity.model.Durations;

/**
 * The {@code alert.*} keys of the score-drop detector ({@link AlertConfig}; method and rationale in
 * docs/alerting.md). Scores are in points on a -100..100 scale: a segment's net experience, the
 * brand's window experience index, a touchpoint's perceived experience x 100.
 */
public final class AlertKeys {
    /** The value of a floor that is switched off. */
    public static final String OFF = org.brandequity.model.AlertConfig.OFF;

    private AlertKeys() {}

    static void define(ConfigDef def) {
        def.define("alert.baseline.alpha", Type.DOUBLE, 0.1, Validators.aboveUpTo(0, 1), Importance.LOW,
                "EWMA weight of the newest window in the baseline and its variance (memory about 1/alpha windows).");
        def.define("alert.baseline.min.windows", Type.INT, 4, Range.atLeast(1), Importance.LOW,
                "Windows folded into the baseline before it may judge.");
        def.define("alert.min.sample.size", Type.LONG, 30L, Range.atLeast(1), Importance.LOW,
                "A window with fewer customers (segments) or effective events (brand, touchpoints) is neither judged nor learnt from.");
        def.define("alert.min.drop", Type.DOUBLE, 5.0, Validators.atLeast(0), Importance.MEDIUM,
                "A drop must exceed this many points (practical significance) ...");
        def.define("alert.z", Type.DOUBLE, 1.96, Validators.atLeast(0), Importance.MEDIUM,
                "... and z standard deviations of (value - baseline) (statistical significance).");
        for (String scope : new String[] {"brand", "segment", "touchpoint"}) {
            def.define("alert.floor." + scope, Type.STRING, OFF, Validators.offOrNumber(), Importance.LOW,
                    "Absolute floor in points for the " + scope + " scope: a value below it breaches whatever the baseline; off = none.");
        }
        def.define("alert.cusum.slack", Type.DOUBLE, 0.5, Validators.atLeast(0), Importance.LOW,
                "CUSUM reference value k for slow slides, in standard deviations: deviations smaller than this are forgiven.");
        def.define("alert.cusum.threshold", Type.DOUBLE, 5.0, Validators.greaterThan(0), Importance.LOW,
                "CUSUM decision interval h, in standard deviations: a slow slide breaches above it.");
        def.define("alert.persistence.breaches", Type.INT, 2, Range.atLeast(1), Importance.LOW,
                "Fire when at least this many of the last alert.persistence.windows judged windows breach (the current one included).");
        // The breach history is a bit set in an int.
        def.define("alert.persistence.windows", Type.INT, 3, Range.between(1, 31), Importance.LOW,
                "The n of \"m of the last n windows\".");
        def.define("alert.clear.drop", Type.DOUBLE, 2.0, Validators.atLeast(0), Importance.LOW,
                "A window counts towards recovery when its value is above baseline - clear.drop (hysteresis; <= alert.min.drop).");
        def.define("alert.clear.windows", Type.INT, 2, Range.atLeast(1), Importance.LOW,
                "Consecutive recovering windows needed to resolve an alert.");
        def.define("alert.rate.limit.max", Type.INT, 3, Range.atLeast(1), Importance.LOW,
                "At most this many FIRING alerts per key per alert.rate.limit.period of event time.");
        def.define("alert.rate.limit.period", Type.STRING, "1d", Validators.durationAtLeast(1), Importance.LOW,
                "The rate cap's period, in event time.");
        def.define("alert.contributors.max", Type.INT, 3, Range.atLeast(0), Importance.LOW,
                "Contributors listed per breakdown of an alert (segments, touchpoints, positive/negative customers).");
    }

    static AlertConfig parse(AbstractConfig c) {
        return new AlertConfig(
                c.getDouble("alert.baseline.alpha"),
                c.getInt("alert.baseline.min.windows"),
                c.getLong("alert.min.sample.size"),
                c.getDouble("alert.min.drop"),
                c.getDouble("alert.z"),
                floor(c.getString("alert.floor.brand")),
                floor(c.getString("alert.floor.segment")),
                floor(c.getString("alert.floor.touchpoint")),
                c.getDouble("alert.cusum.slack"),
                c.getDouble("alert.cusum.threshold"),
                c.getInt("alert.persistence.breaches"),
                c.getInt("alert.persistence.windows"),
                c.getDouble("alert.clear.drop"),
                c.getInt("alert.clear.windows"),
                c.getInt("alert.rate.limit.max"),
                Durations.parse("alert.rate.limit.period", c.getString("alert.rate.limit.period")),
                c.getInt("alert.contributors.max"));
    }

    static void write(AlertConfig a, Map<String, String> out) {
        out.put("alert.baseline.alpha", Double.toString(a.alpha()));
        out.put("alert.baseline.min.windows", Integer.toString(a.minBaselineWindows()));
        out.put("alert.min.sample.size", Long.toString(a.minSampleSize()));
        out.put("alert.min.drop", Double.toString(a.minDrop()));
        out.put("alert.z", Double.toString(a.z()));
        out.put("alert.floor.brand", floorText(a.floorBrand()));
        out.put("alert.floor.segment", floorText(a.floorSegment()));
        out.put("alert.floor.touchpoint", floorText(a.floorTouchpoint()));
        out.put("alert.cusum.slack", Double.toString(a.cusumSlack()));
        out.put("alert.cusum.threshold", Double.toString(a.cusumThreshold()));
        out.put("alert.persistence.breaches", Integer.toString(a.persistenceBreaches()));
        out.put("alert.persistence.windows", Integer.toString(a.persistenceWindows()));
        out.put("alert.clear.drop", Double.toString(a.clearDrop()));
        out.put("alert.clear.windows", Integer.toString(a.clearWindows()));
        out.put("alert.rate.limit.max", Integer.toString(a.rateLimitMax()));
        out.put("alert.rate.limit.period", Durations.format(a.rateLimitPeriod()));
        out.put("alert.contributors.max", Integer.toString(a.maxContributors()));
    }

    private static double floor(String text) {
        String t = text.trim();
        return t.toLowerCase(Locale.ROOT).equals(OFF) ? Double.NaN : Double.parseDouble(t);
    }

    private static String floorText(double floor) {
        return Double.isNaN(floor) ? OFF : Double.toString(floor);
    }
}
