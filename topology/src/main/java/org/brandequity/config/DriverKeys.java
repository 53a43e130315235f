package org.brandequity.config;

import java.util.Map;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.brandequity.model.Durations;
import org.brandequity.model.drivers.DriverConfig;

/** Key drivers ({@link DriverConfig}; the method and its formulas in docs/model.md). */
public final class DriverKeys {
    public static final String HALF_LIFE_CONFIG = "drivers.half.life";

    private DriverKeys() {}

    static void define(ConfigDef def) {
        // 90 days, three times the equity's default: a predictor is the customer's mean experience at a
        // touchpoint, and most customers meet a touchpoint a few times a year, so a shorter half-life
        // would leave the mean resting on the last event alone.
        def.define(HALF_LIFE_CONFIG, Type.STRING, Durations.format(DriverConfig.DEFAULTS.halfLife()), Validators.durationAtLeast(1),
                Importance.LOW,
                "Half-life of the experience behind each key-driver predictor: a recommend answer's predictor for a touchpoint "
                        + "is the customer's experience-weighted mean there before it, each event weighted 2^(-age / half-life).");
    }

    static DriverConfig parse(AbstractConfig c) {
        return new DriverConfig(Durations.parse(HALF_LIFE_CONFIG, c.getString(HALF_LIFE_CONFIG)));
    }

    static void write(DriverConfig d, Map<String, String> out) {
        out.put(HALF_LIFE_CONFIG, Durations.format(d.halfLife()));
    }
}
