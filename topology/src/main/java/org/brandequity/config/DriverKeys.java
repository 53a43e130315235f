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
    public static final String MIN_OBSERVATIONS_CONFIG = "drivers.min.observations";
    public static final String EMIT_INTERVAL_CONFIG = "drivers.emit.interval";
    public static final String REPLICATES_CONFIG = "drivers.bootstrap.replicates";

    private DriverKeys() {}

    static void define(ConfigDef def) {
        // 90 days, three times the equity's default: a predictor is the customer's mean experience at a
        // touchpoint, and most customers meet a touchpoint a few times a year, so a shorter half-life
        // would leave the mean resting on the last event alone.
        def.define(HALF_LIFE_CONFIG, Type.STRING, Durations.format(DriverConfig.DEFAULTS.halfLife()), Validators.durationAtLeast(1),
                Importance.LOW,
                "Half-life of the experience behind each key-driver predictor: a recommend answer's predictor for a touchpoint "
                        + "is the customer's experience-weighted mean there before it, each event weighted 2^(-age / half-life); "
                        + "the answers weigh 2^(-age / half-life) in the statistics too.");
        def.define(MIN_OBSERVATIONS_CONFIG, Type.LONG, DriverConfig.DEFAULTS.minObservations(), ConfigDef.Range.between(3, 1_000_000),
                Importance.LOW,
                "Fewest answers a pair of driver touchpoints needs together (and a driver alone) to enter a segment's key-driver "
                        + "analysis; with fewer than two drivers left the segment reports NOT_ENOUGH_DATA instead of numbers.");
        def.define(EMIT_INTERVAL_CONFIG, Type.STRING, Durations.format(DriverConfig.DEFAULTS.emitInterval()), Validators.durationAtLeast(1_000),
                Importance.LOW,
                "Wall-clock interval at which each segment's new answers are folded into its key-driver statistics and the analysis "
                        + "is sent to topic.key.drivers: at most one record per segment (and the brand) per interval. At least 1s.");
        def.define(REPLICATES_CONFIG, Type.INT, DriverConfig.DEFAULTS.replicates(), ConfigDef.Range.between(10, 1_000),
                Importance.LOW,
                "Replicates of the online Poisson bootstrap behind each relative weight's 95 % interval. Each costs 5,728 bytes of "
                        + "state per segment (100: about 570 KB per segment, read and written once per drivers.emit.interval).");
    }

    static DriverConfig parse(AbstractConfig c) {
        return new DriverConfig(Durations.parse(HALF_LIFE_CONFIG, c.getString(HALF_LIFE_CONFIG)), c.getLong(MIN_OBSERVATIONS_CONFIG),
                Durations.parse(EMIT_INTERVAL_CONFIG, c.getString(EMIT_INTERVAL_CONFIG)), c.getInt(REPLICATES_CONFIG));
    }

    static void write(DriverConfig d, Map<String, String> out) {
        out.put(HALF_LIFE_CONFIG, Durations.format(d.halfLife()));
        out.put(MIN_OBSERVATIONS_CONFIG, Long.toString(d.minObservations()));
        out.put(EMIT_INTERVAL_CONFIG, Durations.format(d.emitInterval()));
        out.put(REPLICATES_CONFIG, Integer.toString(d.replicates()));
    }
}
