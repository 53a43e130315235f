package org.brandequity.sim;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Range;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigException;
import org.brandequity.avro.Touchpoint;
import org.brandequity.config.ConfigSection;
import org.brandequity.config.KeyFamily;
import org.brandequity.config.Validators;
import org.brandequity.model.drivers.DriverSet;

/**
 * The {@code simulator.*} keys of {@link SimulationConfig}, one definition each, and the numbered
 * family {@code simulator.incident.<n>}.
 */
public final class SimulatorKeys {
    public static final String SEED_CONFIG = "simulator.seed";
    public static final String CUSTOMERS_CONFIG = "simulator.customers";
    public static final String HIGH_VALUE_SHARE_CONFIG = "simulator.high.value.share";
    public static final String UNASSIGNED_SHARE_CONFIG = "simulator.unassigned.share";
    public static final String RATE_CONFIG = "simulator.rate";
    public static final String TOTAL_EVENTS_CONFIG = "simulator.total.events";
    public static final String STEP_CONFIG = "simulator.step";
    public static final String START_CONFIG = "simulator.start";
    public static final String DUPLICATE_SHARE_CONFIG = "simulator.duplicate.share";
    public static final String LATE_SHARE_CONFIG = "simulator.late.share";
    public static final String MAX_LATENESS_CONFIG = "simulator.max.lateness";
    public static final String INCIDENTS_DEFAULT_CONFIG = "simulator.incidents.default";
    public static final String INCIDENT_PREFIX = "simulator.incident.";
    public static final String DRIVERS_HIGH_VALUE_CONFIG = "simulator.drivers.high-value";
    public static final String DRIVERS_BROAD_BASE_CONFIG = "simulator.drivers.broad-base";
    public static final String DRIVERS_NOISE_CONFIG = "simulator.drivers.noise";

    static final String DRIVERS_HIGH_VALUE_DEFAULT = "DELIVERY:0.5,PRODUCT_USAGE:0.3,SUPPORT_CONTACT:0.1";
    static final String DRIVERS_BROAD_BASE_DEFAULT = "SUPPORT_CONTACT:0.5,PRODUCT_USAGE:0.2,DELIVERY:0.1";
    static final double DRIVERS_NOISE_DEFAULT = 0.6;
    /**
     * Longest driver list accepted: 13 entries of the longest name (SOCIAL_MENTION) with a
     * coefficient written in up to 24 characters, and separators; anything longer is no list of
     * driver coefficients, and is not echoed whole in the error.
     */
    static final int DRIVERS_MAX_LENGTH = 13 * ("SOCIAL_MENTION".length() + 1 + 24 + 2);

    /** {@code simulator.incident.<n>}, n a whole number; applied in numeric order. */
    public static final KeyFamily INCIDENT = new KeyFamily(INCIDENT_PREFIX, "<n>", n -> n.matches("\\d+"), n -> n,
            "A scripted incident, name;segment=...;touchpoint=...;start=...;duration=...;failure=...;shift=... "
                    + "(failure in [0, 1] and shift in [-2, 2] default to 0); several apply in numeric order of n. "
                    + "Environment: BRANDEQUITY_SIMULATOR_INCIDENT_<n>.");

    public static final ConfigSection SECTION = new ConfigSection("simulator", define(), List.of(INCIDENT));

    private SimulatorKeys() {}

    private static ConfigDef define() {
        return new ConfigDef()
                .define(SEED_CONFIG, Type.LONG, 42L, Importance.LOW,
                        "Seed of every random choice; the same seed and config give the same events.")
                .define(CUSTOMERS_CONFIG, Type.INT, 2000, Range.atLeast(1), Importance.MEDIUM,
                        "Size of the simulated customer population.")
                .define(HIGH_VALUE_SHARE_CONFIG, Type.DOUBLE, 0.15, Validators.between(0, 1), Importance.LOW,
                        "Share of customers in the high-value segment; the rest of those with a profile are broad-base.")
                .define(UNASSIGNED_SHARE_CONFIG, Type.DOUBLE, 0.02, Validators.between(0, 1), Importance.LOW,
                        "Share of customers without a profile, which the pipeline counts as unassigned.")
                .define(RATE_CONFIG, Type.DOUBLE, 500.0, Validators.atLeast(0), Importance.MEDIUM,
                        "Interactions per second of wall-clock time; event time follows the wall clock. 0 = as fast as possible, "
                                + "event time then advances by simulator.step per event.")
                .define(TOTAL_EVENTS_CONFIG, Type.LONG, 0L, Range.atLeast(0), Importance.MEDIUM,
                        "Interactions to produce, duplicates included; 0 = until stopped.")
                .define(STEP_CONFIG, Type.STRING, "2ms", Validators.durationAtLeast(1), Importance.LOW,
                        "Event-time spacing of consecutive interactions when simulator.rate is 0 (2ms = the spacing at 500/s).")
                .define(START_CONFIG, Type.STRING, "now", ConfigDef.LambdaValidator.with((name, value) -> start(name, (String) value),
                                () -> "now, now-<duration> or an ISO-8601 instant"), Importance.LOW,
                        "Event time of the first interaction: now, now-<duration> (e.g. now-2h, so that a fast preload ends near the present) "
                                + "or an ISO-8601 instant such as 2025-01-01T00:00:00Z.")
                .define(DUPLICATE_SHARE_CONFIG, Type.DOUBLE, 0.01, Validators.fromBelow(0, 1), Importance.LOW,
                        "Share of produced records that re-send an earlier interaction unchanged (same event id), to exercise deduplication.")
                .define(LATE_SHARE_CONFIG, Type.DOUBLE, 0.01, Validators.between(0, 1), Importance.LOW,
                        "Share of interactions whose event time lies behind the simulation clock.")
                .define(MAX_LATENESS_CONFIG, Type.STRING, "5m", Validators.durationAtLeast(1), Importance.LOW,
                        "How far behind at most a late interaction is; beyond window.grace they are counted late (revisions), beyond late.horizon TOO_LATE dead letters.")
                .define(INCIDENTS_DEFAULT_CONFIG, Type.BOOLEAN, true, Importance.LOW,
                        "Without any simulator.incident.<n> key, run the default incident: high-value deliveries fail 2m to 7m in. "
                                + "false = no incident.")
                .define(DRIVERS_HIGH_VALUE_CONFIG, Type.STRING, DRIVERS_HIGH_VALUE_DEFAULT, driverCoefficients(), Importance.LOW,
                        "The simulator's known key-driver model for high-value customers: their recommend answers (likelihoodToRecommend "
                                + "on surveys and cancellations) are y = clamp(round(7.5 + 2.5 * sum of coefficient * e + noise), 0, 10), e the "
                                + "customer's decayed experience at each listed touchpoint as the pipeline sees it (a touchpoint never met "
                                + "counts 0). TOUCHPOINT:coefficient entries separated by commas, driver touchpoints only; empty = no driver. "
                                + "Environment: BRANDEQUITY_SIMULATOR_DRIVERS_HIGH__VALUE.")
                .define(DRIVERS_BROAD_BASE_CONFIG, Type.STRING, DRIVERS_BROAD_BASE_DEFAULT, driverCoefficients(), Importance.LOW,
                        "The known key-driver model of every other customer (broad-base, and the unassigned), as "
                                + DRIVERS_HIGH_VALUE_CONFIG + ". Environment: BRANDEQUITY_SIMULATOR_DRIVERS_BROAD__BASE.")
                .define(DRIVERS_NOISE_CONFIG, Type.DOUBLE, DRIVERS_NOISE_DEFAULT, Validators.between(0, 10), Importance.LOW,
                        "Standard deviation of the driver model's noise, in answer points (0 = answers are the model's value, rounded).");
    }

    /**
     * {@code TOUCHPOINT:coefficient,...}: at most one entry per {@link DriverSet} touchpoint
     * (so at most 13), each coefficient a finite number; empty = no driver.
     */
    static ConfigDef.Validator driverCoefficients() {
        return ConfigDef.LambdaValidator.with((name, value) -> driverCoefficients(name, (String) value),
                () -> "TOUCHPOINT:coefficient,... (at most " + DriverSet.size() + " driver touchpoints, finite coefficients)");
    }

    /**
     * Parses {@code TOUCHPOINT:coefficient,...} into coefficients by touchpoint.
     *
     * @throws ConfigException naming {@code name} and the offending entry
     */
    static Map<Touchpoint, Double> driverCoefficients(String name, String text) {
        if (text.length() > DRIVERS_MAX_LENGTH) {
            throw new ConfigException(name, text.substring(0, 40) + "...", "longer than " + DRIVERS_MAX_LENGTH
                    + " characters: not a list of driver coefficients");
        }
        Map<Touchpoint, Double> coefficients = new EnumMap<>(Touchpoint.class);
        if (text.isBlank()) return coefficients;
        String[] entries = text.split(",", -1);
        if (entries.length > DriverSet.size()) {
            throw new ConfigException(name, text, entries.length + " entries, but there are only " + DriverSet.size()
                    + " driver touchpoints");
        }
        for (String raw : entries) {
            String entry = raw.trim();
            int colon = entry.indexOf(':');
            if (colon <= 0) throw new ConfigException(name, text, "entry '" + entry + "' is not TOUCHPOINT:coefficient");
            String touchpointName = entry.substring(0, colon).trim();
            Touchpoint tp = driverTouchpoint(touchpointName);
            if (tp == null) {
                throw new ConfigException(name, text, "'" + touchpointName + "' is not a driver touchpoint (one of "
                        + DriverSet.touchpoints() + ")");
            }
            double coefficient;
            try {
                coefficient = Double.parseDouble(entry.substring(colon + 1).trim());
            } catch (NumberFormatException e) {
                throw new ConfigException(name, text, "entry '" + entry + "': the coefficient is not a number");
            }
            if (!Double.isFinite(coefficient)) {
                throw new ConfigException(name, text, "entry '" + entry + "': the coefficient must be finite");
            }
            if (coefficients.put(tp, coefficient) != null) {
                throw new ConfigException(name, text, tp + " is listed twice");
            }
        }
        return coefficients;
    }

    /** The driver touchpoint of that name (any case, as in incidents), or null. */
    private static Touchpoint driverTouchpoint(String name) {
        String upper = name.toUpperCase(Locale.ROOT);
        for (Touchpoint tp : DriverSet.touchpoints()) {
            if (tp.name().equals(upper)) return tp;
        }
        return null;
    }

    /**
     * {@code now}, {@code now-<duration>} or an instant: the fixed start, or null for a start
     * relative to the run's beginning.
     */
    static Instant start(String name, String text) {
        String t = text.trim();
        if (t.equals("now")) return null;
        if (t.startsWith("now-")) {
            org.brandequity.config.Validators.durationAtLeast(0).ensureValid(name, t.substring("now-".length()));
            return null;
        }
        try {
            return Instant.parse(t);
        } catch (DateTimeParseException e) {
            throw new ConfigException(name, text, "not now, now-<duration> or an ISO-8601 instant such as 2025-01-01T00:00:00Z");
        }
    }
}
